import {
  createConsoleLogger,
  createProviderRegistry,
  noopLogger,
  type ProviderEventV1,
  type ProviderV1,
} from '@wechat/provider-api';
import { createMockWorld, type MockWorld } from '@wechat/provider-testkit';
import { afterEach, beforeAll, describe, expect, it } from 'vitest';
import { type BridgeConfig, bridgeConfigSchema } from '../bridge-config.ts';
import { MatrixPortError } from '../matrix/matrix-port.ts';
import type { BridgeStore } from '../store/bridge-store.ts';
import { createFakeMatrix, type FakeMatrix } from '../testing/fake-matrix.ts';
import { openTestStore } from '../testing/open-test-store.ts';
import { type Backend, findPostgres, pgliteBackend, postgresBackend } from '../testing/test-databases.ts';
import { type Bridge, createBridge } from './bridge.ts';
import * as v from 'valibot';

const user = '@alice:example.org';
const stranger = '@mallory:evil.org';
const config: BridgeConfig = v.parse(bridgeConfigSchema, { permissions: { 'example.org': 'user', '*': 'relay' } });

interface Setup {
  world: MockWorld;
  matrix: FakeMatrix;
  store: BridgeStore;
  bridge: Bridge;
  managementRoom: string;
  txn: (...events: ReturnType<FakeMatrix['humanSends']>[]) => Promise<void>;
}

const cleanups: (() => Promise<void>)[] = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

let txnCounter = 0;
/** The database the current suite runs on (suites run one after the other). */
let activeBackend: Backend = pgliteBackend;

function newBridge(
  world: MockWorld,
  matrix: FakeMatrix,
  store: BridgeStore,
  provider: ProviderV1 = world.provider,
  bridgeConfig = config,
  loginTimeoutMs = 5_000,
): Bridge {
  const bridge = createBridge({
    config: bridgeConfig,
    matrix,
    store,
    providers: createProviderRegistry([provider]),
    providerConfigs: new Map([[provider.id, world.config]]),
    logger: process.env.BRIDGE_TEST_DEBUG ? createConsoleLogger({ level: 'debug' }) : noopLogger,
    renderQrCode: async text => ({ data: new TextEncoder().encode(`qr:${text}`), mimeType: 'image/png', width: 10, height: 10 }),
    retryBaseMs: 20,
    loginTimeoutMs,
  });
  cleanups.push(() => bridge.stop());
  return bridge;
}

async function setup({
  provider,
  bridgeConfig,
  loginTimeoutMs,
}: {
  provider?: (world: MockWorld) => ProviderV1;
  bridgeConfig?: BridgeConfig;
  loginTimeoutMs?: number;
} = {}): Promise<Setup> {
  const world = createMockWorld({ startTime: Date.now() });
  const matrix = createFakeMatrix();
  const store = await openTestStore(activeBackend);
  cleanups.push(() => store.close());
  const bridge = newBridge(world, matrix, store, provider?.(world), bridgeConfig, loginTimeoutMs);
  await bridge.start();
  matrix.registerHuman(user);
  const txn = async (...events: ReturnType<FakeMatrix['humanSends']>[]) => {
    await bridge.acceptTransaction(`txn-${++txnCounter}`, { events });
    await bridge.idle();
  };
  // The user opens a DM with the bot: the management room.
  const managementRoom = await matrix.createRoom(user, { invite: [matrix.botUserId], isDirect: true });
  await txn(
    matrix.humanSends(
      user,
      managementRoom,
      'm.room.member',
      { membership: 'invite', is_direct: true },
      { stateKey: matrix.botUserId },
    ),
  );
  return { world, matrix, store, bridge, managementRoom, txn };
}

const bodies = (matrix: FakeMatrix, roomId: string) =>
  matrix.events(roomId).flatMap(event => (typeof event.content.body === 'string' ? [event.content.body] : []));

async function loggedIn(): Promise<Setup> {
  const setupResult = await setup();
  const { matrix, managementRoom, txn, world, bridge } = setupResult;
  await txn(matrix.humanSends(user, managementRoom, 'm.room.message', { msgtype: 'm.text', body: 'login' }));
  await waitFor(() => matrix.events(managementRoom).some(event => event.content.msgtype === 'm.image'));
  world.completeLogin();
  await bridge.idle();
  await waitFor(() => bodies(matrix, managementRoom).some(body => body.startsWith('Logged in to WeChat as Mock Self'))).catch(
    error => {
      throw new Error(`${error.message}; the management room shows: ${JSON.stringify(bodies(matrix, managementRoom))}`);
    },
  );
  return setupResult;
}

async function waitFor(condition: () => boolean | Promise<boolean>, timeoutMs = 3000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await condition())) {
    if (Date.now() > deadline) throw new Error('condition not met in time');
    await new Promise(resolve => setTimeout(resolve, 10));
  }
}

async function portalOf(store: BridgeStore, chatKey: string): Promise<string> {
  let roomId: string | undefined;
  await waitFor(async () => {
    roomId = (await store.portals.get(`mock:${user}`, chatKey))?.roomId;
    return roomId !== undefined;
  });
  return roomId as string;
}

function defineBridgeSuite(backend: Backend): void {
  describe(`the bridge on ${backend.name}`, () => {
    beforeAll(() => {
      activeBackend = backend;
    });

    describe('management room and commands', () => {
      it('joins when invited, greets with help, and answers unknown commands with help', async () => {
        const { matrix, managementRoom, txn, store } = await setup();
        expect(await store.users.get(user)).toEqual({ mxid: user, managementRoomId: managementRoom });
        expect(bodies(matrix, managementRoom)[0]).toContain('WeChat bridge commands:');
        await txn(matrix.humanSends(user, managementRoom, 'm.room.message', { msgtype: 'm.text', body: 'frobnicate' }));
        expect(bodies(matrix, managementRoom).at(-1)).toMatch(/^Unknown command 'frobnicate'\.\n\nWeChat bridge commands:/);
      });

      it('refuses a user without permission politely and leaves', async () => {
        const strict = v.parse(bridgeConfigSchema, { permissions: { 'example.org': 'user' } });
        const { matrix, txn } = await setup({ bridgeConfig: strict });
        matrix.registerHuman(stranger);
        const room = await matrix.createRoom(stranger, { invite: [matrix.botUserId], isDirect: true });
        await txn(
          matrix.humanSends(
            stranger,
            room,
            'm.room.member',
            { membership: 'invite', is_direct: true },
            { stateKey: matrix.botUserId },
          ),
        );
        expect(bodies(matrix, room)).toEqual([
          'Sorry, you are not allowed to use this WeChat bridge. Ask its administrator for access.',
        ]);
        expect(matrix.rooms.get(room)?.members.get(matrix.botUserId)).toBe('leave');
      });

      it('lets relay users talk to the bot but not log in', async () => {
        const { matrix, txn } = await setup();
        matrix.registerHuman(stranger);
        const dm = await matrix.createRoom(stranger, { invite: [matrix.botUserId], isDirect: true });
        await txn(
          matrix.humanSends(
            stranger,
            dm,
            'm.room.member',
            { membership: 'invite', is_direct: true },
            { stateKey: matrix.botUserId },
          ),
        );
        await txn(matrix.humanSends(stranger, dm, 'm.room.message', { msgtype: 'm.text', body: 'login' }));
        expect(bodies(matrix, dm).at(-1)).toBe(
          "Sorry, you are not allowed to use 'login'. Ask the bridge administrator for access.",
        );
      });

      it('logs in with a QR image, reports progress and persists the login', async () => {
        const { matrix, managementRoom, store, txn } = await loggedIn();
        const image = matrix.events(managementRoom).find(event => event.content.msgtype === 'm.image');
        expect(image?.content.body).toMatch(/^Scan this QR code with WeChat to log in: https:\/\/mock\.wechat\.invalid\/login\//);
        expect(matrix.uploads.get(image?.content.url as string)?.mimeType).toBe('image/png');
        expect(await store.logins.get(`mock:${user}`)).toMatchObject({
          ownerMxid: user,
          providerId: 'mock',
          selfContactId: 'mock-self',
          selfName: 'Mock Self',
        });
        await txn(matrix.humanSends(user, managementRoom, 'm.room.message', { msgtype: 'm.text', body: 'ping' }));
        expect(bodies(matrix, managementRoom).at(-1)).toMatch(/^Logged in as Mock Self through mock: connected/);
      });

      it('posts a fresh QR code when the old one expires', async () => {
        const { matrix, managementRoom, txn, world, bridge } = await setup();
        await txn(matrix.humanSends(user, managementRoom, 'm.room.message', { msgtype: 'm.text', body: 'login' }));
        await waitFor(() => matrix.events(managementRoom).some(event => event.content.msgtype === 'm.image'));
        world.expireQrCode();
        await waitFor(() => matrix.events(managementRoom).filter(event => event.content.msgtype === 'm.image').length === 2);
        const [first, second] = matrix.events(managementRoom).filter(event => event.content.msgtype === 'm.image');
        expect(first?.content.body).not.toBe(second?.content.body);
        world.completeLogin();
        await waitFor(() => bodies(matrix, managementRoom).some(body => body.startsWith('Logged in to WeChat')));
        await bridge.idle();
      });

      it('gives up a login nobody completes, cleanly', async () => {
        const { matrix, managementRoom, txn, bridge, store } = await setup({ loginTimeoutMs: 300 });
        await txn(matrix.humanSends(user, managementRoom, 'm.room.message', { msgtype: 'm.text', body: 'login' }));
        await waitFor(() => bodies(matrix, managementRoom).some(body => body.startsWith('Login timed out')));
        await bridge.idle();
        expect(await store.logins.get(`mock:${user}`)).toBeUndefined();
        expect(bridge.status()).toEqual([]);
      });

      it('logs in with credentials when the provider has no QR login', async () => {
        const credentials = (world: MockWorld) => world.createProvider({ capabilities: { login: 'credentials' } }) as ProviderV1;
        const { matrix, managementRoom, txn, bridge } = await setup({ provider: credentials });
        await txn(matrix.humanSends(user, managementRoom, 'm.room.message', { msgtype: 'm.text', body: 'login' }));
        await waitFor(() => bodies(matrix, managementRoom).some(body => body.startsWith('Logged in to WeChat as Mock Self')));
        expect(matrix.events(managementRoom).some(event => event.content.msgtype === 'm.image')).toBe(false);
        await bridge.idle();
      });

      it('lets the user cancel a pending login', async () => {
        const { matrix, managementRoom, txn, bridge } = await setup();
        await txn(matrix.humanSends(user, managementRoom, 'm.room.message', { msgtype: 'm.text', body: 'login' }));
        await waitFor(() => matrix.events(managementRoom).some(event => event.content.msgtype === 'm.image'));
        await txn(matrix.humanSends(user, managementRoom, 'm.room.message', { msgtype: 'm.text', body: 'cancel' }));
        await bridge.idle();
        expect(bodies(matrix, managementRoom)).toContain('Login cancelled.');
      });
    });

    describe('WeChat → Matrix', () => {
      it('creates a DM portal with a named ghost on the first message, and bridges later ones into it', async () => {
        const { matrix, store, world, bridge } = await loggedIn();
        await world.contact('alice').says('hello from WeChat');
        await bridge.idle();
        const roomId = await portalOf(store, 'direct:alice');
        const ghost = '@wechat_alice:example.org';
        expect(matrix.profile(ghost)).toMatchObject({ registered: true, displayName: 'Alice (WeChat)' });
        expect(matrix.state(roomId, 'm.room.name')).toEqual({ name: 'Alice' });
        expect(matrix.rooms.get(roomId)?.members.get(user)).toBe('invite');
        expect(
          matrix
            .events(roomId)
            .filter(event => event.type === 'm.room.message')
            .map(event => [event.sender, event.content.body]),
        ).toEqual([[ghost, 'hello from WeChat']]);
        await world.contact('alice').says('second');
        await bridge.idle();
        expect(matrix.rooms.size).toBe(3); // the management room, the login space and one portal: no second portal
        expect(bodies(matrix, roomId)).toEqual(['hello from WeChat', 'second']);
      });

      it('uploads a contact’s avatar once and again only when it changes', async () => {
        const { matrix, world, bridge } = await loggedIn();
        const ghost = '@wechat_alice:example.org';
        await world.contact('alice').says('hi');
        await bridge.idle();
        expect(matrix.profile(ghost).avatarUrl).toBeUndefined();
        await world.contact('alice').updatesProfile({ avatar: { data: new Uint8Array([1, 2, 3]), mimeType: 'image/png' } });
        await waitFor(() => matrix.profile(ghost).avatarUrl !== undefined);
        const first = matrix.profile(ghost).avatarUrl as string;
        expect(matrix.uploads.get(first)?.data).toEqual(new Uint8Array([1, 2, 3]));
        const uploads = matrix.callCount('uploadContent');
        await world.contact('alice').updatesProfile({ name: 'Alice Renamed' });
        await waitFor(() => matrix.profile(ghost).displayName === 'Alice Renamed (WeChat)');
        await world.contact('alice').says('same picture');
        await bridge.idle();
        expect(matrix.callCount('uploadContent')).toBe(uploads);
        await world.contact('alice').updatesProfile({ avatar: { data: new Uint8Array([4, 5]), mimeType: 'image/png' } });
        await waitFor(() => matrix.profile(ghost).avatarUrl !== first);
        expect(matrix.uploads.get(matrix.profile(ghost).avatarUrl as string)?.data).toEqual(new Uint8Array([4, 5]));
      });

      it('bridges group messages as each sender’s ghost, with mentions', async () => {
        const { matrix, store, world, bridge } = await loggedIn();
        await world
          .contact('bob')
          .in('room-1')
          .says('hi @Mock Self', { mentions: ['mock-self'] });
        await bridge.idle();
        const roomId = await portalOf(store, 'room:room-1');
        const message = matrix.events(roomId).find(event => event.type === 'm.room.message');
        expect(message?.sender).toBe('@wechat_bob:example.org');
        expect(message?.content['m.mentions']).toEqual({ user_ids: [user] });
        expect(matrix.state(roomId, 'm.room.name')).toEqual({ name: 'Mock Room' });
      });

      it('mirrors group members joining and leaving on WeChat as ghosts joining and leaving the portal', async () => {
        const { matrix, store, world, bridge } = await loggedIn();
        await world.contact('bob').in('room-1').says('hello group');
        await bridge.idle();
        const roomId = await portalOf(store, 'room:room-1');
        await world.contact('dave').joins('room-1', { invitedBy: 'bob' });
        await bridge.idle();
        await waitFor(() => matrix.rooms.get(roomId)?.members.get('@wechat_dave:example.org') === 'join');
        expect(matrix.profile('@wechat_dave:example.org').displayName).toBe('Dave (WeChat)');
        await world.contact('bob').leaves('room-1');
        await bridge.idle();
        await waitFor(() => matrix.rooms.get(roomId)?.members.get('@wechat_bob:example.org') === 'leave');
        // Bob comes back later: his ghost joins again instead of trusting a stale "already joined".
        await world.contact('bob').joins('room-1');
        await world.contact('bob').in('room-1').says('back again');
        await bridge.idle();
        expect(matrix.rooms.get(roomId)?.members.get('@wechat_bob:example.org')).toBe('join');
        expect(bodies(matrix, roomId)).toContain('back again');
      });

      it('rejoins a ghost that was kicked from its portal and still delivers the message', async () => {
        const { matrix, store, world, bridge } = await loggedIn();
        await world.contact('alice').says('first');
        await bridge.idle();
        const roomId = await portalOf(store, 'direct:alice');
        await matrix.leave('@wechat_alice:example.org', roomId); // as if someone kicked the ghost
        await world.contact('alice').says('after the kick');
        await bridge.idle();
        expect(bodies(matrix, roomId)).toEqual(['first', 'after the kick']);
        expect(matrix.rooms.get(roomId)?.members.get('@wechat_alice:example.org')).toBe('join');
      });

      it('shows messages sent from the phone as the account’s own ghost', async () => {
        const { matrix, store, world, bridge } = await loggedIn();
        await world.self.to('alice').says('typed on my phone');
        await bridge.idle();
        const roomId = await portalOf(store, 'direct:alice');
        const message = matrix.events(roomId).find(event => event.type === 'm.room.message');
        expect(message?.sender).toBe('@wechat_mock-self:example.org');
        expect(matrix.profile('@wechat_mock-self:example.org').displayName).toBe('Mock Self (you, on WeChat)');
      });

      it('bridges a re-delivered message once', async () => {
        const { matrix, store, world, bridge } = await setupWithRedelivery();
        await world.contact('alice').says('only once please');
        await bridge.idle();
        const roomId = await portalOf(store, 'direct:alice');
        expect(bodies(matrix, roomId)).toEqual(['only once please']);
      });

      it('redacts the Matrix event when the message is recalled on WeChat', async () => {
        const { matrix, store, world, bridge } = await loggedIn();
        const message = await world.contact('alice').says('oops');
        await bridge.idle();
        const roomId = await portalOf(store, 'direct:alice');
        await world.contact('alice').recalls(message.id);
        await bridge.idle();
        const original = matrix.events(roomId).find(event => event.content.body === 'oops');
        expect(original?.redactedBy).toBeDefined();
      });

      it('keeps a message whose sending failed for now, and bridges it after a restart', async () => {
        const { matrix, store, world, bridge } = await loggedIn();
        await world.contact('alice').says('first');
        await bridge.idle();
        const roomId = await portalOf(store, 'direct:alice');
        matrix.failNext('sendEvent', new MatrixPortError({ message: 'homeserver down', statusCode: 502 }));
        await world.contact('alice').says('during the outage');
        await waitFor(async () => (await store.inbox.listPending(10)).some(entry => entry.attempts > 0));
        await bridge.stop();
        const restarted = newBridge(world, matrix, store);
        await restarted.start();
        await restarted.idle();
        expect(bodies(matrix, roomId)).toEqual(['first', 'during the outage']);
      });
    });

    describe('Matrix → WeChat', () => {
      it('sends a reply to WeChat with the quoted message, with a delivery receipt and without echoing it back', async () => {
        const { matrix, store, world, bridge, txn } = await loggedIn();
        const incoming = await world.contact('alice').says('question?');
        await bridge.idle();
        const roomId = await portalOf(store, 'direct:alice');
        await matrix.join(user, roomId);
        const questionEvent = matrix.events(roomId).find(event => event.content.body === 'question?');
        world.reset();
        const answer = matrix.humanSends(user, roomId, 'm.room.message', {
          msgtype: 'm.text',
          body: '> <@wechat_alice:example.org> question?\n\nanswer!',
          'm.relates_to': { 'm.in_reply_to': { event_id: questionEvent?.eventId } },
        });
        await txn(answer);
        await bridge.idle();
        expect(world.sent()).toEqual([
          expect.objectContaining({
            kind: 'text',
            text: 'answer!',
            chat: { type: 'direct', contactId: 'alice' },
            replyTo: incoming.id,
          }),
        ]);
        expect(matrix.receipts).toContainEqual({ userId: matrix.botUserId, roomId, eventId: answer.event_id });
        expect(bodies(matrix, roomId)).toEqual(['question?', '> <@wechat_alice:example.org> question?\n\nanswer!']);
      });

      it('recalls on WeChat when the user redacts a bridged message', async () => {
        const { matrix, store, world, bridge, txn } = await loggedIn();
        await world.contact('alice').says('hi');
        await bridge.idle();
        const roomId = await portalOf(store, 'direct:alice');
        await matrix.join(user, roomId);
        const mine = matrix.humanSends(user, roomId, 'm.room.message', { msgtype: 'm.text', body: 'regret' });
        await txn(mine);
        const sentId = (await store.messages.getByEventId(mine.event_id))?.wechatMessageId;
        expect(sentId).toBeDefined();
        await txn(matrix.humanSends(user, roomId, 'm.room.redaction', { redacts: mine.event_id }));
        expect(world.isRecalled(sentId as string)).toBe(true);
      });

      it('processes a transaction once, even when the homeserver sends it again', async () => {
        const { matrix, store, world, bridge } = await loggedIn();
        await world.contact('alice').says('hi');
        await bridge.idle();
        const roomId = await portalOf(store, 'direct:alice');
        await matrix.join(user, roomId);
        world.reset();
        const event = matrix.humanSends(user, roomId, 'm.room.message', { msgtype: 'm.text', body: 'once' });
        await bridge.acceptTransaction('txn-repeat', { events: [event] });
        await bridge.acceptTransaction('txn-repeat', { events: [event] });
        await bridge.acceptTransaction('txn-other-with-same-event', { events: [event] });
        await bridge.idle();
        expect(world.sent().map(sent => sent.kind === 'text' && sent.text)).toEqual(['once']);
      });

      it('answers a failure with a notice naming the reason and carries on with the next event', async () => {
        const { matrix, store, world, bridge, txn } = await loggedIn();
        await world.contact('alice').says('hi');
        await bridge.idle();
        const roomId = await portalOf(store, 'direct:alice');
        await matrix.join(user, roomId);
        world.reset();
        await txn(
          matrix.humanSends(user, roomId, 'm.room.message', { msgtype: 'm.text', body: '   ' }),
          matrix.humanSends(user, roomId, 'm.room.message', { msgtype: 'm.image', body: 'no url' }),
          matrix.humanSends(user, roomId, 'm.room.message', { msgtype: 'm.text', body: 'still works' }),
        );
        expect(bodies(matrix, roomId).filter(body => body.startsWith('⚠️'))).toEqual([
          '⚠️ Your message was not delivered to WeChat: This message cannot be sent to WeChat: the message is empty.',
          '⚠️ Your message was not delivered to WeChat: This message cannot be sent to WeChat: encrypted or missing attachments cannot be sent to WeChat.',
        ]);
        expect(world.sent().map(sent => sent.kind === 'text' && sent.text)).toEqual(['still works']);
      });

      it('keeps a message sent while WeChat reconnects and delivers it once WeChat is back', async () => {
        const { matrix, store, world, bridge } = await loggedIn();
        await world.contact('alice').says('hi');
        await bridge.idle();
        const roomId = await portalOf(store, 'direct:alice');
        await matrix.join(user, roomId);
        world.reset();
        world.goOffline();
        await waitFor(() => bridge.status()[0]?.state === 'transient-disconnect');
        await bridge.acceptTransaction('while-offline', {
          events: [matrix.humanSends(user, roomId, 'm.room.message', { msgtype: 'm.text', body: 'patience' })],
        });
        await new Promise(resolve => setTimeout(resolve, 300)); // well past several retry intervals
        expect(world.sent()).toEqual([]);
        world.goOnline();
        await waitFor(() => world.sent().length === 1);
        expect(world.sent()[0]).toMatchObject({ kind: 'text', text: 'patience' });
        expect(bodies(matrix, roomId).some(body => body.startsWith('⚠️'))).toBe(false);
      });

      it('retries a send that failed for a passing reason', async () => {
        const { matrix, store, world, bridge, txn } = await loggedIn();
        await world.contact('alice').says('hi');
        await bridge.idle();
        const roomId = await portalOf(store, 'direct:alice');
        await matrix.join(user, roomId);
        world.reset();
        world.failNext('network');
        await txn(matrix.humanSends(user, roomId, 'm.room.message', { msgtype: 'm.text', body: 'eventually' }));
        await waitFor(() => world.sent().length === 1);
        expect(world.sent()[0]).toMatchObject({ kind: 'text', text: 'eventually' });
      });
    });

    describe('chats started from Matrix', () => {
      it('turns a DM the user opens with a contact’s ghost into that contact’s portal', async () => {
        const { matrix, store, world, txn } = await loggedIn();
        const ghost = '@wechat_carol:example.org';
        const roomId = await matrix.createRoom(user, { invite: [ghost], isDirect: true });
        await txn(
          matrix.humanSends(user, roomId, 'm.room.member', { membership: 'invite', is_direct: true }, { stateKey: ghost }),
        );
        expect((await store.portals.get(`mock:${user}`, 'direct:carol'))?.roomId).toBe(roomId);
        expect(matrix.rooms.get(roomId)?.members.get(ghost)).toBe('join');
        world.reset();
        await txn(matrix.humanSends(user, roomId, 'm.room.message', { msgtype: 'm.text', body: 'hi Carol, from Matrix' }));
        expect(world.sent()).toEqual([
          expect.objectContaining({ kind: 'text', text: 'hi Carol, from Matrix', chat: { type: 'direct', contactId: 'carol' } }),
        ]);
      });

      it('points to the existing portal instead of creating a second one', async () => {
        const { matrix, store, world, bridge, txn } = await loggedIn();
        await world.contact('alice').says('hi');
        await bridge.idle();
        const existing = await portalOf(store, 'direct:alice');
        const ghost = '@wechat_alice:example.org';
        const roomId = await matrix.createRoom(user, { invite: [ghost], isDirect: true });
        await txn(
          matrix.humanSends(user, roomId, 'm.room.member', { membership: 'invite', is_direct: true }, { stateKey: ghost }),
        );
        expect(bodies(matrix, roomId)).toEqual([
          `You already have a chat with this WeChat contact: https://matrix.to/#/${existing}`,
        ]);
        expect(matrix.rooms.get(roomId)?.members.get(ghost)).toBe('leave');
      });
    });

    describe('connection notices', () => {
      it('tells the user when WeChat drops and when it is back', async () => {
        const { matrix, world, bridge, managementRoom } = await loggedIn();
        world.goOffline();
        await waitFor(() => bodies(matrix, managementRoom).some(body => body.startsWith('⚠️ Lost the connection to WeChat')));
        world.goOnline();
        await waitFor(() =>
          bodies(matrix, managementRoom).some(body => body.startsWith('✅ Reconnected to WeChat as Mock Self')),
        );
        await bridge.idle();
      });

      it('restarts a session stuck in an error until it connects again', async () => {
        let injectError: (() => void) | undefined;
        let starts = 0;
        // The mock never reports unknown-error by itself; this wrapper lets the test inject one.
        const faulty = (world: MockWorld): ProviderV1 => ({
          ...(world.provider as ProviderV1),
          createSession: options => {
            const session = (world.provider as ProviderV1).createSession(options);
            injectError = () => options.emit({ type: 'state-changed', state: 'unknown-error', previous: 'connected' });
            const start = session.start.bind(session);
            return Object.assign(session, {
              start: () => {
                starts++;
                return start();
              },
            });
          },
        });
        const setupResult = await setup({ provider: faulty });
        const { matrix, managementRoom, txn, world, bridge } = setupResult;
        await txn(matrix.humanSends(user, managementRoom, 'm.room.message', { msgtype: 'm.text', body: 'login' }));
        await waitFor(() => matrix.events(managementRoom).some(event => event.content.msgtype === 'm.image'));
        world.completeLogin();
        await waitFor(() => bodies(matrix, managementRoom).some(body => body.startsWith('Logged in')));
        const startsBefore = starts;
        injectError?.();
        await waitFor(() => bodies(matrix, managementRoom).some(body => body.startsWith('⚠️ WeChat reported an error')));
        await waitFor(() => starts > startsBefore);
        await waitFor(() => bodies(matrix, managementRoom).some(body => body.startsWith('✅ Reconnected to WeChat')));
        await bridge.idle();
      });

      it('tells the user when WeChat logs them out', async () => {
        const { matrix, world, bridge, managementRoom, txn } = await loggedIn();
        world.failNext('auth');
        // A ping makes no remote call; `sync` does, and the failure logs the session out.
        await txn(matrix.humanSends(user, managementRoom, 'm.room.message', { msgtype: 'm.text', body: 'sync' }));
        await waitFor(() => bodies(matrix, managementRoom).some(body => body.startsWith('You were logged out of WeChat')));
        await bridge.idle();
      });
    });

    describe('restarts', () => {
      it('restores the login without a new QR scan', async () => {
        const { matrix, store, world, bridge, managementRoom } = await loggedIn();
        await bridge.stop();
        const restarted = newBridge(world, matrix, store);
        await restarted.start();
        await waitFor(() => restarted.status()[0]?.state === 'connected');
        await world.contact('alice').says('after restart');
        await restarted.idle();
        expect(bodies(matrix, await portalOf(store, 'direct:alice'))).toEqual(['after restart']);
        expect(matrix.events(managementRoom).filter(event => event.content.msgtype === 'm.image')).toHaveLength(1);
      });
    });
  });
}

defineBridgeSuite(pgliteBackend);
const postgres = await findPostgres();
if ('uri' in postgres) defineBridgeSuite(postgresBackend(postgres.uri));
else if (process.env.CI) {
  describe('the bridge on PostgreSQL', () => {
    it('needs the PostgreSQL server of the CI machine', () => {
      throw new Error(postgres.reason);
    });
  });
} else {
  console.warn(`Skipping the bridge tests on PostgreSQL: ${postgres.reason}`);
}

/** The mock provider, wrapped so that every message is delivered twice (GeWeChat does this, hours apart). */
async function setupWithRedelivery(): Promise<Setup> {
  const redelivering = (world: MockWorld): ProviderV1 => ({
    ...(world.provider as ProviderV1),
    createSession: options =>
      (world.provider as ProviderV1).createSession({
        ...options,
        emit: (event: ProviderEventV1) => {
          options.emit(event);
          if (event.type === 'message-received') options.emit(event);
        },
      }),
  });
  const result = await setup({ provider: redelivering });
  const { matrix, managementRoom, txn, world, bridge } = result;
  await txn(matrix.humanSends(user, managementRoom, 'm.room.message', { msgtype: 'm.text', body: 'login' }));
  await waitFor(() => matrix.events(managementRoom).some(event => event.content.msgtype === 'm.image'));
  world.completeLogin();
  await bridge.idle();
  await waitFor(() => bodies(matrix, managementRoom).some(body => body.startsWith('Logged in')));
  return result;
}
