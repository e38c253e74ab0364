// The bridge as a self-hoster runs it: its own CLI, a config and registration made by that CLI, a real Synapse,
// matrix-js-sdk as the person in Element, and the remote mock as WeChat (controlled from this test process).
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createMockWorld, type MockWorld } from '@wechat/provider-testkit';
import { startRemoteMockServer } from '@wechat/provider-testkit/remote-mock';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { type BridgeProcess, type BridgeSetup, startBridge, writeBridgeConfig } from './harness/bridge-process.ts';
import { type EventJson, type Human, loginHuman } from './harness/human.ts';
import { freePort } from './harness/ports.ts';
import { type Synapse, startSynapse } from './harness/synapse.ts';

const mockToken = 'e2e-remote-mock-token';

describe('the bridge end to end', () => {
  let dir: string;
  let setup: BridgeSetup;
  let synapse: Synapse;
  let world: MockWorld;
  let mock: { url: string; close(): Promise<void> };
  let bridge: BridgeProcess;
  let alice: Human;
  let bob: Human;
  let managementRoom: string;
  let portal: string;
  const ghost = (id: string) => `@wechat_${id}:localhost`;
  const humans: Human[] = [];

  const launch = async () => {
    bridge = startBridge({ configFile: setup.configFile, cwd: dir });
    await bridge.waitForLog(/bridge started/, { timeoutMs: 60_000 });
  };
  const isText = (body: string) => (event: EventJson) => event.type === 'm.room.message' && event.content.body === body;
  const sentTexts = () => world.sent().flatMap(sent => (sent.kind === 'text' ? [sent.text] : []));
  const waitUntil = async (condition: () => boolean, what: string, timeoutMs = 20_000) => {
    const deadline = Date.now() + timeoutMs;
    while (!condition()) {
      if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
      await new Promise(resolve => setTimeout(resolve, 50));
    }
  };
  /** PUTs a transaction to the bridge as the homeserver would. */
  const putTransaction = (txnId: string, body: unknown, token = setup.hsToken) =>
    fetch(`${setup.appserviceUrl}/_matrix/app/v1/transactions/${txnId}`, {
      method: 'PUT',
      headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
      body: typeof body === 'string' ? body : JSON.stringify(body),
    });

  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'wechat-e2e-bridge-'));
    world = createMockWorld({ startTime: Date.now() });
    mock = await startRemoteMockServer({ world, token: mockToken });
    const port = await freePort();
    setup = await writeBridgeConfig({
      dir,
      homeserverUrl: `http://127.0.0.1:${port}`,
      settings: [
        [
          ['providers'],
          { mock: { enabled: true, module: '@wechat/provider-testkit/remote-mock', url: mock.url, token: mockToken } },
        ],
        [['bridge', 'permissions'], { '@alice:localhost': 'user' }],
      ],
    });
    synapse = await startSynapse({ registrationFiles: [setup.registrationFile], port, python: inject('synapsePython') });
    await synapse.registerUser('alice', 'alice-password-1');
    await synapse.registerUser('bob', 'bob-password-1');
    await launch();
    alice = await loginHuman(synapse.baseUrl, 'alice', 'alice-password-1');
    bob = await loginHuman(synapse.baseUrl, 'bob', 'bob-password-1');
    humans.push(alice, bob);
  }, 180_000);

  afterAll(async () => {
    for (const human of humans) await human.stop();
    await bridge?.stop().catch(() => bridge.kill());
    await synapse?.stop();
    await mock?.close();
    if (dir && !process.env.WECHAT_E2E_KEEP_DIRS) await rm(dir, { recursive: true, force: true });
  });

  it('answers an invitation with help', async () => {
    managementRoom = await alice.createDm(setup.botUserId);
    const help = await alice.waitForEvent(managementRoom, event =>
      String(event.content.body ?? '').includes('WeChat bridge commands:'),
    );
    expect(help.sender).toBe(setup.botUserId);
    expect(help.content.msgtype).toBe('m.notice');
  });

  it('refuses a user without permission politely', async () => {
    const room = await bob.createDm(setup.botUserId);
    const refusal = await bob.waitForEvent(room, event => event.sender === setup.botUserId && event.type === 'm.room.message');
    expect(refusal.content.body).toBe('Sorry, you are not allowed to use this WeChat bridge. Ask its administrator for access.');
  });

  it('logs in with a QR image that completes when the phone confirms', async () => {
    await alice.sendText(managementRoom, 'login');
    const qr = await alice.waitForEvent(managementRoom, event => event.content.msgtype === 'm.image');
    expect(String(qr.content.body)).toMatch(/^Scan this QR code with WeChat to log in: /);
    expect(String(qr.content.url)).toMatch(/^mxc:\/\/localhost\//);
    world.completeLogin();
    await alice.waitForEvent(managementRoom, event =>
      String(event.content.body ?? '').startsWith('Logged in to WeChat as Mock Self'),
    );
  });

  it('answers unknown commands with help', async () => {
    await alice.sendText(managementRoom, 'frobnicate');
    await alice.waitForEvent(managementRoom, event =>
      String(event.content.body ?? '').startsWith("Unknown command 'frobnicate'"),
    );
  });

  it('creates a portal with a correctly named ghost for an incoming WeChat text', async () => {
    await world.contact('alice').says('hello from WeChat');
    // The login's space comes first, then the portal inside it.
    const space = await alice.waitForRoomInvite(setup.botUserId);
    await alice.joinRoom(space);
    expect((await alice.roomState(space, 'm.room.create'))?.type).toBe('m.space');
    portal = await alice.waitForRoomInvite(setup.botUserId);
    await alice.joinRoom(portal);
    expect(await alice.roomState(space, 'm.space.child', portal)).toMatchObject({ via: ['localhost'] });
    const message = await alice.waitForEvent(portal, isText('hello from WeChat'));
    expect(message.sender).toBe(ghost('alice'));
    const profile = await alice.client.getProfileInfo(ghost('alice'));
    expect(profile.displayname).toBe('Alice (WeChat)');
    expect(await alice.roomState(portal, 'm.room.name')).toEqual({ name: 'Alice' });
  });

  it('shows a message WeChat delivers twice only once', async () => {
    const message = await world.contact('alice').says('delivered twice');
    await alice.waitForEvent(portal, isText('delivered twice'));
    world.redeliver(message.id);
    await world.contact('alice').says('the next one');
    await alice.waitForEvent(portal, isText('the next one'));
    const copies = alice.client
      .getRoom(portal)
      ?.getLiveTimeline()
      .getEvents()
      .filter(event => event.getContent().body === 'delivered twice');
    expect(copies).toHaveLength(1);
  });

  it('sends a reply from Matrix to WeChat, with a delivery receipt', async () => {
    world.reset();
    await alice.sendText(portal, 'hello from Matrix');
    await waitUntil(() => sentTexts().includes('hello from Matrix'), 'the reply to reach WeChat');
    expect(world.sent()[0]).toMatchObject({ chat: { type: 'direct', contactId: 'alice' } });
  });

  it('redacts the Matrix message when it is recalled on WeChat, and recalls on WeChat when redacted in Matrix', async () => {
    const recalled = await world.contact('alice').says('take this back');
    const event = await alice.waitForEvent(portal, isText('take this back'));
    await world.contact('alice').recalls(recalled.id);
    await alice.waitForEvent(portal, redaction => redaction.type === 'm.room.redaction' && redaction.redacts === event.event_id);

    world.reset();
    const mine = await alice.sendText(portal, 'regret this');
    await waitUntil(() => sentTexts().includes('regret this'), 'the message to reach WeChat');
    const sentId = world.sent()[0]?.messageId as string;
    await alice.redact(portal, mine);
    await waitUntil(() => world.isRecalled(sentId), 'the recall on WeChat');
  });

  it('bridges a message once when the homeserver sends its transaction again', async () => {
    world.reset();
    const eventId = await alice.sendText(portal, 'exactly once');
    const event = await alice.waitForEvent(portal, candidate => candidate.event_id === eventId);
    await waitUntil(() => sentTexts().includes('exactly once'), 'the first delivery');
    for (const txnId of ['replayed-1', 'replayed-1', 'replayed-2']) {
      expect((await putTransaction(txnId, { events: [event] })).status).toBe(200);
    }
    await new Promise(resolve => setTimeout(resolve, 500));
    expect(sentTexts().filter(text => text === 'exactly once')).toHaveLength(1);
  });

  it('rejects bad transactions clearly and keeps working after a broken event', async () => {
    expect((await putTransaction('bad-token', { events: [] }, 'wrong-token')).status).toBe(403);
    expect((await putTransaction('not-json', '{not json')).status).toBe(400);
    expect((await putTransaction('no-events', { nothing: true })).status).toBe(400);
    const broken = {
      type: 'm.room.message',
      event_id: '$broken',
      room_id: portal,
      sender: alice.userId,
      content: null,
      origin_server_ts: Date.now(),
    };
    expect((await putTransaction('with-broken-event', { events: [broken, { garbage: true }] })).status).toBe(200);
    world.reset();
    await alice.sendText(portal, 'after the broken event');
    await waitUntil(() => sentTexts().includes('after the broken event'), 'the next message');
  });

  it('survives being killed mid-traffic: nothing lost, nothing doubled, no new login', async () => {
    world.reset();
    const fromWechat = ['while down 1', 'while down 2'];
    const beforeCrash = await alice.sendText(portal, 'before the crash');
    // The bot's delivery receipt is the bridge's word that the message is done; kill it right after.
    await waitUntil(
      () => alice.client.getRoom(portal)?.hasUserReadEvent(setup.botUserId, beforeCrash) === true,
      'the delivery receipt of the message before the crash',
    );
    await bridge.kill();
    for (const text of fromWechat) await world.contact('alice').says(text);
    await alice.sendText(portal, 'sent while the bridge was down');
    await launch();
    for (const text of fromWechat) await alice.waitForEvent(portal, isText(text), 60_000);
    await waitUntil(() => sentTexts().includes('sent while the bridge was down'), 'the message queued in Synapse', 60_000);
    // Restored from the database: no second QR code was needed.
    const qrCodes = alice.client
      .getRoom(managementRoom)
      ?.getLiveTimeline()
      .getEvents()
      .filter(event => event.getContent().msgtype === 'm.image');
    expect(qrCodes).toHaveLength(1);
    await new Promise(resolve => setTimeout(resolve, 1000));
    expect(sentTexts().filter(text => text === 'before the crash')).toHaveLength(1);
    expect(sentTexts().filter(text => text === 'sent while the bridge was down')).toHaveLength(1);
  });

  it('stops cleanly on SIGTERM with exit code 0', async () => {
    expect(await bridge.stop()).toBe(0);
    await launch();
  });
});
