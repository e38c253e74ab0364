import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { MatrixPortError } from '@wechat/bridge-core';
import { noopLogger } from '@wechat/provider-api';
import { afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type { AppserviceRegistration } from '../registration/registration.ts';
import { routeBotSdkLogs } from './bot-sdk-logging.ts';
import { type BotSdkMatrixPort, createBotSdkMatrixPort, scopedTransactionId } from './bot-sdk-matrix-port.ts';
import { type FakeHomeserver, startFakeHomeserver } from './testing/fake-homeserver.ts';

const bot = '@wechatbot:example.org';
const alice = '@wechat_alice:example.org';
const bob = '@wechat_bob:example.org';
const roomId = '!room:example.org';
const encodedRoom = '!room%3Aexample.org';

const registration: AppserviceRegistration = {
  id: 'wechat',
  url: 'http://127.0.0.1:29350',
  as_token: 'as-token-from-registration',
  hs_token: 'hs-token-from-registration',
  sender_localpart: 'wechatbot',
  namespaces: { users: [{ exclusive: true, regex: '@wechat_.*:example\\.org' }], aliases: [], rooms: [] },
  rate_limited: false,
  receive_ephemeral: true,
  'de.sorunome.msc2409.push_ephemeral': true,
};

let homeserver: FakeHomeserver;
let port: BotSdkMatrixPort;

beforeAll(() => {
  // bot-sdk would otherwise print every expected error response to the console.
  routeBotSdkLogs(noopLogger);
});

beforeEach(async () => {
  homeserver = await startFakeHomeserver();
  port = makePort(homeserver.url);
});

afterEach(async () => {
  await homeserver.close();
});

function makePort(homeserverUrl: string, overrides: { mediaTimeoutMs?: number } = {}): BotSdkMatrixPort {
  return createBotSdkMatrixPort({
    homeserverUrl: `${homeserverUrl}/`,
    serverName: 'example.org',
    asToken: 'as-token',
    hsToken: 'hs-token',
    botLocalpart: 'wechatbot',
    registration,
    logger: noopLogger,
    ...overrides,
  });
}

const last = () => {
  const request = homeserver.requests.at(-1);
  if (request === undefined) throw new Error('no request recorded');
  return request;
};

async function rejection(promise: Promise<unknown>): Promise<MatrixPortError> {
  const error = await promise.then(
    () => undefined,
    (caught: unknown) => caught,
  );
  if (!MatrixPortError.isInstance(error)) throw new Error(`expected a MatrixPortError, got ${String(error)}`);
  return error;
}

describe('acting as a user', () => {
  it('sends the as_token, and impersonates ghosts with ?user_id= but not the bot', async () => {
    homeserver.route('PUT', /\/displayname$/, () => ({ json: {} }));
    await port.setDisplayName(alice, 'Alice (WeChat)');
    expect(last()).toMatchObject({
      method: 'PUT',
      path: '/_matrix/client/v3/profile/%40wechat_alice%3Aexample.org/displayname',
      query: { user_id: alice },
      json: { displayname: 'Alice (WeChat)' },
    });
    expect(last().headers.authorization).toBe('Bearer as-token');

    await port.setDisplayName(bot, 'WeChat bridge');
    expect(last().path).toBe('/_matrix/client/v3/profile/%40wechatbot%3Aexample.org/displayname');
    expect(last().query).toEqual({});
  });

  it('exposes the bot user id and server name', () => {
    expect(port.botUserId).toBe(bot);
    expect(port.serverName).toBe('example.org');
  });

  it('sets avatars', async () => {
    homeserver.route('PUT', /\/avatar_url$/, () => ({ json: {} }));
    await port.setAvatarUrl(alice, 'mxc://example.org/abc');
    expect(last()).toMatchObject({
      path: '/_matrix/client/v3/profile/%40wechat_alice%3Aexample.org/avatar_url',
      query: { user_id: alice },
      json: { avatar_url: 'mxc://example.org/abc' },
    });
  });
});

describe('ensureRegistered', () => {
  it('registers through the appservice login type, once per process', async () => {
    homeserver.route('POST', '/_matrix/client/v3/register', () => ({ json: { user_id: alice, home_server: 'example.org' } }));
    await port.ensureRegistered(alice);
    await port.ensureRegistered(alice);
    const registrations = homeserver.requests.filter(request => request.path === '/_matrix/client/v3/register');
    expect(registrations).toHaveLength(1);
    expect(registrations[0]?.json).toEqual({
      type: 'm.login.application_service',
      username: 'wechat_alice',
      inhibit_login: true,
    });
    expect(registrations[0]?.headers.authorization).toBe('Bearer as-token');
  });

  it('treats M_USER_IN_USE as success', async () => {
    homeserver.route('POST', '/_matrix/client/v3/register', () => ({
      status: 400,
      json: { errcode: 'M_USER_IN_USE', error: 'User ID already taken.' },
    }));
    await expect(port.ensureRegistered(alice)).resolves.toBeUndefined();
    await expect(port.ensureRegistered(bot)).resolves.toBeUndefined();
  });

  it('throws other failures as MatrixPortError', async () => {
    homeserver.route('POST', '/_matrix/client/v3/register', () => ({
      status: 400,
      json: { errcode: 'M_EXCLUSIVE', error: 'This user ID is reserved by an application service.' },
    }));
    const error = await rejection(port.ensureRegistered('@someone:example.org'));
    expect(error).toMatchObject({ errcode: 'M_EXCLUSIVE', statusCode: 400, retryable: false });
    expect(error.message).toContain('register @someone:example.org');
  });
});

describe('rooms', () => {
  it('maps every createRoom option to the client-server body', async () => {
    homeserver.route('POST', '/_matrix/client/v3/createRoom', () => ({ json: { room_id: '!new:example.org' } }));
    const created = await port.createRoom(alice, {
      name: 'Alice',
      topic: 'WeChat DM',
      invite: ['@user:example.org', bot],
      isDirect: true,
      preset: 'trusted_private_chat',
      initialState: [{ type: 'm.room.avatar', state_key: '', content: { url: 'mxc://example.org/a' } }],
      powerLevelContentOverride: { users: { [alice]: 100, [bot]: 100 } },
    });
    expect(created).toBe('!new:example.org');
    expect(last()).toMatchObject({ path: '/_matrix/client/v3/createRoom', query: { user_id: alice } });
    expect(last().json).toEqual({
      preset: 'trusted_private_chat',
      visibility: 'private',
      name: 'Alice',
      topic: 'WeChat DM',
      invite: ['@user:example.org', bot],
      is_direct: true,
      initial_state: [{ type: 'm.room.avatar', state_key: '', content: { url: 'mxc://example.org/a' } }],
      power_level_content_override: { users: { [alice]: 100, [bot]: 100 } },
    });
  });

  it('defaults to a private chat, and creates spaces through creation_content.type', async () => {
    homeserver.route('POST', '/_matrix/client/v3/createRoom', () => ({ json: { room_id: '!new:example.org' } }));
    await port.createRoom(bot, {});
    expect(last().json).toEqual({ preset: 'private_chat', visibility: 'private' });
    await port.createRoom(bot, { name: 'WeChat', roomType: 'm.space' });
    expect(last().json).toEqual({
      preset: 'private_chat',
      visibility: 'private',
      name: 'WeChat',
      creation_content: { type: 'm.space' },
    });
  });

  it('invites, joins and leaves', async () => {
    homeserver.route('POST', /./, () => ({ json: { room_id: roomId } }));
    await port.invite(bot, roomId, alice);
    expect(last()).toMatchObject({ path: `/_matrix/client/v3/rooms/${encodedRoom}/invite`, query: {}, json: { user_id: alice } });
    await port.join(alice, roomId);
    expect(last()).toMatchObject({ path: `/_matrix/client/v3/join/${encodedRoom}`, query: { user_id: alice }, json: {} });
    await port.leave(alice, roomId);
    expect(last()).toMatchObject({ path: `/_matrix/client/v3/rooms/${encodedRoom}/leave`, query: { user_id: alice }, json: {} });
  });

  it('lists joined members as the bot', async () => {
    homeserver.route('GET', `/_matrix/client/v3/rooms/${encodedRoom}/joined_members`, () => ({
      json: { joined: { [alice]: { display_name: 'Alice' }, [bot]: {} } },
    }));
    expect(await port.getJoinedMembers(roomId)).toEqual([alice, bot]);
    expect(last().query).toEqual({});
  });

  it('sets state, including with an empty state key', async () => {
    homeserver.route('PUT', /\/state\//, () => ({ json: { event_id: '$state' } }));
    expect(await port.setState(alice, roomId, 'm.room.name', '', { name: 'Alice' })).toBe('$state');
    expect(last()).toMatchObject({
      path: `/_matrix/client/v3/rooms/${encodedRoom}/state/m.room.name/`,
      query: { user_id: alice },
      json: { name: 'Alice' },
    });
    await port.setState(bot, roomId, 'm.bridge', 'wechat/login/wxid_a', { protocol: { id: 'wechat' } });
    expect(last().path).toBe(`/_matrix/client/v3/rooms/${encodedRoom}/state/m.bridge/wechat%2Flogin%2Fwxid_a`);
  });
});

describe('events', () => {
  // Like Synapse: the same path (transaction id) answers the same event, whoever asks.
  function routeIdempotentSend() {
    const byPath = new Map<string, string>();
    homeserver.route('PUT', /\/(send|redact)\//, request => {
      const eventId = byPath.get(request.path) ?? `$event${byPath.size + 1}`;
      byPath.set(request.path, eventId);
      return { json: { event_id: eventId } };
    });
  }

  it('sends with the caller transaction id in the path and the timestamp as ts', async () => {
    routeIdempotentSend();
    const content = { msgtype: 'm.text', body: 'hello' };
    const first = await port.sendEvent(alice, roomId, 'm.room.message', content, {
      transactionId: 'out-42',
      timestamp: 1_700_000_000_123.7,
    });
    expect(last()).toMatchObject({
      method: 'PUT',
      path: `/_matrix/client/v3/rooms/${encodedRoom}/send/m.room.message/${encodeURIComponent(scopedTransactionId(alice, 'out-42'))}`,
      query: { user_id: alice, ts: '1700000000123' },
      json: content,
    });
    // A retry after a timeout reuses the path, so the homeserver answers the first event instead of a second one.
    const retried = await port.sendEvent(alice, roomId, 'm.room.message', content, {
      transactionId: 'out-42',
      timestamp: 1_700_000_000_123,
    });
    expect(retried).toBe(first);
    expect(homeserver.requests.at(-2)?.path).toBe(last().path);
  });

  it('keeps transaction ids of different senders apart, since Synapse does not scope them by user_id', async () => {
    routeIdempotentSend();
    const content = { msgtype: 'm.text', body: 'hi' };
    const fromAlice = await port.sendEvent(alice, roomId, 'm.room.message', content, { transactionId: 'same' });
    const fromBob = await port.sendEvent(bob, roomId, 'm.room.message', content, { transactionId: 'same' });
    expect(fromAlice).not.toBe(fromBob);
  });

  it('mints a fresh transaction id when the caller gives none', async () => {
    routeIdempotentSend();
    await port.sendEvent(alice, roomId, 'm.room.message', { body: 'a' });
    await port.sendEvent(alice, roomId, 'm.room.message', { body: 'a' });
    const [first, second] = homeserver.requests.map(request => request.path);
    expect(first).not.toBe(second);
    expect(last().query).toEqual({ user_id: alice });
  });

  it('redacts with a transaction id and an optional reason', async () => {
    routeIdempotentSend();
    expect(await port.redact(alice, roomId, '$target:example.org', 'recalled on WeChat')).toMatch(/^\$event/);
    expect(last().path).toMatch(new RegExp(`^/_matrix/client/v3/rooms/${encodedRoom}/redact/%24target%3Aexample.org/[^/]+$`));
    expect(last()).toMatchObject({ query: { user_id: alice }, json: { reason: 'recalled on WeChat' } });
    await port.redact(bot, roomId, '$other');
    expect(last().json).toEqual({});
  });

  it('sends read receipts', async () => {
    homeserver.route('POST', /\/receipt\//, () => ({ json: {} }));
    await port.sendReadReceipt(alice, roomId, '$read:example.org');
    expect(last()).toMatchObject({
      path: `/_matrix/client/v3/rooms/${encodedRoom}/receipt/m.read/%24read%3Aexample.org`,
      query: { user_id: alice },
      json: {},
    });
  });
});

describe('media', () => {
  const bytes = new Uint8Array([0x89, 0x50, 0x4e, 0x47, 0, 1, 2, 3]);

  it('uploads raw bytes with the content type and file name', async () => {
    homeserver.route('POST', '/_matrix/media/v3/upload', () => ({ json: { content_uri: 'mxc://example.org/up1' } }));
    expect(await port.uploadContent(alice, bytes.subarray(1, 6), 'image/png', 'photo 1.png')).toBe('mxc://example.org/up1');
    expect(last()).toMatchObject({ method: 'POST', query: { filename: 'photo 1.png', user_id: alice } });
    expect(last().headers['content-type']).toBe('image/png');
    expect([...last().body]).toEqual([...bytes.subarray(1, 6)]);
    await port.uploadContent(bot, bytes, 'application/octet-stream');
    expect(last().query).toEqual({});
  });

  it('downloads through authenticated media as the bot', async () => {
    homeserver.route('GET', '/_matrix/client/v1/media/download/example.org/abc', () => ({
      body: bytes,
      headers: { 'content-type': 'image/PNG; charset=binary' },
    }));
    const media = await port.downloadContent('mxc://example.org/abc', { maxBytes: 1024 });
    expect(media).toEqual({ data: bytes, mimeType: 'image/png' });
    expect(homeserver.requests).toHaveLength(1);
    expect(last().headers.authorization).toBe('Bearer as-token');
    expect(last().query).toEqual({ allow_redirect: 'true' });
  });

  it('falls back to the legacy endpoint when authenticated media is not supported', async () => {
    homeserver.route('GET', '/_matrix/media/v3/download/remote.example/xyz', () => ({
      body: bytes,
      headers: { 'content-type': 'image/jpeg' },
    }));
    const media = await port.downloadContent('mxc://remote.example/xyz', { maxBytes: 1024 });
    expect(media.mimeType).toBe('image/jpeg');
    expect(homeserver.requests.map(request => request.path)).toEqual([
      '/_matrix/client/v1/media/download/remote.example/xyz',
      '/_matrix/media/v3/download/remote.example/xyz',
    ]);
  });

  it('falls back when a proxy answers 404 without a Matrix error body', async () => {
    homeserver.route('GET', /\/_matrix\/client\/v1\/media\//, () => ({
      status: 404,
      body: '<html>Not Found</html>',
      headers: { 'content-type': 'text/html' },
    }));
    homeserver.route('GET', /\/_matrix\/media\/v3\/download\//, () => ({ body: bytes }));
    expect((await port.downloadContent('mxc://example.org/abc', { maxBytes: 1024 })).data).toEqual(bytes);
  });

  it('does not fall back when the media does not exist', async () => {
    homeserver.route('GET', /\/_matrix\/client\/v1\/media\//, () => ({
      status: 404,
      json: { errcode: 'M_NOT_FOUND', error: 'Not found' },
    }));
    const error = await rejection(port.downloadContent('mxc://example.org/gone', { maxBytes: 1024 }));
    expect(error).toMatchObject({ errcode: 'M_NOT_FOUND', statusCode: 404, retryable: false });
    expect(homeserver.requests).toHaveLength(1);
  });

  it('refuses before downloading when Content-Length exceeds maxBytes', async () => {
    let closedEarly = false;
    homeserver.route('GET', /\/download\//, (_request, response) => {
      response.writeHead(200, { 'content-type': 'video/mp4', 'content-length': String(10 * 1024 * 1024) });
      response.write(Buffer.alloc(64 * 1024));
      response.on('close', () => {
        closedEarly = !response.writableFinished;
      });
      return undefined;
    });
    const error = await rejection(port.downloadContent('mxc://example.org/big', { maxBytes: 1024 }));
    expect(error).toMatchObject({ errcode: 'M_TOO_LARGE', statusCode: 413, retryable: false });
    expect(error.message).toContain('10485760 bytes');
    await expect.poll(() => closedEarly).toBe(true);
  });

  it('aborts a body without Content-Length once it grows past maxBytes', async () => {
    let written = 0;
    let aborted = false;
    homeserver.route('GET', /\/download\//, (_request, response) => {
      response.writeHead(200, { 'content-type': 'application/octet-stream' });
      const timer = setInterval(() => {
        response.write(Buffer.alloc(4096));
        written += 4096;
      }, 2);
      response.on('close', () => {
        clearInterval(timer);
        aborted = true;
      });
      return undefined;
    });
    const error = await rejection(port.downloadContent('mxc://example.org/endless', { maxBytes: 10_000 }));
    expect(error.errcode).toBe('M_TOO_LARGE');
    await expect.poll(() => aborted).toBe(true);
    expect(written).toBeLessThan(1024 * 1024);
  });

  it('accepts a body of exactly maxBytes', async () => {
    homeserver.route('GET', /\/download\//, () => ({ body: bytes }));
    expect((await port.downloadContent('mxc://example.org/exact', { maxBytes: bytes.length })).data).toEqual(bytes);
  });

  it('refuses malformed mxc URIs without asking the homeserver', async () => {
    for (const uri of ['https://example.org/a', 'mxc://example.org', 'mxc://example.org/a/b', 'mxc:///a']) {
      const error = await rejection(port.downloadContent(uri, { maxBytes: 1024 }));
      expect(error).toMatchObject({ errcode: 'M_INVALID_PARAM', retryable: false });
    }
    expect(homeserver.requests).toHaveLength(0);
  });

  it('times out a stalled download as a retryable error', async () => {
    const slow = makePort(homeserver.url, { mediaTimeoutMs: 100 });
    homeserver.route('GET', /\/download\//, (_request, response) => {
      response.writeHead(200, { 'content-type': 'image/png' });
      response.write(Buffer.alloc(10));
      return undefined;
    });
    const error = await rejection(slow.downloadContent('mxc://example.org/stall', { maxBytes: 1024 }));
    expect(error).toMatchObject({ errcode: 'M_UNKNOWN', statusCode: undefined, retryable: true });
    expect(error.message).toContain('timed out');
  });
});

describe('errors', () => {
  it('keeps the homeserver errcode and status, and says what failed', async () => {
    homeserver.route('PUT', /\/send\//, () => ({ status: 403, json: { errcode: 'M_FORBIDDEN', error: 'User not in room' } }));
    const error = await rejection(port.sendEvent(alice, roomId, 'm.room.message', { body: 'x' }));
    expect(error).toMatchObject({ name: 'MatrixPortError', errcode: 'M_FORBIDDEN', statusCode: 403, retryable: false });
    expect(error.message).toBe(`send m.room.message to ${roomId} as ${alice} failed: HTTP 403 M_FORBIDDEN: User not in room`);
  });

  it('marks rate limits and server errors as retryable', async () => {
    homeserver.route('POST', /\/invite$/, () => ({
      status: 429,
      json: { errcode: 'M_LIMIT_EXCEEDED', error: 'Too many', retry_after_ms: 500 },
    }));
    expect(await rejection(port.invite(bot, roomId, alice))).toMatchObject({
      errcode: 'M_LIMIT_EXCEEDED',
      statusCode: 429,
      retryable: true,
    });
    homeserver.route('POST', /\/invite$/, () => ({
      status: 502,
      body: '<html>Bad Gateway</html>',
      headers: { 'content-type': 'text/html' },
    }));
    expect(await rejection(port.invite(bot, roomId, alice))).toMatchObject({
      errcode: 'M_UNKNOWN',
      statusCode: 502,
      retryable: true,
    });
  });

  it('maps an unreachable homeserver to a retryable error without status', async () => {
    const closed = createServer();
    await new Promise<void>(resolve => closed.listen(0, '127.0.0.1', resolve));
    const deadPort = (closed.address() as AddressInfo).port;
    await new Promise(resolve => closed.close(resolve));
    const unreachable = makePort(`http://127.0.0.1:${deadPort}`);
    const error = await rejection(unreachable.join(alice, roomId));
    expect(error).toMatchObject({ errcode: 'M_UNKNOWN', statusCode: undefined, retryable: true });
    expect(error.message).toContain('ECONNREFUSED');
    expect(await rejection(unreachable.downloadContent('mxc://example.org/a', { maxBytes: 10 }))).toMatchObject({
      retryable: true,
    });
    expect(await rejection(unreachable.getVersions())).toMatchObject({ retryable: true });
  });

  it('refuses a 2xx answer that lacks what the API promises', async () => {
    homeserver.route('PUT', /\/send\//, () => ({
      body: '<html>captive portal</html>',
      headers: { 'content-type': 'text/html' },
    }));
    const error = await rejection(port.sendEvent(alice, roomId, 'm.room.message', { body: 'x' }));
    expect(error.message).toContain('event_id');
    homeserver.route('POST', '/_matrix/client/v3/createRoom', () => ({ json: {} }));
    expect((await rejection(port.createRoom(bot, {}))).message).toContain('room_id');
  });
});

describe('homeserver checks', () => {
  it('reads the spec versions', async () => {
    homeserver.route('GET', '/_matrix/client/versions', () => ({
      json: { versions: ['v1.10', 'v1.11', 7], unstable_features: {} },
    }));
    expect(await port.getVersions()).toEqual(['v1.10', 'v1.11']);
  });

  it('asks who the as_token belongs to, without impersonating anyone', async () => {
    homeserver.route('GET', '/_matrix/client/v3/account/whoami', () => ({ json: { user_id: bot } }));
    expect(await port.whoami()).toBe(bot);
    expect(last().query).toEqual({});
    expect(last().headers.authorization).toBe('Bearer as-token');
  });

  it('pings the appservice through the homeserver', async () => {
    homeserver.route('POST', '/_matrix/client/v1/appservice/wechat/ping', () => ({ json: { duration_ms: 12 } }));
    expect(await port.pingAppservice('wechat', 'txn-1')).toBe(12);
    expect(last().json).toEqual({ transaction_id: 'txn-1' });
    await port.pingAppservice('wechat');
    expect(last().json).toEqual({ transaction_id: expect.stringMatching(/^ping-/) });
  });

  it('reports why a ping failed', async () => {
    homeserver.route('POST', '/_matrix/client/v1/appservice/wechat/ping', () => ({
      status: 502,
      json: { errcode: 'M_CONNECTION_FAILED', error: 'Connection to the application service failed' },
    }));
    expect(await rejection(port.pingAppservice('wechat'))).toMatchObject({ errcode: 'M_CONNECTION_FAILED', statusCode: 502 });
  });
});
