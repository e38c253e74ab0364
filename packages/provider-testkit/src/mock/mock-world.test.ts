import {
  contactId,
  createMemorySessionStorage,
  type ManagedSessionV1,
  openSession,
  type ProviderEventV1,
  roomId,
  WechatAuthenticationError,
  WechatInvalidArgumentError,
  WechatMediaTooLargeError,
  WechatNotFoundError,
  WechatProviderUnavailableError,
  WechatRateLimitedError,
  WechatRequestError,
  WechatUnsupportedCapabilityError,
} from '@wechat/provider-api';
import { describe, expect, it } from 'vitest';
import { type MockWorld, createMockWorld } from './mock-world.ts';

const alice = contactId('alice');
const room1 = roomId('room-1');

/** A started, logged-in session on `world`, with every event it emits. */
async function connectedSession(world: MockWorld, session: ManagedSessionV1 = world.openSession()) {
  const events: ProviderEventV1[] = [];
  session.on('*', event => {
    events.push(event);
  });
  await world.connectSession(session);
  expect(session.state).toBe('connected');
  return { session, events };
}

const received = (events: readonly ProviderEventV1[]) =>
  events.flatMap(event => (event.type === 'message-received' ? [event.message] : []));

describe('createMockWorld', () => {
  it('is deterministic: the same calls give the same ids and timestamps', async () => {
    const run = async () => {
      const world = createMockWorld();
      const { session, events } = await connectedSession(world);
      await world.contact('alice').says('hi');
      const sent = await session.sendMessage({ to: { type: 'direct', contactId: alice }, content: { kind: 'text', text: 'yo' } });
      await session.stop();
      return { sent, messages: received(events) };
    };
    expect(await run()).toEqual(await run());
  });

  it('logs in with a QR code step by step, and persists the login for the next session', async () => {
    const world = createMockWorld();
    const storage = new Map<string, string>();
    const persistent = {
      get: async (key: string) => storage.get(key),
      set: async (key: string, value: string) => void storage.set(key, value),
      delete: async (key: string) => void storage.delete(key),
    };
    const session = world.openSession({ storage: persistent });
    const steps: string[] = [];
    session.on('login-step', ({ step }) => {
      steps.push(step.type);
    });
    await session.start();
    expect(session.state).toBe('awaiting-login');
    const login = await session.login!();
    const qr = await login.start();
    expect(qr).toEqual({ type: 'qr-code', data: expect.stringMatching(/^https:\/\/mock\.wechat\.invalid\/login\//) });
    const next = login.next();
    world.scanQrCode();
    expect(await next).toMatchObject({ type: 'waiting-for-confirmation', name: 'Mock Self' });
    world.confirmLogin();
    expect(await login.next()).toEqual({ type: 'complete', self: expect.objectContaining({ id: 'mock-self' }) });
    expect(session.state).toBe('connected');
    expect(steps).toEqual(['qr-code', 'waiting-for-confirmation', 'complete']);
    await session.stop();

    const again = world.openSession({ storage: persistent });
    await again.start();
    expect(again.state).toBe('connected');
  });

  it('delivers an earlier message again, unchanged', async () => {
    const world = createMockWorld();
    const session = world.openSession();
    const received: string[] = [];
    session.on('message-received', ({ message }) => {
      received.push(message.id);
    });
    await world.connectSession(session);
    const message = await world.contact('alice').says('twice');
    expect(world.redeliver(message.id)).toEqual(message);
    expect(received).toEqual([message.id, message.id]);
    expect(() => world.redeliver('nope')).toThrow("No message 'nope' to deliver again");
    await session.stop();
  });

  it('shows a fresh QR code when the old one expires', async () => {
    const world = createMockWorld();
    const session = world.openSession();
    await session.start();
    const login = await session.login!();
    const first = await login.start();
    world.expireQrCode();
    const second = await login.next();
    expect(second.type).toBe('qr-code');
    expect(second).not.toEqual(first);
    world.completeLogin();
    expect((await login.next()).type).toBe('waiting-for-confirmation');
    expect((await login.next()).type).toBe('complete');
    await session.stop();
    expect(() => world.expireQrCode()).toThrow('No login is waiting to expire the QR code');
  });

  it('cancels a pending login when the session stops, and refuses a scan nobody waits for', async () => {
    const world = createMockWorld();
    const session = world.openSession();
    await session.start();
    const login = await session.login!();
    await login.start();
    const pending = login.next();
    await session.stop();
    await expect(pending).rejects.toSatisfy(WechatAuthenticationError.isInstance);
    expect(() => world.scanQrCode()).toThrow('No login is waiting to scan the QR code');
  });

  it('refuses to call a session connected that is not', async () => {
    const world = createMockWorld();
    await expect(world.connectSession(world.openSession({ config: { token: 'wrong-token' } }))).rejects.toThrow(
      "The session is 'bad-credentials', not connected",
    );
  });

  it('ends in bad-credentials when the config carries the wrong token', async () => {
    const world = createMockWorld();
    const session = world.openSession({ config: { token: 'wrong-token' } });
    const errors: unknown[] = [];
    session.on('state-changed', event => {
      errors.push(event.error);
    });
    await session.start();
    expect(session.state).toBe('bad-credentials');
    expect(errors.at(-1)).toMatchObject({ code: 'CREDENTIALS_INVALID' });
  });

  it('delivers what contacts say, in direct chats and rooms, with mentions and quotes', async () => {
    const world = createMockWorld();
    const { events } = await connectedSession(world);
    const hi = await world.contact('alice').says('hi');
    await world
      .contact('bob')
      .in('room-1')
      .says('@Mock Self look', { mentions: ['mock-self'], replyTo: hi.id });
    await world.self.to('alice').says('typed on the phone');
    expect(received(events)).toEqual([
      expect.objectContaining({
        chat: { type: 'direct', contactId: 'alice' },
        senderId: 'alice',
        isSelf: false,
        content: { kind: 'text', text: 'hi' },
      }),
      expect.objectContaining({
        chat: { type: 'room', roomId: 'room-1' },
        senderId: 'bob',
        mentions: { contactIds: ['mock-self'] },
        replyTo: { messageId: hi.id, senderId: 'alice', text: 'hi' },
      }),
      expect.objectContaining({ chat: { type: 'direct', contactId: 'alice' }, senderId: 'mock-self', isSelf: true }),
    ]);
    expect(() => world.contact('zed')).toThrow(WechatNotFoundError);
    await expect(world.contact('dave').in('room-1').says('not a member')).rejects.toThrow(
      "'dave' is not a member of room 'room-1'",
    );
  });

  it('stores delivered media for downloadMedia', async () => {
    const world = createMockWorld();
    const { session } = await connectedSession(world);
    const data = new Uint8Array([1, 2, 3]);
    const message = await world.contact('alice').sends({ kind: 'file', data, mimeType: 'text/plain', fileName: 'a.txt' });
    expect(message.content).toMatchObject({ kind: 'file', fileName: 'a.txt', media: { size: 3 } });
    if (message.content.kind !== 'file') throw new Error('expected a file');
    expect(await session.downloadMedia(message.content.media)).toEqual({ data, mimeType: 'text/plain', fileName: 'a.txt' });
    await expect(session.downloadMedia({ ref: 'nope' })).rejects.toSatisfy(WechatNotFoundError.isInstance);
  });

  it('records sends as the remote side saw them and echoes them to every connected session', async () => {
    const world = createMockWorld();
    const first = await connectedSession(world);
    const second = await connectedSession(world);
    const result = await first.session.sendMessage({
      to: { type: 'room', roomId: room1 },
      content: { kind: 'text', text: '@Bob hello' },
      mentions: { contactIds: [contactId('bob')] },
    });
    expect(result).toEqual({ messageId: expect.any(String), timestamp: expect.any(Number), warnings: [] });
    expect(world.sent()).toEqual([
      {
        kind: 'text',
        text: '@Bob hello',
        chat: { type: 'room', roomId: 'room-1' },
        messageId: result.messageId,
        mentions: ['bob'],
      },
    ]);
    for (const { events } of [first, second]) {
      expect(received(events)).toEqual([expect.objectContaining({ id: result.messageId, isSelf: true, senderId: 'mock-self' })]);
    }
    world.reset();
    expect(world.sent()).toEqual([]);
  });

  it('manages rooms on the world and reports each change', async () => {
    const world = createMockWorld();
    const { session, events } = await connectedSession(world);
    const created = await session.createRoom!({ name: 'Plans', contactIds: [alice, contactId('carol')] });
    await session.inviteToRoom!(created, [contactId('dave')]);
    await session.removeFromRoom!(created, [contactId('carol')]);
    await session.renameRoom!(created, 'Weekend plans');
    await session.setRoomTopic!(created, 'Bring snacks');
    expect(world.room(created).snapshot()).toMatchObject({
      name: 'Weekend plans',
      topic: 'Bring snacks',
      ownerId: 'mock-self',
      memberCount: 3,
    });
    expect(
      world
        .room(created)
        .members()
        .map(member => `${member.id}:${member.role}`),
    ).toEqual(['mock-self:owner', 'alice:member', 'dave:member']);
    await expect(session.removeFromRoom!(roomId('room-2'), [alice])).rejects.toSatisfy(
      error => WechatRequestError.isInstance(error) && error.statusCode === 403,
    );
    await session.leaveRoom!(created);
    expect((await session.listRooms!()).map(room => room.id)).toEqual(['room-1', 'room-2']);
    expect(
      events.filter(event => event.type !== 'state-changed' && event.type !== 'login-step').map(event => event.type),
    ).toEqual([
      'room-member-joined',
      'room-member-joined',
      'room-member-left',
      'room-updated',
      'room-updated',
      'room-member-left',
    ]);
  });

  it('keeps contacts, remarks and friend requests', async () => {
    const world = createMockWorld();
    const { session, events } = await connectedSession(world);
    expect((await session.listContacts!()).map(contact => contact.id)).toEqual(['alice', 'bob', 'carol']);
    await session.setContactRemark!(alice, 'Ali');
    expect(world.contact('alice').snapshot()).toMatchObject({ name: 'Alice', remark: 'Ali', alias: 'alice_wx' });
    const requestId = await world.contact('dave').requestsFriendship('hello!');
    await session.acceptFriendRequest!(requestId);
    expect((await session.getContact(contactId('dave'))).isFriend).toBe(true);
    await expect(session.acceptFriendRequest!(requestId)).rejects.toSatisfy(WechatNotFoundError.isInstance);
    expect(events.filter(event => event.type === 'friend-request-received')).toEqual([
      { type: 'friend-request-received', requestId, contactId: 'dave', name: 'Dave', greeting: 'hello!' },
    ]);
  });

  it('pages history newest first, each page oldest first, without recalled messages', async () => {
    const world = createMockWorld();
    const { session } = await connectedSession(world);
    const said = [];
    for (const text of ['one', 'two', 'three', 'four', 'five']) said.push(await world.contact('alice').says(text));
    await world.contact('alice').recalls(said[1]!.id);
    const chat = { type: 'direct', contactId: alice } as const;
    const newest = await session.fetchHistory!({ chat, limit: 2 });
    expect(newest.messages.map(message => message.content)).toEqual([
      { kind: 'text', text: 'four' },
      { kind: 'text', text: 'five' },
    ]);
    const older = await session.fetchHistory!({ chat, limit: 2, cursor: newest.nextCursor! });
    expect(older).toEqual({ messages: [said[0], said[2]] });
    expect((await session.fetchHistory!({ chat, since: said[3]!.timestamp })).messages).toEqual([said[4]]);
  });

  it('recalls only the account’s own messages', async () => {
    const world = createMockWorld();
    const { session, events } = await connectedSession(world);
    const to = { type: 'direct', contactId: alice } as const;
    const { messageId } = await session.sendMessage({ to, content: { kind: 'text', text: 'oops' } });
    await session.recallMessage!({ id: messageId, chat: to });
    expect(world.isRecalled(messageId)).toBe(true);
    expect(events.at(-1)).toMatchObject({ type: 'message-recalled', target: { id: messageId }, actorId: 'mock-self' });
    const theirs = await world.contact('alice').says('mine');
    await expect(session.recallMessage!({ id: theirs.id, chat: to })).rejects.toSatisfy(WechatInvalidArgumentError.isInstance);
  });

  it('fails the next remote operation as told, and reports health', async () => {
    const world = createMockWorld();
    const { session } = await connectedSession(world);
    const send = () => session.sendMessage({ to: { type: 'direct', contactId: alice }, content: { kind: 'text', text: 'x' } });
    world.failNext('network');
    world.failNext('rate-limit');
    world.failNext('server');
    await expect(send()).rejects.toSatisfy(WechatProviderUnavailableError.isInstance);
    await expect(send()).rejects.toSatisfy(error => WechatRateLimitedError.isInstance(error) && error.retryAfterMs === 1_000);
    await expect(send()).rejects.toMatchObject({ statusCode: 500, retryable: true });
    expect(await session.checkHealth!()).toEqual({ healthy: true, latencyMs: 0 });
    world.failNext('rate-limit');
    expect(await session.checkHealth!()).toMatchObject({ healthy: false, error: { code: 'RATE_LIMITED' } });
    world.failNext('auth');
    await expect(send()).rejects.toSatisfy(WechatAuthenticationError.isInstance);
    expect(session.state).toBe('logged-out');
  });

  it('goes offline and back: sessions report a transient disconnect, recover, and receive what they missed', async () => {
    const world = createMockWorld();
    const { session, events } = await connectedSession(world);
    world.goOffline();
    expect(session.state).toBe('transient-disconnect');
    await expect(session.getContact(alice)).rejects.toSatisfy(WechatProviderUnavailableError.isInstance);
    await world.contact('alice').says('while you were away');
    expect(received(events)).toEqual([]);
    world.goOnline();
    expect(session.state).toBe('connected');
    expect(received(events).map(message => message.content)).toEqual([{ kind: 'text', text: 'while you were away' }]);
    world.heartbeat();
    expect(events.at(-1)).toEqual({ type: 'heartbeat', at: expect.any(Number) });
  });

  it('forgets the login on logout, so the next session asks for a new one', async () => {
    const world = createMockWorld();
    const storage = createMemorySessionStorage();
    const { session } = await connectedSession(world, world.openSession({ storage }));
    await session.logout();
    expect(session.state).toBe('logged-out');
    expect(storage.snapshot()).toEqual({});
    const next = world.openSession({ storage });
    await next.start();
    expect(next.state).toBe('awaiting-login');
  });
});

describe('mock providers with narrowed capabilities', () => {
  it('leave out the methods of capabilities that are none, and refuse or degrade sends as declared', async () => {
    const world = createMockWorld();
    const provider = world.createProvider({
      id: 'mock-lite',
      capabilities: { login: 'credentials', recall: 'none', send: { voice: 'none', video: 'partial' }, mentions: 'none' },
    });
    const session = openSession(provider, { config: world.config });
    expect(session.providerId).toBe('mock-lite');
    expect('recallMessage' in session).toBe(false);
    expect('login' in session).toBe(false);
    await session.start();
    expect(session.state).toBe('connected');
    const to = { type: 'room', roomId: room1 } as const;
    const media = { data: new Uint8Array([1]), mimeType: 'audio/ogg' };
    await expect(session.sendMessage({ to, content: { kind: 'voice', media, durationMs: 1 } })).rejects.toSatisfy(
      error => WechatUnsupportedCapabilityError.isInstance(error) && error.capability === 'send.voice',
    );
    const video = await session.sendMessage({ to, content: { kind: 'video', media: { ...media, mimeType: 'video/mp4' } } });
    expect(video.warnings).toEqual([{ type: 'compatibility', feature: 'send.video', details: expect.any(String) }]);
    const mention = await session.sendMessage({ to, content: { kind: 'text', text: 'hi' }, mentions: { contactIds: [alice] } });
    expect(mention.warnings).toEqual([{ type: 'unsupported', feature: 'mentions', details: expect.any(String) }]);
    expect(world.sent().at(-1)).not.toHaveProperty('mentions');
  });

  it('narrow a room with restrictCapabilities and enforce limits', async () => {
    const world = createMockWorld();
    const provider = world.createProvider({ capabilities: { limits: { maxFileBytes: 2 } } });
    const { session } = await connectedSession(world, openSession(provider, { config: world.config }));
    world.room('room-1').restrictCapabilities({ send: { image: 'none' }, mentions: 'partial' });
    expect(await session.getRoomCapabilities!(room1)).toMatchObject({
      send: { image: 'none', text: 'full' },
      mentions: 'partial',
    });
    const image = { kind: 'image', media: { data: new Uint8Array([1]), mimeType: 'image/png' } } as const;
    await expect(session.sendMessage({ to: { type: 'room', roomId: room1 }, content: image })).rejects.toSatisfy(
      WechatUnsupportedCapabilityError.isInstance,
    );
    const big = { kind: 'file', media: { data: new Uint8Array(3), mimeType: 'text/plain', fileName: 'big.txt' } } as const;
    await expect(session.sendMessage({ to: { type: 'direct', contactId: alice }, content: big })).rejects.toSatisfy(
      WechatMediaTooLargeError.isInstance,
    );
  });
});
