import { readdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import {
  contactId,
  createMemorySessionStorage,
  type InboundMessageV1,
  messageId,
  noopLogger,
  type ProviderEventV1,
  type ProviderSessionV1,
  roomId,
  WechatAuthenticationError,
  WechatUnsupportedCapabilityError,
} from '@wechat/provider-api';
import { afterEach, describe, expect, it } from 'vitest';
import { pchookConfigSchema } from '../pchook-config.ts';
import { harnessTimings } from '../testing/conformance-harness.ts';
import type { WcfHostSimulatorOptions } from '../testing/simulator-types.ts';
import { startWcfHostSimulator, type WcfHostSimulator } from '../testing/wcf-host-simulator.ts';
import { createPchookProvider, type PchookProviderOptions } from './pchook-provider.ts';

const room = '20948762891@chatroom';
const png = Uint8Array.from(
  atob('iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNk+M9QDwADhgGAWjR9awAAAABJRU5ErkJggg=='),
  c => c.charCodeAt(0),
);

const cleanups: (() => Promise<unknown> | unknown)[] = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

const world: WcfHostSimulatorOptions = {
  self: { wxid: 'wxid_self', name: 'Me', alias: 'me_88' },
  contacts: [
    { wxid: 'wxid_alice', name: 'Alice', code: 'alice_1990', remark: 'Ali', gender: 2, country: 'CN', city: 'Shanghai' },
    { wxid: 'gh_news', name: 'News' },
    { wxid: 'fmessage', name: '朋友推荐消息' },
  ],
  rooms: [
    {
      id: room,
      name: 'Family',
      members: [
        { wxid: 'wxid_self', nickname: 'Me' },
        { wxid: 'wxid_alice', nickname: 'Alice' },
        { wxid: 'wxid_bob', nickname: 'Bob', displayName: 'Bobby' },
      ],
      admins: ['wxid_alice'],
    },
  ],
  pushTimeoutMs: 200,
};

interface Started {
  readonly host: WcfHostSimulator;
  readonly session: ProviderSessionV1;
  readonly events: ProviderEventV1[];
  readonly messages: () => InboundMessageV1[];
  readonly states: () => string[];
}

async function start(
  hostOptions: WcfHostSimulatorOptions = {},
  options: { readonly shared?: boolean; readonly provider?: PchookProviderOptions } = {},
): Promise<Started> {
  const host = await startWcfHostSimulator({ ...world, ...hostOptions });
  cleanups.push(() => host.close());
  const provider = createPchookProvider({ ...options.provider, timings: { ...harnessTimings, ...options.provider?.timings } });
  const events: ProviderEventV1[] = [];
  const config = pchookConfigSchema['~standard'].validate({
    rpc_endpoint: host.endpoint,
    ...(options.shared === false ? {} : { shared_dir: host.sharedDir, windows_dir: host.windowsDir }),
  });
  if ('issues' in config && config.issues) throw new Error('invalid config');
  const session = provider.createSession({
    config: (config as { value: never }).value,
    logger: noopLogger,
    storage: createMemorySessionStorage(),
    emit: event => events.push(event),
  });
  cleanups.push(() => session.stop());
  await session.start();
  return {
    host,
    session,
    events,
    messages: () => events.flatMap(event => (event.type === 'message-received' ? [event.message] : [])),
    states: () => events.flatMap(event => (event.type === 'state-changed' ? [event.state] : [])),
  };
}

async function connected(hostOptions: WcfHostSimulatorOptions = {}, options: Parameters<typeof start>[1] = {}) {
  const started = await start(hostOptions, options);
  await expect.poll(() => started.session.state).toBe('connected');
  return started;
}

describe('the pchook session', () => {
  it('connects at once when WeChat on the host is logged in, and reads the account', async () => {
    const { session, states, host } = await connected();
    expect(states()).toEqual(['starting', 'connecting', 'connected']);
    await expect(session.getSelf()).resolves.toEqual({ id: 'wxid_self', name: 'Me', alias: 'me_88', kind: 'personal' });
    expect(host.requests().map(request => request.name)).toEqual([
      'FUNC_IS_LOGIN',
      'FUNC_GET_USER_INFO',
      'FUNC_DISABLE_RECV_TXT',
      'FUNC_ENABLE_RECV_TXT',
    ]);
  });

  it('makes one connection for concurrent start() calls, and stop() during logout() still ends stopped', async () => {
    const { session, host, states } = await start();
    await Promise.all([session.start(), session.start()]);
    await expect.poll(() => session.state).toBe('connected');
    expect(host.requests().filter(request => request.name === 'FUNC_IS_LOGIN')).toHaveLength(1);
    await Promise.all([session.logout(), session.stop()]);
    expect(session.state).toBe('stopped');
    expect(states().slice(-2)).toEqual(['logged-out', 'stopped']);
  });

  it('logs in with the QR code, following refreshed codes, until the phone confirms', async () => {
    const { session, host, events } = await start({ loggedIn: false }, { provider: { timings: { qrRefreshIntervalMs: 0 } } });
    await expect.poll(() => session.state).toBe('awaiting-login');
    await expect(
      session.sendMessage({ to: { type: 'direct', contactId: contactId('wxid_alice') }, content: { kind: 'text', text: 'x' } }),
    ).rejects.toSatisfy(WechatAuthenticationError.isInstance);
    const login = await session.login!();
    const first = await login.start();
    expect(first).toEqual({ type: 'qr-code', data: host.qrCodeUrl });
    const refreshed = host.refreshQrCode();
    await expect(login.next()).resolves.toEqual({ type: 'qr-code', data: refreshed });
    host.setLoggedIn(true);
    await expect(login.next()).resolves.toEqual({ type: 'complete', self: expect.objectContaining({ id: 'wxid_self' }) });
    expect(session.state).toBe('connected');
    expect(
      events.filter(event => event.type === 'login-step').map(event => event.type === 'login-step' && event.step.type),
    ).toEqual(['qr-code', 'qr-code', 'complete']);
  });

  it('rejects a pending login when cancelled', async () => {
    const { session } = await start({ loggedIn: false });
    await expect.poll(() => session.state).toBe('awaiting-login');
    const login = await session.login!();
    await login.start();
    const next = login.next();
    await login.cancel();
    await expect(next).rejects.toMatchObject({ code: 'AUTH_REQUIRED' });
  });

  it('notices WeChat logging out and in again on the host through its heartbeat', async () => {
    const { session, host, events } = await connected({}, { provider: { timings: { heartbeatIntervalMs: 20 } } });
    await expect.poll(() => events.some(event => event.type === 'heartbeat')).toBe(true);
    host.setLoggedIn(false);
    await expect.poll(() => session.state).toBe('logged-out');
    const change = events.findLast(event => event.type === 'state-changed');
    expect(change).toMatchObject({ state: 'logged-out', previous: 'connected', error: { code: 'AUTH_REQUIRED' } });
    await expect(session.getSelf()).rejects.toSatisfy(WechatAuthenticationError.isInstance);
    host.setLoggedIn(true);
    await expect.poll(() => session.state).toBe('connected');
  });

  it('goes transient-disconnect when the host goes away, reconnects, and receives what the host pushes afterwards', async () => {
    const { session, host, messages, states } = await connected();
    await host.stop();
    await expect.poll(() => session.state).toBe('transient-disconnect');
    // While nobody is attached, the host captures nothing (the push is off after its restart) or drops it.
    await expect(host.pushText({ sender: 'wxid_alice', content: 'while away' })).resolves.toMatchObject({ delivered: false });
    await host.restart();
    await expect.poll(() => session.state).toBe('connected');
    expect(states()).toEqual(['starting', 'connecting', 'connected', 'transient-disconnect', 'connecting', 'connected']);
    expect(host.crashReason).toBeUndefined();
    await expect(host.pushText({ sender: 'wxid_alice', content: 'after restart' })).resolves.toMatchObject({ delivered: true });
    await expect.poll(() => messages().map(message => message.content)).toEqual([{ kind: 'text', text: 'after restart' }]);
  });

  it('stops cleanly: disables the push, closes both sockets, emits nothing more', async () => {
    const { session, host, events } = await connected();
    await session.stop();
    expect(session.state).toBe('stopped');
    expect(host.requests().at(-1)?.name).toBe('FUNC_DISABLE_RECV_TXT');
    expect(host.receiving).toBe(false);
    await expect.poll(() => host.clientAttached).toEqual({ commands: false, messages: false });
    const count = events.length;
    await host.pushText({ sender: 'wxid_alice', content: 'too late' });
    expect(events.length).toBe(count);
  });

  it('detaches on logout() (WeChatFerry cannot sign WeChat out) and attaches again on start()', async () => {
    const { session, host } = await connected();
    await session.logout();
    expect(session.state).toBe('logged-out');
    expect(host.loggedIn).toBe(true);
    await expect(session.getSelf()).rejects.toSatisfy(WechatAuthenticationError.isInstance);
    await session.start();
    await expect.poll(() => session.state).toBe('connected');
  });
});

describe('sending', () => {
  const alice = { type: 'direct', contactId: contactId('wxid_alice') } as const;
  const family = { type: 'room', roomId: roomId(room) } as const;

  it('sends a text and answers the id of its echo', async () => {
    const { session, host, messages } = await connected();
    const result = await session.sendMessage({ to: alice, content: { kind: 'text', text: 'hello' } });
    const [sent] = host.sent();
    expect(sent).toMatchObject({ kind: 'text', receiver: 'wxid_alice', text: 'hello', aters: [] });
    expect(result).toEqual({ messageId: sent?.id, timestamp: expect.any(Number), warnings: [] });
    await expect.poll(() => messages()).toEqual([expect.objectContaining({ id: sent?.id, isSelf: true, senderId: 'wxid_self' })]);
  });

  it('writes "@name" for each mention (the room nickname first) and passes the wxids as aters', async () => {
    const { session, host } = await connected();
    await session.sendMessage({
      to: family,
      content: { kind: 'text', text: 'dinner?' },
      mentions: { contactIds: [contactId('wxid_bob'), contactId('wxid_alice')], all: true },
    });
    expect(host.sent()).toEqual([
      expect.objectContaining({
        receiver: room,
        text: '@Bobby\u2005@Alice\u2005@所有人\u2005dinner?',
        aters: ['wxid_bob', 'wxid_alice', 'notify@all'],
      }),
    ]);
    // A text that already names the member is left as it is.
    await session.sendMessage({
      to: family,
      content: { kind: 'text', text: '@Bobby hi' },
      mentions: { contactIds: [contactId('wxid_bob')] },
    });
    expect(host.sent()[1]).toMatchObject({ text: '@Bobby hi', aters: ['wxid_bob'] });
  });

  it('copies media into the shared directory and passes the Windows path', async () => {
    const { session, host } = await connected();
    await session.sendMessage({ to: alice, content: { kind: 'image', media: { data: png, mimeType: 'image/png' } } });
    await session.sendMessage({
      to: alice,
      content: {
        kind: 'file',
        media: { data: new TextEncoder().encode('report'), mimeType: 'text/plain', fileName: 'Q1: report?.txt' },
      },
    });
    const [image, file] = host.sent();
    expect(image).toMatchObject({ kind: 'image', data: png, fileName: 'image.png' });
    expect(image?.kind === 'image' && image.windowsPath).toMatch(/^C:\\wcf-share\\pchook\\out\\[0-9a-f-]{36}\\image\.png$/);
    expect(file).toMatchObject({ kind: 'file', fileName: 'Q1_ report_.txt' });
    const staged = await readdir(join(host.sharedDir, 'pchook', 'out'));
    expect(staged).toHaveLength(2);
  });

  it('sends voice and video as files, with a warning', async () => {
    const { session, host } = await connected();
    const result = await session.sendMessage({
      to: alice,
      content: { kind: 'voice', media: { data: new TextEncoder().encode('OggS'), mimeType: 'audio/ogg' }, durationMs: 1000 },
    });
    expect(result.warnings).toEqual([expect.objectContaining({ type: 'compatibility', feature: 'send.voice' })]);
    expect(host.sent()[0]).toMatchObject({ kind: 'file', fileName: 'voice.ogg' });
  });

  it('refuses media without a shared directory, naming the keys to set', async () => {
    const { session, host } = await connected({}, { shared: false });
    const error = await session
      .sendMessage({ to: alice, content: { kind: 'image', media: { data: png, mimeType: 'image/png' } } })
      .catch((caught: unknown) => caught);
    expect(WechatUnsupportedCapabilityError.isInstance(error)).toBe(true);
    expect(error).toMatchObject({
      capability: 'send.image',
      message: expect.stringContaining('providers.pchook.shared_dir and providers.pchook.windows_dir'),
    });
    expect(host.sent()).toEqual([]);
  });

  it('falls back to a local id when WeChat reports no echo in time', async () => {
    const { session, host } = await connected({}, { provider: { timings: { echoTimeoutMs: 50 } } });
    host.failNext({ status: 1 }); // the IS_LOGIN check before the send
    host.failNext({ status: 0 }); // the send "succeeds" without WeChat doing anything
    const result = await session.sendMessage({ to: alice, content: { kind: 'text', text: 'lost in the hook' } });
    expect(result.messageId).toMatch(/^pchook-local:/);
  });

  it('warns that quotes are dropped, and refuses kinds WeChatFerry cannot send', async () => {
    const { session } = await connected();
    const result = await session.sendMessage({
      to: alice,
      content: { kind: 'text', text: 'yes' },
      replyTo: { id: messageId('1'), chat: alice },
    });
    expect(result.warnings).toEqual([expect.objectContaining({ type: 'unsupported', feature: 'replies' })]);
    await expect(
      session.sendMessage({ to: alice, content: { kind: 'location', location: { latitude: 1, longitude: 2 } } }),
    ).rejects.toMatchObject({ code: 'CAPABILITY_UNSUPPORTED', capability: 'send.location' });
    await expect(session.sendMessage({ to: alice, content: { kind: 'text', text: '  ' } })).rejects.toMatchObject({
      code: 'INVALID_ARGUMENT',
    });
  });
});

describe('receiving media', () => {
  it('decrypts images through FUNC_DECRYPT_IMAGE when WeChat keeps its files outside the share', async () => {
    const { session, host, messages } = await connected({ wechatFilesInShare: false });
    await host.pushImage({ sender: 'wxid_alice', data: png });
    await expect.poll(() => messages().length).toBe(1);
    const content = messages()[0]?.content;
    if (content?.kind !== 'image') throw new Error('expected an image');
    await expect(session.downloadMedia(content.media)).resolves.toMatchObject({ data: png, mimeType: 'image/png' });
    expect(host.requests().map(request => request.name)).toContain('FUNC_DECRYPT_IMAGE');
    const decrypted = await readdir(join(host.sharedDir, 'pchook', 'in'));
    expect(await readFile(join(host.sharedDir, 'pchook', 'in', decrypted[0] ?? ''))).toEqual(Buffer.from(png));
  });

  it('decodes the .dat itself when WeChat keeps its files in the share, without asking the host', async () => {
    const { session, host, messages } = await connected();
    await host.pushImage({ sender: 'wxid_alice', data: png });
    await expect.poll(() => messages().length).toBe(1);
    const content = messages()[0]?.content;
    if (content?.kind !== 'image') throw new Error('expected an image');
    host.clearRecords();
    await expect(session.downloadMedia(content.media)).resolves.toMatchObject({ data: png, mimeType: 'image/png' });
    expect(host.requests()).toEqual([]);
  });

  it('explains that files outside the share cannot be read', async () => {
    const { session, host, messages } = await connected({ wechatFilesInShare: false });
    await host.pushFile({ sender: 'wxid_alice', data: new Uint8Array(3), fileName: 'a.zip' });
    await expect.poll(() => messages().length).toBe(1);
    const content = messages()[0]?.content;
    if (content?.kind !== 'file') throw new Error('expected a file');
    await expect(session.downloadMedia(content.media)).rejects.toMatchObject({
      code: 'CAPABILITY_UNSUPPORTED',
      message: expect.stringContaining('Move WeChat\'s storage ("WeChat Files"'),
    });
  });

  it('refuses downloads without a shared directory, naming the keys', async () => {
    const { session, host, messages } = await connected({}, { shared: false });
    await host.pushVoice({ sender: 'wxid_alice', data: new Uint8Array(8) });
    await expect.poll(() => messages().length).toBe(1);
    const content = messages()[0]?.content;
    if (content?.kind !== 'voice') throw new Error('expected a voice message');
    await expect(session.downloadMedia(content.media)).rejects.toMatchObject({
      code: 'CAPABILITY_UNSUPPORTED',
      message: expect.stringContaining('providers.pchook.shared_dir'),
    });
  });

  it('reports recalls and friend requests, and accepts a request', async () => {
    const { session, host, events, messages } = await connected();
    const { id } = await host.pushText({ sender: 'wxid_bob', roomid: room, content: 'oops' });
    await host.pushRecall({ sender: 'wxid_bob', roomid: room, messageId: id });
    await expect
      .poll(() => events.find(event => event.type === 'message-recalled'))
      .toEqual({
        type: 'message-recalled',
        target: { id, chat: { type: 'room', roomId: room } },
        actorId: 'wxid_bob',
        timestamp: expect.any(Number),
      });
    expect(messages().map(message => message.id)).toEqual([id]);

    await host.pushFriendRequest({ wxid: 'wxid_carol', name: 'Carol', greeting: 'hi' });
    await expect.poll(() => events.some(event => event.type === 'friend-request-received')).toBe(true);
    const request = events.find(event => event.type === 'friend-request-received');
    if (request?.type !== 'friend-request-received') throw new Error('no friend request');
    expect(request).toMatchObject({ contactId: 'wxid_carol', name: 'Carol', greeting: 'hi' });
    await session.acceptFriendRequest!(request.requestId);
    await expect(session.getContact(contactId('wxid_carol'))).resolves.toMatchObject({ name: 'Carol', isFriend: true });
  });
});

describe('contacts and rooms', () => {
  it('lists contacts without rooms and built-in accounts', async () => {
    const { session } = await connected();
    await expect(session.listContacts!()).resolves.toEqual([
      {
        id: 'wxid_alice',
        name: 'Alice',
        remark: 'Ali',
        alias: 'alice_1990',
        gender: 'female',
        region: { country: 'CN', city: 'Shanghai' },
        kind: 'personal',
        isFriend: true,
      },
      { id: 'gh_news', name: 'News', gender: 'unknown', kind: 'official', isFriend: false },
    ]);
    await expect(session.listRooms!()).resolves.toEqual([{ id: room, name: 'Family' }]);
  });

  it('reads rooms and members from WeChat database, strangers included', async () => {
    const { session, host } = await connected();
    await expect(session.getRoom(roomId(room))).resolves.toEqual({ id: room, name: 'Family', memberCount: 3 });
    const members = await session.listRoomMembers(roomId(room));
    expect(members.map(member => [member.id, member.name, member.displayName, member.role])).toEqual([
      ['wxid_self', 'Me', undefined, 'member'],
      ['wxid_alice', 'Alice', undefined, 'admin'],
      ['wxid_bob', 'Bob', 'Bobby', 'member'],
    ]);
    await expect(session.getContact(contactId('wxid_bob'))).resolves.toEqual({ id: 'wxid_bob', name: 'Bob', isFriend: false });
    await expect(session.getContact(contactId('wxid_nobody'))).rejects.toMatchObject({ code: 'ENTITY_NOT_FOUND' });
    await expect(session.getRoom(roomId('404@chatroom'))).rejects.toMatchObject({ code: 'ENTITY_NOT_FOUND', entity: 'room' });
    expect(host.requests().some(request => request.request.query?.sql.includes("ChatRoomName = '20948762891@chatroom'"))).toBe(
      true,
    );
  });

  it('invites and removes members (status 1 means success for these)', async () => {
    const { session } = await connected();
    await session.inviteToRoom!(roomId(room), [contactId('wxid_dave')]);
    expect((await session.listRoomMembers(roomId(room))).map(member => member.id)).toContain('wxid_dave');
    await session.removeFromRoom!(roomId(room), [contactId('wxid_dave')]);
    expect((await session.listRoomMembers(roomId(room))).map(member => member.id)).not.toContain('wxid_dave');
  });

  it('checks its health with FUNC_IS_LOGIN', async () => {
    const { session, host } = await connected();
    await expect(session.checkHealth!()).resolves.toMatchObject({ healthy: true, latencyMs: expect.any(Number) });
    host.setLoggedIn(false);
    await expect(session.checkHealth!()).resolves.toMatchObject({ healthy: false, error: { code: 'AUTH_REQUIRED' } });
  });
});
