import { createServer } from 'node:net';
import {
  contactId,
  createMemorySessionStorage,
  type ChatRefV1,
  parseConfig,
  type ProviderEventV1,
  type ProviderSessionV1,
  roomId,
  WechatAuthenticationError,
  WechatInvalidArgumentError,
  WechatMediaTooLargeError,
  WechatNotFoundError,
  WechatUnsupportedCapabilityError,
} from '@wechat/provider-api';
import { createRecordingLogger, type RecordedLogEntry } from '@wechat/provider-testkit';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { decodeMediaRef } from '../inbound/media-ref.ts';
import { createCallbackSender } from '../testing/callback-sender.ts';
import { type FakeWecomServerOptions, startFakeWecomServer } from '../testing/fake-wecom-server.ts';
import { type WecomConfigInput, wecomConfigSchema } from '../wecom-config.ts';
import { createWecomProvider, type WecomProviderOptions } from '../wecom-provider.ts';

const token = 'sessionCallbackToken';
const aesKey = 'jWmYm7qr5nMoAUwZRjGtBxmz3KA1tkAj3ykkR6q2B2C';
const cleanups: (() => Promise<void>)[] = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

interface SetupOptions {
  readonly fake?: FakeWecomServerOptions;
  readonly config?: Partial<WecomConfigInput>;
  readonly provider?: WecomProviderOptions;
  readonly callback?: boolean;
}

async function setup(options: SetupOptions = {}) {
  let clock = 1_700_000_000_000;
  const now = () => clock;
  const fake = await startFakeWecomServer({ now, ...options.fake });
  cleanups.push(() => fake.close());
  let callbackUrl: string | undefined;
  const sleeps: number[] = [];
  const provider = createWecomProvider({
    now,
    sleep: async milliseconds => {
      sleeps.push(milliseconds);
    },
    reconnectDelaysMs: [20],
    onCallbackListening: address => {
      callbackUrl = address.url;
    },
    ...options.provider,
  });
  const events: ProviderEventV1[] = [];
  const logs: RecordedLogEntry[] = [];
  const config = parseConfig(wecomConfigSchema, {
    corp_id: fake.corpId,
    app_secret: fake.secret,
    agent_id: fake.agentId,
    api_base_url: fake.url,
    ...(options.callback === false ? {} : { callback: { port: 0, host: '127.0.0.1', token, aes_key: aesKey } }),
    ...options.config,
  });
  const session = provider.createSession({
    config,
    logger: createRecordingLogger(logs),
    storage: createMemorySessionStorage(),
    emit: event => events.push(event),
  });
  cleanups.push(() => session.stop());
  const sender = () => {
    if (!callbackUrl) throw new Error('the callback server is not listening');
    return createCallbackSender({ url: callbackUrl, token, aesKey, corpId: fake.corpId, agentId: fake.agentId, now });
  };
  const received = () =>
    events.flatMap(event => (event.type === 'message-received' && !event.message.isSelf ? [event.message] : []));
  return {
    fake,
    session,
    events,
    logs,
    sleeps,
    sender,
    received,
    callbackUrl: () => callbackUrl,
    advance: (ms: number) => {
      clock += ms;
    },
    states: () => events.flatMap(event => (event.type === 'state-changed' ? [event.state] : [])),
    paths: () => fake.requests().map(request => request.path),
  };
}

async function connected(options: SetupOptions = {}) {
  const context = await setup(options);
  await context.session.start();
  expect(context.session.state).toBe('connected');
  return context;
}

const direct: ChatRefV1 = { type: 'direct', contactId: contactId('zhangsan') };
const room: ChatRefV1 = { type: 'room', roomId: roomId('wrbridgeroom01') };
const amr = (size: number) => {
  const data = new Uint8Array(size);
  data.set(new TextEncoder().encode('#!AMR\n'));
  return data;
};
const png = Uint8Array.from(
  Buffer.from('iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNk+M9QDwADhgGAWjR9awAAAABJRU5ErkJggg==', 'base64'),
);
const text = (session: ProviderSessionV1, to: ChatRefV1, body: string) =>
  session.sendMessage({ to, content: { kind: 'text', text: body } });

describe('start and credentials', () => {
  it('validates the credentials with a token and agent/get, then connects as the app', async () => {
    const { session, states, paths } = await connected();
    expect(states()).toEqual(['starting', 'connected']);
    expect(paths()).toEqual(['gettoken', 'agent/get']);
    const self = await session.getSelf();
    expect(self).toMatchObject({ id: 'agent:1000002', name: 'Matrix Bridge', kind: 'enterprise' });
    expect(decodeMediaRef(self.avatar?.ref ?? '')?.url).toContain('/avatar/agent-1000002');
  });

  it('goes bad-credentials with a typed error on a wrong secret, closes the callback server and does not retry', async () => {
    const { session, events, callbackUrl, paths } = await setup({ config: { app_secret: 'wrong-secret' } });
    await session.start();
    expect(session.state).toBe('bad-credentials');
    const change = events.findLast(event => event.type === 'state-changed');
    expect(change?.type === 'state-changed' && WechatAuthenticationError.isInstance(change.error) && change.error.code).toBe(
      'CREDENTIALS_INVALID',
    );
    await expect(fetch(callbackUrl() ?? '')).rejects.toThrow();
    await expect(text(session, direct, 'x')).rejects.toMatchObject({ code: 'CREDENTIALS_INVALID' });
    await expect(session.getSelf()).rejects.toSatisfy(WechatAuthenticationError.isInstance);
    await new Promise(resolve => setTimeout(resolve, 50));
    expect(paths()).toEqual(['gettoken']);
  });

  it('goes bad-credentials when the secret does not own the configured agent', async () => {
    const { session } = await setup({ config: { agent_id: 1000099 } });
    await session.start();
    expect(session.state).toBe('bad-credentials');
  });

  it('reports an unreachable API as transient-disconnect and connects once it answers', async () => {
    const { session, fake, states } = await setup();
    fake.failNext('gettoken', 'network');
    await session.start();
    expect(session.state).toBe('transient-disconnect');
    await vi.waitFor(() => expect(session.state).toBe('connected'));
    expect(states()).toEqual(['starting', 'transient-disconnect', 'connected']);
  });

  it('rejects start() when the callback port is taken, and stays stopped', async () => {
    const blocker = createServer();
    await new Promise<void>(resolve => blocker.listen(0, '127.0.0.1', resolve));
    cleanups.push(() => new Promise<void>(resolve => blocker.close(() => resolve())));
    const port = (blocker.address() as { port: number }).port;
    const { session, states } = await setup({ config: { callback: { port, host: '127.0.0.1', token, aes_key: aesKey } } });
    await expect(session.start()).rejects.toThrow(/EADDRINUSE/);
    expect(session.state).toBe('stopped');
    expect(states()).toEqual(['starting', 'stopped']);
  });

  it('connects without a callback, to send only', async () => {
    const { session, callbackUrl } = await connected({ callback: false });
    expect(callbackUrl()).toBeUndefined();
    await expect(text(session, direct, 'send only')).resolves.toMatchObject({ messageId: expect.any(String) });
  });

  it('forgets the token on logout() and fetches a new one on the next start', async () => {
    const { session, paths } = await connected();
    await session.logout();
    expect(session.state).toBe('logged-out');
    await expect(session.getSelf()).rejects.toSatisfy(WechatAuthenticationError.isInstance);
    await expect(text(session, direct, 'x')).rejects.toMatchObject({ code: 'AUTH_REQUIRED' });
    await session.start();
    expect(session.state).toBe('connected');
    expect(paths().filter(path => path === 'gettoken')).toHaveLength(2);
  });

  it('reports health through agent/get', async () => {
    const { session, fake } = await connected();
    await expect(session.checkHealth?.()).resolves.toMatchObject({ healthy: true, latencyMs: 0 });
    fake.failNext('agent/get', { status: 503 });
    await expect(session.checkHealth?.()).resolves.toMatchObject({
      healthy: false,
      error: expect.objectContaining({ retryable: true }),
    });
  });
});

describe('the access token', () => {
  it.each([42001, 40014] as const)('survives %i mid-traffic: refreshed, the send retried once, nothing lost', async answer => {
    const { session, fake, paths } = await connected();
    fake.expireToken({ answer });
    await expect(text(session, direct, 'after expiry')).resolves.toMatchObject({ messageId: expect.any(String) });
    expect(paths()).toEqual(['gettoken', 'agent/get', 'message/send', 'gettoken', 'message/send']);
    expect(fake.sentMessages().map(sent => sent.content.content)).toEqual(['after expiry']);
  });

  it('is refreshed before it expires, so no call meets an expired token', async () => {
    const { session, fake, paths, advance } = await connected();
    advance(7_200_000 - 30_000);
    await text(session, direct, 'later');
    expect(paths()).toEqual(['gettoken', 'agent/get', 'gettoken', 'message/send']);
    expect(fake.requests().filter(request => request.path === 'message/send')).toHaveLength(1);
  });

  it('retries errcode -1 at most 3 times with backoff', async () => {
    const { session, fake, sleeps, paths } = await connected();
    for (let count = 0; count < 3; count++) fake.failNext('message/send', -1);
    await expect(text(session, direct, 'busy')).resolves.toMatchObject({ messageId: expect.any(String) });
    expect(sleeps).toEqual([250, 500, 1_000]);
    for (let count = 0; count < 4; count++) fake.failNext('message/send', -1);
    await expect(text(session, direct, 'too busy')).rejects.toMatchObject({ remoteCode: -1, retryable: true });
    expect(paths().filter(path => path === 'message/send')).toHaveLength(8);
  });
});

describe('sending', () => {
  it('sends text to a member with the agentid, and echoes it after the send resolved', async () => {
    const { session, fake, events } = await connected();
    const result = await text(session, direct, 'hello');
    const echoedYet = events.some(event => event.type === 'message-received');
    const [sent] = fake.sentMessages();
    expect(sent).toMatchObject({
      api: 'message/send',
      touser: 'zhangsan',
      agentid: 1000002,
      msgtype: 'text',
      content: { content: 'hello' },
    });
    expect(result).toEqual({ messageId: sent?.msgid, timestamp: 1_700_000_000_000, warnings: [] });
    expect(echoedYet).toBe(false);
    await vi.waitFor(() =>
      expect(events).toContainEqual({
        type: 'message-received',
        message: {
          id: result.messageId,
          chat: direct,
          senderId: 'agent:1000002',
          isSelf: true,
          timestamp: 1_700_000_000_000,
          content: { kind: 'text', text: 'hello' },
        },
      }),
    );
  });

  it.each([
    ['image', { kind: 'image', media: { data: new Uint8Array(10 * 1024 * 1024 + 1), mimeType: 'image/png' } }, 10 * 1024 * 1024],
    [
      'file',
      { kind: 'file', media: { data: new Uint8Array(20 * 1024 * 1024 + 1), mimeType: 'text/plain', fileName: 'a.txt' } },
      20 * 1024 * 1024,
    ],
    [
      'AMR voice',
      { kind: 'voice', media: { data: amr(2 * 1024 * 1024 + 1), mimeType: 'audio/amr' }, durationMs: 1 },
      2 * 1024 * 1024,
    ],
    ['video', { kind: 'video', media: { data: new Uint8Array(10 * 1024 * 1024 + 1), mimeType: 'video/mp4' } }, 10 * 1024 * 1024],
  ] as const)('refuses a too large %s before uploading anything', async (_name, content, maxBytes) => {
    const { session, paths } = await connected();
    const error = await session.sendMessage({ to: direct, content }).catch((caught: unknown) => caught);
    expect(WechatMediaTooLargeError.isInstance(error)).toBe(true);
    expect(error).toMatchObject({ maxBytes, actualBytes: maxBytes + 1 });
    expect(paths()).not.toContain('media/upload');
  });

  it('sends AMR as voice, and other voice as a file with a compatibility warning', async () => {
    const { session, fake } = await connected();
    const asVoice = await session.sendMessage({
      to: direct,
      content: { kind: 'voice', media: { data: amr(64), mimeType: 'audio/amr' }, durationMs: 1000 },
    });
    expect(asVoice.warnings).toEqual([]);
    const ogg = new TextEncoder().encode('OggS and more');
    const asFile = await session.sendMessage({
      to: direct,
      content: { kind: 'voice', media: { data: ogg, mimeType: 'audio/ogg' }, durationMs: 1000 },
    });
    expect(asFile.warnings).toEqual([expect.objectContaining({ type: 'compatibility', feature: 'send.voice' })]);
    const [voice, file] = fake.sentMessages();
    expect([voice?.msgtype, file?.msgtype]).toEqual(['voice', 'file']);
    expect(fake.media(String(file?.content.media_id))).toMatchObject({ type: 'file', fileName: 'voice.ogg', data: ogg });
  });

  it('uploads images as image (multipart, part "media"), and a GIF as a file with a warning', async () => {
    const { session, fake } = await connected();
    await session.sendMessage({
      to: direct,
      content: { kind: 'image', media: { data: png, mimeType: 'image/png', fileName: '截图.png' } },
    });
    const gif = new TextEncoder().encode('GIF89a....');
    const result = await session.sendMessage({
      to: direct,
      content: { kind: 'image', media: { data: gif, mimeType: 'image/gif' } },
    });
    expect(result.warnings).toEqual([expect.objectContaining({ type: 'compatibility', feature: 'send.image' })]);
    const uploads = fake.requests().filter(request => request.path === 'media/upload');
    expect(uploads.map(upload => [upload.query.type, upload.body])).toEqual([
      ['image', { fileName: '截图.png', mimeType: 'image/png', size: png.byteLength }],
      ['file', { fileName: 'image.gif', mimeType: 'image/gif', size: gif.byteLength }],
    ]);
  });

  it('sends stickers as an image or a file, always with a warning', async () => {
    const { session, fake } = await connected();
    const result = await session.sendMessage({
      to: direct,
      content: { kind: 'sticker', media: { data: png, mimeType: 'image/png' } },
    });
    expect(result.warnings).toEqual([expect.objectContaining({ feature: 'send.sticker' })]);
    expect(fake.sentMessages()[0]?.msgtype).toBe('image');
  });

  it('writes mentions as @name text in an app group chat, and leaves them out of direct chats', async () => {
    const { session, fake } = await connected();
    const inRoom = await session.sendMessage({
      to: room,
      content: { kind: 'text', text: 'look' },
      mentions: { contactIds: [contactId('lisi')] },
    });
    expect(inRoom.warnings).toEqual([expect.objectContaining({ type: 'compatibility', feature: 'mentions' })]);
    const inDirect = await session.sendMessage({
      to: direct,
      content: { kind: 'text', text: 'look' },
      mentions: { contactIds: [contactId('lisi')] },
    });
    expect(inDirect.warnings).toEqual([expect.objectContaining({ type: 'unsupported', feature: 'mentions' })]);
    expect(fake.sentMessages().map(sent => [sent.api, sent.content.content])).toEqual([
      ['appchat/send', '@李四 look'],
      ['message/send', 'look'],
    ]);
  });

  it('sends replies without the quote, with an unsupported warning', async () => {
    const { session } = await connected();
    const original = await text(session, direct, 'original');
    const reply = await session.sendMessage({
      to: direct,
      content: { kind: 'text', text: 'reply' },
      replyTo: { id: original.messageId, chat: direct },
    });
    expect(reply.warnings).toEqual([expect.objectContaining({ type: 'unsupported', feature: 'replies' })]);
  });

  it('splits text over 2048 bytes, and recalls every piece', async () => {
    const { session, fake } = await connected();
    const long = '字'.repeat(1000);
    const result = await text(session, direct, long);
    const sent = fake.sentMessages();
    expect(sent.map(each => String(each.content.content)).join('')).toBe(long);
    expect(sent).toHaveLength(2);
    expect(result.warnings).toEqual([expect.objectContaining({ type: 'other' })]);
    await session.recallMessage?.({ id: result.messageId, chat: direct });
    expect(fake.sentMessages().map(each => each.recalled)).toEqual([true, true]);
  });

  it('sends a link as a news article', async () => {
    const { session, fake } = await connected();
    await session.sendMessage({
      to: direct,
      content: {
        kind: 'link',
        link: { url: 'https://example.com/a', title: 'T', description: 'D', thumbnailUrl: 'https://example.com/p.png' },
      },
    });
    expect(fake.sentMessages()[0]).toMatchObject({
      msgtype: 'news',
      content: {
        articles: [{ title: 'T', url: 'https://example.com/a', description: 'D', picurl: 'https://example.com/p.png' }],
      },
    });
  });

  it('sends to rooms through appchat/send; those messages cannot be recalled', async () => {
    const { session, fake } = await connected();
    const result = await text(session, room, 'to the room');
    expect(fake.sentMessages()[0]).toMatchObject({
      api: 'appchat/send',
      chatid: 'wrbridgeroom01',
      content: { content: 'to the room' },
    });
    const error = await session.recallMessage?.({ id: result.messageId, chat: room }).catch((caught: unknown) => caught);
    expect(WechatUnsupportedCapabilityError.isInstance(error) && error.capability).toBe('recall');
    await expect(session.getRoomCapabilities?.(roomId('wrbridgeroom01'))).resolves.toMatchObject({ recall: 'none' });
  });

  it('recalls a direct message with message/recall', async () => {
    const { session, fake } = await connected();
    const result = await text(session, direct, 'oops');
    await session.recallMessage?.({ id: result.messageId, chat: direct });
    expect(fake.requests().findLast(request => request.path === 'message/recall')?.body).toEqual({ msgid: result.messageId });
  });

  it('refuses what WeCom cannot carry, sending nothing', async () => {
    const { session, fake } = await connected();
    const error = await session
      .sendMessage({ to: direct, content: { kind: 'location', location: { latitude: 1, longitude: 2 } } })
      .catch((caught: unknown) => caught);
    expect(WechatUnsupportedCapabilityError.isInstance(error) && error.capability).toBe('send.location');
    await expect(text(session, direct, '  ')).rejects.toSatisfy(WechatInvalidArgumentError.isInstance);
    expect(fake.sentMessages()).toEqual([]);
  });
});

describe('receiving', () => {
  it('emits a member’s text once, however often WeCom retries it', async () => {
    const { sender, received } = await connected();
    const delivery = await sender().send({ type: 'text', from: 'zhangsan', content: '你好' });
    await sender().replay(delivery);
    await sender().replay(delivery);
    await vi.waitFor(() => expect(received()).toHaveLength(1));
    await new Promise(resolve => setTimeout(resolve, 20));
    expect(received()).toEqual([
      {
        id: delivery.msgId,
        chat: direct,
        senderId: 'zhangsan',
        isSelf: false,
        timestamp: 1_700_000_000_000,
        content: { kind: 'text', text: '你好' },
      },
    ]);
  });

  it('delivers voice as AMR voice, downloadable through media/get', async () => {
    const { session, sender, fake, received } = await connected();
    const data = amr(100);
    const mediaId = fake.putMedia({ type: 'voice', data, mimeType: 'audio/amr', fileName: `${'x'}.amr` });
    await sender().send({ type: 'voice', from: 'zhangsan', mediaId, format: 'amr' });
    await vi.waitFor(() => expect(received()).toHaveLength(1));
    const [message] = received();
    expect(message?.content).toMatchObject({ kind: 'voice', media: { mimeType: 'audio/amr' } });
    if (message?.content.kind !== 'voice') throw new Error('no voice');
    await expect(session.downloadMedia(message.content.media)).resolves.toEqual({
      data,
      mimeType: 'audio/amr',
      fileName: 'x.amr',
    });
  });

  it('downloads an image from PicUrl once its media_id has expired', async () => {
    const { session, sender, fake, received, advance } = await connected();
    const mediaId = fake.putMedia({ type: 'image', data: png, mimeType: 'image/png', fileName: 'p.png' });
    await sender().send({ type: 'image', from: 'zhangsan', mediaId, picUrl: fake.picUrl(mediaId) });
    await vi.waitFor(() => expect(received()).toHaveLength(1));
    const [message] = received();
    if (message?.content.kind !== 'image') throw new Error('no image');
    advance(3 * 24 * 3600_000 + 1);
    await expect(session.downloadMedia(message.content.media)).resolves.toMatchObject({ data: png, mimeType: 'image/png' });
    expect(
      fake
        .requests()
        .map(request => request.path)
        .slice(-2),
    ).toEqual(['media/get', `/pic/${encodeURIComponent(mediaId)}`]);
  });

  it('reports an expired media_id without a fallback as WechatNotFoundError', async () => {
    const { session } = await connected();
    const error = await session.downloadMedia({ ref: JSON.stringify({ mediaId: 'gone' }) }).catch((caught: unknown) => caught);
    expect(WechatNotFoundError.isInstance(error) && error.entity).toBe('media');
  });

  it('turns contact changes and entering the app into contact-updated', async () => {
    const { sender, events } = await connected();
    await sender().send({
      type: 'event',
      from: 'sys',
      event: 'change_contact',
      fields: { ChangeType: 'update_user', UserID: 'lisi' },
    });
    await sender().send({ type: 'event', from: 'wangwu', event: 'enter_agent', fields: { EventKey: '' } });
    await vi.waitFor(() =>
      expect(events.filter(event => event.type === 'contact-updated')).toEqual([
        { type: 'contact-updated', contactId: 'lisi' },
        { type: 'contact-updated', contactId: 'wangwu' },
      ]),
    );
  });

  it('delivers an unknown message type as unsupported content and logs it', async () => {
    const { sender, received, logs } = await connected();
    await sender().sendXml(
      '<xml><ToUserName><![CDATA[ww7e5b6d3c2a1f0e9d]]></ToUserName><FromUserName><![CDATA[zhangsan]]></FromUserName><CreateTime>1700000000</CreateTime><MsgType><![CDATA[file]]></MsgType><MediaId><![CDATA[F]]></MediaId><MsgId>7</MsgId><AgentID>1000002</AgentID></xml>',
    );
    await vi.waitFor(() => expect(received()[0]?.content).toMatchObject({ kind: 'unsupported' }));
    expect(logs.some(entry => entry.level === 'info' && entry.message.includes("'file'"))).toBe(true);
  });

  it('stops receiving on stop(): the port closes and nothing is emitted after', async () => {
    const { session, sender, events } = await connected();
    const before = sender();
    await session.stop();
    const count = events.length;
    await expect(before.send({ type: 'text', from: 'zhangsan', content: 'late' })).rejects.toThrow();
    await new Promise(resolve => setTimeout(resolve, 20));
    expect(events).toHaveLength(count);
  });
});

describe('contacts and rooms', () => {
  it('reads members; avatar and gender only when WeCom still gives them', async () => {
    const restricted = await connected();
    await expect(restricted.session.getContact(contactId('zhangsan'))).resolves.toEqual({
      id: 'zhangsan',
      name: '张三',
      kind: 'enterprise',
    });
    const full = await connected({ fake: { restrictedProfiles: false } });
    const contact = await full.session.getContact(contactId('zhangsan'));
    expect(contact).toMatchObject({ gender: 'male', avatar: { ref: expect.any(String) } });
    await expect(full.session.downloadMedia(contact.avatar ?? { ref: '' })).resolves.toMatchObject({ mimeType: 'image/png' });
  });

  it('falls back to external contacts, and reports unknown ids as not found', async () => {
    const { session } = await connected();
    await expect(session.getContact(contactId('wmAbCdEf0123456789'))).resolves.toMatchObject({
      name: '客户小王',
      kind: 'personal',
      gender: 'male',
    });
    const error = await session.getContact(contactId('ghost')).catch((caught: unknown) => caught);
    expect(WechatNotFoundError.isInstance(error) && error.entity).toBe('contact');
    await expect(session.getContact(contactId('agent:1000002'))).resolves.toMatchObject({ name: 'Matrix Bridge' });
  });

  it('lists every member once across departments', async () => {
    const { session } = await connected();
    const contacts = await session.listContacts?.();
    expect(contacts?.map(contact => contact.id).sort()).toEqual(['lisi', 'wangwu', 'zhangsan']);
  });

  it('creates, reads, renames and changes the members of an app group chat', async () => {
    const { session, fake } = await connected();
    const id = await session.createRoom?.({ name: 'Bridge', contactIds: [contactId('zhangsan'), contactId('lisi')] });
    if (!id) throw new Error('no room');
    await expect(session.getRoom(id)).resolves.toEqual({ id, name: 'Bridge', memberCount: 2, ownerId: 'zhangsan' });
    await session.inviteToRoom?.(id, [contactId('wangwu')]);
    await session.removeFromRoom?.(id, [contactId('lisi')]);
    await session.renameRoom?.(id, 'Renamed');
    expect(fake.appchat(id)).toMatchObject({ name: 'Renamed', userlist: ['zhangsan', 'wangwu'] });
    const members = await session.listRoomMembers(id);
    expect(members.map(member => [member.id, member.name, member.role])).toEqual([
      ['zhangsan', '张三', 'owner'],
      ['wangwu', '王五', 'member'],
    ]);
    await expect(session.createRoom?.({ name: 'x', contactIds: [contactId('zhangsan')] })).rejects.toSatisfy(
      WechatInvalidArgumentError.isInstance,
    );
  });

  it('reports an unknown chat as a missing room', async () => {
    const { session } = await connected();
    const error = await session.getRoom(roomId('nope')).catch((caught: unknown) => caught);
    expect(WechatNotFoundError.isInstance(error) && error.entity).toBe('room');
  });

  it('exposes only the methods its capabilities promise', async () => {
    const { session } = await setup();
    expect(session.login).toBeUndefined();
    expect(session.listRooms).toBeUndefined();
    expect(session.setRoomTopic).toBeUndefined();
    expect(session.recallMessage).toBeTypeOf('function');
  });
});
