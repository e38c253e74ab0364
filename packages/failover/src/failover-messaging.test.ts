import {
  contactId,
  messageId,
  type OutgoingMessageV1,
  type ProviderV1,
  roomId,
  type SendMessageResultV1,
  WechatError,
  WechatProviderUnavailableError,
  WechatUnsupportedCapabilityError,
} from '@wechat/provider-api';
import { afterEach, describe, expect, it } from 'vitest';
import { createGroupFixture, type GroupFixture, type ServiceSpec } from './testing/group-fixture.ts';

const ipadAndPchook: readonly ServiceSpec[] = [
  { id: 'ipad', tier: 2 },
  { id: 'pchook', tier: 3 },
];
const alice = contactId('alice');
const text = (body: string): OutgoingMessageV1 => ({
  to: { type: 'direct', contactId: alice },
  content: { kind: 'text', text: body },
});
const sentTexts = (group: GroupFixture, id: string) =>
  group
    .world(id)
    .sent()
    .flatMap(sent => (sent.kind === 'text' ? [sent.text] : []));

let fixture: GroupFixture | undefined;
const setUp = (...args: Parameters<typeof createGroupFixture>) => {
  fixture = createGroupFixture(...args);
  return fixture;
};

afterEach(async () => {
  await fixture?.session.stop();
  expect(fixture?.clock.pendingTimers ?? 0).toBe(0);
  fixture = undefined;
});

/**
 * What a host's outbox does (bridge-core's, in short): send; on a retryable error wait and send again; give up on
 * any other error. The group itself never retries, so the outbox is the only place a message is sent from.
 */
async function deliverThroughOutbox(
  group: GroupFixture,
  message: OutgoingMessageV1,
  { retryEveryS, attempts }: { retryEveryS: number; attempts: number },
): Promise<{ result: SendMessageResultV1; attempts: number; errors: WechatError[] }> {
  const errors: WechatError[] = [];
  for (let attempt = 1; attempt <= attempts; attempt++) {
    try {
      return { result: await group.session.sendMessage(message), attempts: attempt, errors };
    } catch (error) {
      if (!WechatError.isInstance(error) || !error.retryable) throw error;
      errors.push(error);
      await group.clock.advance(retryEveryS * 1000);
    }
  }
  throw new Error(`not delivered after ${attempts} attempts`);
}

describe('outbound messages across a switch', () => {
  it('rejects a send in the switch window retryably; the retry is delivered once, by the new member', async () => {
    const group = setUp({ services: ipadAndPchook });
    await group.session.start();
    await group.session.sendMessage(text('before'));
    await group.at(1);
    group.world('ipad').goOffline();
    await group.at(10);

    const delivery = await deliverThroughOutbox(group, text('during the outage'), { retryEveryS: 20, attempts: 10 });
    // Refused at 10, 30, 50 and 70 s while the group waited for its third failed check (90 s), sent at 90 s.
    expect(delivery.attempts).toBe(5);
    expect(delivery.errors.every(error => WechatProviderUnavailableError.isInstance(error) && error.retryable)).toBe(true);
    expect(group.session.activeProviderId).toBe('pchook');

    group.world('ipad').goOnline();
    await group.at(400); // promoted back at 360 s
    expect(group.session.activeProviderId).toBe('ipad');
    await group.session.sendMessage(text('after the recovery'));

    expect(sentTexts(group, 'ipad')).toEqual(['before', 'after the recovery']);
    expect(sentTexts(group, 'pchook')).toEqual(['during the outage']);
  });

  it('does not retry a send that failed retryably: the host does, so nothing is sent twice', async () => {
    const group = setUp({ services: ipadAndPchook });
    await group.session.start();
    group.world('ipad').failNext('network');
    await expect(group.session.sendMessage(text('once'))).rejects.toMatchObject({
      code: 'PROVIDER_UNAVAILABLE',
      retryable: true,
    });
    expect(sentTexts(group, 'ipad')).toEqual([]);
    expect(sentTexts(group, 'pchook')).toEqual([]);
    await group.session.sendMessage(text('once'));
    expect([...sentTexts(group, 'ipad'), ...sentTexts(group, 'pchook')]).toEqual(['once']);
  });

  it("refuses what the serving member cannot do with that member's typed error", async () => {
    const group = setUp({
      services: [
        { id: 'ipad', tier: 2 },
        { id: 'pchook', tier: 3, capabilities: { recall: 'none', send: { voice: 'none' } } },
      ],
    });
    expect(group.provider.capabilities).toMatchObject({ recall: 'partial', send: { voice: 'partial', text: 'full' } });
    await group.session.start();
    const sent = await group.session.sendMessage(text('recall me'));
    await group.session.recallMessage!({ id: sent.messageId, chat: { type: 'direct', contactId: alice } });
    expect(group.world('ipad').isRecalled(sent.messageId)).toBe(true);

    group.session.forceProvider('pchook');
    const recall = await group.session.recallMessage!({
      id: messageId('other'),
      chat: { type: 'direct', contactId: alice },
    }).catch((error: unknown) => error);
    expect(recall).toSatisfy(WechatUnsupportedCapabilityError.isInstance);
    expect(recall).toMatchObject({ capability: 'recall', providerId: 'pchook' });
    const voice = await group.session
      .sendMessage({
        to: { type: 'direct', contactId: alice },
        content: { kind: 'voice', media: { data: new Uint8Array([1, 2, 3]), mimeType: 'audio/ogg' }, durationMs: 1000 },
      })
      .catch((error: unknown) => error);
    expect(voice).toMatchObject({ code: 'CAPABILITY_UNSUPPORTED', capability: 'send.voice', providerId: 'pchook' });
  });

  it('sends lookups and room operations to the serving member', async () => {
    const group = setUp({ services: ipadAndPchook });
    await group.session.start();
    group.session.forceProvider('pchook');
    await group.session.renameRoom!(roomId('room-1'), 'Renamed through the PC hook');
    expect(group.world('pchook').room('room-1').snapshot().name).toBe('Renamed through the PC hook');
    expect(group.world('ipad').room('room-1').snapshot().name).toBe('Mock Room');
    expect(await group.session.getSelf()).toMatchObject({ id: 'mock-self' });
    expect(await group.session.getRoomCapabilities!(roomId('room-1'))).toMatchObject({ recall: 'full' });
  });
});

describe('inbound events', () => {
  it('emits a message that arrives through two members once, and its recall once', async () => {
    const group = setUp({ services: ipadAndPchook, sharedWorld: true });
    await group.session.start();
    const world = group.world('ipad');
    const delivered = await world.contact('alice').says('hello through both');
    await world.contact('alice').recalls(delivered.id);
    world.redeliver(delivered.id); // and the service re-sends it, as GeWeChat does
    expect(group.eventsOf('message-received').map(event => event.message.id)).toEqual([delivered.id]);
    expect(group.eventsOf('message-recalled').map(event => event.target.id)).toEqual([delivered.id]);
  });

  it('forwards what a standby member receives', async () => {
    const group = setUp({ services: ipadAndPchook });
    await group.session.start();
    const delivered = await group.world('pchook').contact('bob').in('room-1').says('only the PC hook saw this');
    await group.world('pchook').contact('carol').updatesProfile({ name: 'Carol L.' });
    expect(group.eventsOf('message-received')).toEqual([{ type: 'message-received', message: delivered }]);
    expect(group.eventsOf('contact-updated')).toEqual([{ type: 'contact-updated', contactId: 'carol' }]);
  });

  it('delivers what arrived while the active member was down, through the member that received it', async () => {
    const group = setUp({ services: ipadAndPchook, sharedWorld: true });
    await group.session.start();
    const world = group.world('ipad');
    world.goOffline(); // both members are on this world: both go down
    const pending = world.contact('alice').says('sent during the outage');
    await group.at(90);
    expect(group.session.state).toBe('transient-disconnect');
    world.goOnline();
    const delivered = await pending;
    expect(group.eventsOf('message-received').map(event => event.message)).toEqual([delivered]);
  });

  it("forwards the login steps of the member being logged in, and no other member's", async () => {
    // A member that shows a QR code of its own accord (a PC hook showing the one on the Windows screen, say).
    const chatty = (provider: ProviderV1): ProviderV1 => ({
      ...provider,
      createSession: options => {
        const session = provider.createSession(options);
        return new Proxy(session, {
          get: (target, key) =>
            key === 'start'
              ? async () => {
                  await target.start();
                  options.emit({ type: 'login-step', step: { type: 'qr-code', data: 'https://pchook.invalid/qr' } });
                }
              : Reflect.get(target, key),
        });
      },
    });
    const group = setUp({
      services: [
        { id: 'ipad', tier: 2, capabilities: { login: 'interactive' } },
        { id: 'pchook', tier: 3, wrap: chatty },
      ],
    });
    await group.session.start();
    expect(group.session.state).toBe('awaiting-login');
    expect(group.eventsOf('login-step')).toEqual([]);

    const login = await group.session.login!();
    const step = await login.start();
    expect(step).toMatchObject({ type: 'qr-code', data: expect.stringContaining('mock.wechat.invalid') });
    expect(group.eventsOf('login-step')).toEqual([{ type: 'login-step', step }]);
    await login.cancel();
  });
});
