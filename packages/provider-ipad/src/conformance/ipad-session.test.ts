import {
  type LoginStepV1,
  type ProviderEventV1,
  WechatAuthenticationError,
  WechatRiskControlError,
  contactId,
  messageId,
  roomId,
} from '@wechat/provider-api';
import { afterEach, describe, expect, it } from 'vitest';
import { storageKeys } from '../session/session-parts.ts';
import { harnessFixtures } from './ipad-harness.ts';
import { createSessionFixture, type SessionFixture } from './session-fixture.ts';

const alice = harnessFixtures.contact;
const isMessage = (text: string) => (event: ProviderEventV1) =>
  event.type === 'message-received' && event.message.content.kind === 'text' && event.message.content.text === text;

describe('ipad session against the GeWeChat simulator', () => {
  let fixture: SessionFixture | undefined;
  afterEach(async () => {
    await fixture?.dispose();
    fixture = undefined;
  });

  it('logs in step by step: QR, scanned, confirmed; a QR about to expire is replaced', async () => {
    fixture = await createSessionFixture({ config: { api_token: undefined } });
    const { session, harness } = fixture;
    await session.start();
    await fixture.waitForState('awaiting-login');
    // No token configured: fetched from the service and remembered.
    expect(await fixture.storage.get(storageKeys.serviceToken)).toBe(harness.simulator.token);
    const login = await session.login?.();
    if (!login) throw new Error('no login');
    const first = await login.start();
    expect(first).toMatchObject({ type: 'qr-code', data: expect.stringMatching(/^http:\/\/weixin\.qq\.com\/x\//) });
    const appId = await fixture.storage.get(storageKeys.appId);
    expect(appId).toMatch(/^wx_/);

    harness.simulator.expireQrCode();
    const second = await login.next();
    expect(second.type).toBe('qr-code');
    expect((second as Extract<LoginStepV1, { type: 'qr-code' }>).data).not.toBe(
      (first as Extract<LoginStepV1, { type: 'qr-code' }>).data,
    );

    harness.simulator.scanQrCode();
    expect(await login.next()).toMatchObject({ type: 'waiting-for-confirmation' });
    harness.simulator.confirmLogin();
    const done = await login.next();
    expect(done).toMatchObject({
      type: 'complete',
      self: { id: harnessFixtures.self.wxid, name: harnessFixtures.self.nickName },
    });
    expect(session.state).toBe('connected');
    // The device was reused for the new QR code, not created twice.
    expect(await fixture.storage.get(storageKeys.appId)).toBe(appId);
    expect(
      fixture.events.filter(event => event.type === 'login-step').map(event => (event as { step: LoginStepV1 }).step.type),
    ).toEqual(['qr-code', 'qr-code', 'waiting-for-confirmation', 'complete']);
  });

  it('rejects the login when it is declined on the phone', async () => {
    fixture = await createSessionFixture();
    await fixture.session.start();
    await fixture.waitForState('awaiting-login');
    const login = await fixture.session.login?.();
    await login?.start();
    fixture.harness.simulator.cancelLogin();
    await expect(login?.next()).rejects.toSatisfy(WechatAuthenticationError.isInstance);
  });

  it('resumes after a restart without a new QR code, on the same device', async () => {
    fixture = await createSessionFixture();
    await fixture.loginWithQr();
    const appId = await fixture.storage.get(storageKeys.appId);
    const session = await fixture.restart();
    await session.start();
    await fixture.waitForState('connected');
    expect(await fixture.storage.get(storageKeys.appId)).toBe(appId);
    expect(fixture.harness.simulator.requests.filter(request => request.path === '/login/getLoginQrCode')).toHaveLength(1);
  });

  it('forgets the device when the container was reset (a new token), and asks for a login', async () => {
    fixture = await createSessionFixture({ config: { api_token: undefined } });
    await fixture.loginWithQr();
    await fixture.session.stop();
    fixture.harness.simulator.resetContainer();
    const session = await fixture.restart();
    await session.start();
    await fixture.waitForState('awaiting-login');
    expect(await fixture.storage.get(storageKeys.appId)).toBeUndefined();
    expect(await fixture.storage.get(storageKeys.serviceToken)).toBe(fixture.harness.simulator.token);
  });

  it('reconnects after an Offline callback, with a state change for every step', async () => {
    fixture = await createSessionFixture();
    await fixture.loginWithQr();
    const before = fixture.states().length;
    await fixture.harness.simulator.goOffline();
    await fixture.waitForEvent(
      event => event.type === 'state-changed' && event.state === 'transient-disconnect',
      'the disconnect',
    );
    await fixture.waitForState('connected');
    expect(fixture.states().slice(before)).toEqual(['transient-disconnect', 'connecting', 'connected']);
    expect(fixture.harness.simulator.requests.some(request => request.path === '/login/reconnection')).toBe(true);
  });

  it('survives the service going away and coming back, and messages flow again', async () => {
    fixture = await createSessionFixture();
    await fixture.loginWithQr();
    await fixture.harness.simulator.stop();
    await fixture.waitForState('transient-disconnect');
    await fixture.harness.simulator.start();
    await fixture.waitForState('connected', 10_000);
    await fixture.harness.simulator.receive.text({ from: alice, text: 'after the outage' });
    await fixture.waitForEvent(isMessage('after the outage'), 'the message after the outage');
  });

  it('a health probe while reconnecting retries at once instead of waiting out a long backoff', async () => {
    fixture = await createSessionFixture({ provider: { reconnectBaseMs: 60_000, reconnectMaxMs: 60_000 } });
    await fixture.loginWithQr();
    await fixture.harness.simulator.stop();
    await fixture.waitForState('transient-disconnect');
    await fixture.harness.simulator.start();
    const report = await fixture.session.checkHealth?.();
    expect(report).toMatchObject({ healthy: false });
    // Without the probe the next attempt would come about a minute later.
    await fixture.waitForState('connected', 5_000);
    expect((await fixture.session.checkHealth?.())?.healthy).toBe(true);
  }, 15_000);

  it('ends in logged-out with an explanation when WeChat kicks the device', async () => {
    fixture = await createSessionFixture();
    await fixture.loginWithQr();
    await fixture.harness.simulator.kickDevice();
    await fixture.waitForState('logged-out');
    const change = fixture.events.findLast(event => event.type === 'state-changed' && event.state === 'logged-out');
    expect(change).toMatchObject({ error: { code: 'AUTH_REQUIRED' } });
    expect(await fixture.storage.get(storageKeys.self)).toBeUndefined();
    // The device id stays: a new one would be kicked again.
    expect(await fixture.storage.get(storageKeys.appId)).toMatch(/^wx_/);
    // The host's next start leads to a new login on the same device.
    await fixture.session.start();
    await fixture.waitForState('awaiting-login');
  });

  it('reports a callback URL GeWeChat cannot reach, naming the setting, and keeps trying', async () => {
    fixture = await createSessionFixture();
    fixture.harness.simulator.failNextCallbackSetup();
    await fixture.session.start();
    const error = await fixture.waitForEvent(
      event => event.type === 'state-changed' && event.state === 'unknown-error',
      'the unknown-error state',
    );
    expect(String((error as { error?: Error }).error?.message)).toContain('providers.ipad.callback_url');
    await fixture.waitForState('awaiting-login');
  });

  it('drops re-delivered callbacks and recognises its own echoes', async () => {
    fixture = await createSessionFixture();
    await fixture.loginWithQr();
    const sim = fixture.harness.simulator;
    const id = await sim.receive.text({ from: alice, text: 'only once' });
    await fixture.waitForEvent(isMessage('only once'), 'the first delivery');
    await sim.redeliver(id);
    await sim.receive.text({ from: alice, text: 'next' });
    await fixture.waitForEvent(isMessage('next'), 'the next message');
    expect(fixture.events.filter(isMessage('only once'))).toHaveLength(1);
    const sent = await fixture.session.sendMessage({
      to: { type: 'direct', contactId: contactId(alice) },
      content: { kind: 'text', text: 'mine' },
    });
    const echo = await fixture.waitForEvent(isMessage('mine'), 'the echo');
    expect(echo).toMatchObject({ message: { id: sent.messageId, isSelf: true } });
  });

  it('understands the lower-case callback keys of newer builds', async () => {
    fixture = await createSessionFixture();
    await fixture.loginWithQr();
    fixture.harness.simulator.useLowerCaseKeys(true);
    await fixture.harness.simulator.receive.text({ from: alice, text: 'lower case' });
    await fixture.waitForEvent(isMessage('lower case'), 'the message');
  });

  it('sends group mentions with ats and the visible @name', async () => {
    fixture = await createSessionFixture();
    await fixture.loginWithQr();
    await fixture.session.sendMessage({
      to: { type: 'room', roomId: roomId(harnessFixtures.room) },
      content: { kind: 'text', text: 'look at this' },
      mentions: { contactIds: [contactId(harnessFixtures.member)] },
    });
    await fixture.harness.simulator.idle();
    const text = fixture.harness.simulator.sent.find(sent => sent.path === '/message/postText');
    expect(text).toMatchObject({
      toWxid: harnessFixtures.room,
      ats: [harnessFixtures.member],
      content: '@Bob\u2005look at this',
    });
  });

  it('recalls a message sent from the phone, after a restart', async () => {
    fixture = await createSessionFixture();
    await fixture.loginWithQr();
    await fixture.harness.simulator.self.says({ to: alice, text: 'typed on the phone' });
    const echo = await fixture.waitForEvent(isMessage('typed on the phone'), 'the phone message');
    const id = (echo as Extract<ProviderEventV1, { type: 'message-received' }>).message.id;
    const session = await fixture.restart();
    await session.start();
    await fixture.waitForState('connected');
    await session.recallMessage?.({ id: messageId(id), chat: { type: 'direct', contactId: contactId(alice) } });
    await fixture.harness.simulator.idle();
    expect(fixture.harness.simulator.requests.some(request => request.path === '/message/revokeMsg')).toBe(true);
  });

  it('refuses sends beyond the daily quota with a typed error, reported for metrics, and counts only real sends', async () => {
    const blocked: string[] = [];
    fixture = await createSessionFixture({
      provider: { onRiskControlBlocked: error => blocked.push(error.rule) },
      config: {
        risk_control: {
          new_account_silence_days: 0,
          max_messages_per_day: 2,
          max_groups_per_day: 10,
          max_friends_per_day: 20,
          message_interval_ms: 0,
          random_delay: false,
        },
      },
    });
    await fixture.loginWithQr();
    const to = { type: 'direct' as const, contactId: contactId(alice) };
    fixture.harness.simulator.failNext('/message/postText', { ret: 500, msg: '系统异常' });
    await expect(fixture.session.sendMessage({ to, content: { kind: 'text', text: 'fails' } })).rejects.toThrow();
    await fixture.session.sendMessage({ to, content: { kind: 'text', text: 'one' } });
    await fixture.session.sendMessage({ to, content: { kind: 'text', text: 'two' } });
    const error = await fixture.session
      .sendMessage({ to, content: { kind: 'text', text: 'three' } })
      .catch((caught: unknown) => caught);
    expect(WechatRiskControlError.isInstance(error)).toBe(true);
    expect(blocked).toEqual(['daily-quota']);
    await fixture.harness.simulator.idle();
    expect(fixture.harness.simulator.sent.filter(sent => sent.path === '/message/postText').map(sent => sent.content)).toEqual([
      'one',
      'two',
    ]);
  });

  it('downloads images with the HD fallback, and ignores files until they are complete', async () => {
    fixture = await createSessionFixture();
    await fixture.loginWithQr();
    const sim = fixture.harness.simulator;
    sim.failHdDownloads(true);
    const image = new Uint8Array([0xff, 0xd8, 0xff, 0xe0, 1, 2, 3]);
    await sim.receive.image({ from: alice, data: image });
    const received = (await fixture.waitForEvent(
      event => event.type === 'message-received' && event.message.content.kind === 'image',
      'the image',
    )) as Extract<ProviderEventV1, { type: 'message-received' }>;
    const content = received.message.content as Extract<typeof received.message.content, { kind: 'image' }>;
    const download = await fixture.session.downloadMedia(content.media);
    expect([...download.data]).toEqual([...image]);
    expect(
      sim.requests
        .filter(request => request.path === '/message/downloadImage')
        .map(request => (request.body as { type?: number }).type),
    ).toEqual([1, 2]);

    await sim.receive.file({ from: alice, fileName: 'report.pdf', data: new Uint8Array([37, 80, 68, 70]) });
    const file = await fixture.waitForEvent(
      event => event.type === 'message-received' && event.message.content.kind === 'file',
      'the file',
    );
    expect(
      fixture.events.filter(event => event.type === 'message-received' && event.message.content.kind === 'file'),
    ).toHaveLength(1);
    expect(file).toMatchObject({ message: { content: { fileName: 'report.pdf' } } });
  });
});
