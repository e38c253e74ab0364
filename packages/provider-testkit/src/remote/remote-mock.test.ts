import { createServer, type Server, type Socket, connect } from 'node:net';
import type { AddressInfo } from 'node:net';
import { setTimeout as sleep } from 'node:timers/promises';
import {
  contactId,
  createMemorySessionStorage,
  loadProvider,
  type ManagedSessionV1,
  openSession,
  type ProviderEventOfTypeV1,
  roomId,
  type SessionStorageV1,
  WechatAuthenticationError,
  WechatError,
  WechatInvalidArgumentError,
  WechatNotFoundError,
  WechatProviderUnavailableError,
  WechatRateLimitedError,
  WechatRequestError,
  WechatUnsupportedCapabilityError,
} from '@wechat/provider-api';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { createMockWorld, type MockWorld } from '../mock/mock-world.ts';
import { remoteMockProvider } from './remote-mock-provider.ts';
import { remoteSessionKeyStorageKey } from './remote-mock-session.ts';
import { type RemoteMockServer, startRemoteMockServer } from './remote-mock-server.ts';

const token = 'remote-mock-test-token';
const alice = contactId('alice');
const room1 = roomId('room-1');
const cleanups: (() => Promise<unknown>)[] = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

async function setUp(): Promise<{ world: MockWorld; server: RemoteMockServer }> {
  const world = createMockWorld();
  const server = await startRemoteMockServer({ world, token });
  cleanups.push(() => server.close());
  return { world, server };
}

/** A session of the remote provider as an app would open it; stopped after the test. */
function open(url: string, options: { storage?: SessionStorageV1; token?: string; sessionKey?: string } = {}) {
  const session = openSession(remoteMockProvider, {
    config: {
      url,
      token: options.token ?? token,
      ...(options.sessionKey === undefined ? {} : { session_key: options.sessionKey }),
    },
    ...(options.storage === undefined ? {} : { storage: options.storage }),
  });
  const changes: ProviderEventOfTypeV1<'state-changed'>[] = [];
  const texts: string[] = [];
  session.on('state-changed', event => {
    changes.push(event);
  });
  session.on('message-received', ({ message }) => {
    if (message.content.kind === 'text') texts.push(message.content.text);
  });
  cleanups.push(() => session.stop());
  return { session, changes, texts, path: () => changes.map(change => `${change.previous}→${change.state}`) };
}

const waitForState = (session: ManagedSessionV1, state: string) =>
  vi.waitFor(() => expect(session.state).toBe(state), { timeout: 5_000, interval: 10 });

/**
 * A TCP proxy in front of the server: `cut()` kills every connection through it (the event stream among
 * them), `pause()` also stops listening (connections are refused), `resume()` listens again on the same port.
 */
async function startProxy(target: string) {
  const { hostname, port: targetPort } = new URL(target);
  const sockets = new Set<Socket>();
  let listener: Server | undefined;
  let port = 0;
  const listen = () =>
    new Promise<void>((resolve, reject) => {
      const server = createServer(client => {
        const upstream = connect(Number(targetPort), hostname);
        for (const socket of [client, upstream]) {
          sockets.add(socket);
          socket.on('error', () => {});
          socket.on('close', () => {
            sockets.delete(socket);
            client.destroy();
            upstream.destroy();
          });
        }
        client.pipe(upstream).pipe(client);
      });
      server.once('error', reject);
      server.listen(port, '127.0.0.1', () => {
        port = (server.address() as AddressInfo).port;
        listener = server;
        resolve();
      });
    });
  const cut = () => {
    for (const socket of sockets) socket.destroy();
  };
  const pause = async () => {
    const server = listener;
    listener = undefined;
    cut();
    await new Promise(resolve => server?.close(resolve) ?? resolve(undefined));
  };
  await listen();
  cleanups.push(pause);
  return { url: `http://127.0.0.1:${port}`, cut, pause, resume: listen };
}

describe('remoteMockProvider', () => {
  it('is what loadProvider finds at @wechat/provider-testkit/remote-mock', async () => {
    const provider = await loadProvider('@wechat/provider-testkit/remote-mock', { importModule: name => import(name) });
    expect(provider).toBe(remoteMockProvider);
    expect([provider.id, provider.displayName, provider.capabilities.login]).toEqual([
      'mock',
      'Mock WeChat (remote)',
      'interactive',
    ]);
    expect(provider.capabilities).toEqual(createMockWorld().provider.capabilities);
  });

  it('connects through a QR login and works like the in-process mock', async () => {
    const { world, server } = await setUp();
    const { session, path, texts } = open(server.url);
    await session.start();
    expect(session.state).toBe('awaiting-login');
    const login = await session.login!();
    const first = await login.start();
    expect(first.type).toBe('qr-code');
    world.completeLogin();
    let step = first;
    while (step.type !== 'complete') step = await login.next();
    expect(step.self.id).toBe('mock-self');
    expect(session.state).toBe('connected');

    await world.contact('bob').in('room-1').says('hello');
    const result = await session.sendMessage({ to: { type: 'room', roomId: room1 }, content: { kind: 'text', text: 'hi' } });
    expect(world.sent()).toEqual([
      { kind: 'text', text: 'hi', chat: { type: 'room', roomId: 'room-1' }, messageId: result.messageId },
    ]);
    expect(await session.listRoomMembers(room1)).toHaveLength(4);
    await vi.waitFor(() => expect(texts).toEqual(['hello', 'hi']));

    await session.logout();
    expect(session.state).toBe('logged-out');
    await session.stop();
    expect(path()).toEqual([
      'stopped→starting',
      'starting→awaiting-login',
      'awaiting-login→connecting',
      'connecting→connected',
      'connected→logged-out',
      'logged-out→stopped',
    ]);
  });

  it('carries bytes both ways', async () => {
    const { world, server } = await setUp();
    const { session } = open(server.url);
    await world.connectSession(session);
    const bytes = Uint8Array.from({ length: 1024 }, (_, index) => (index * 7) % 256);
    await session.sendMessage({
      to: { type: 'direct', contactId: alice },
      content: { kind: 'image', media: { data: bytes, mimeType: 'image/png' } },
    });
    expect(world.sent()).toEqual([expect.objectContaining({ kind: 'image', data: bytes, mimeType: 'image/png' })]);

    const received = new Promise<ProviderEventOfTypeV1<'message-received'>>(resolve => {
      session.on('message-received', event => {
        if (event.message.content.kind === 'file') resolve(event);
      });
    });
    const file = Uint8Array.from([0, 255, 1, 254]);
    await world.contact('alice').sends({ kind: 'file', data: file, mimeType: 'application/pdf', fileName: 'a.pdf' });
    const { message } = await received;
    if (message.content.kind !== 'file') throw new Error('expected a file');
    const download = await session.downloadMedia(message.content.media);
    expect(download).toEqual({ data: file, mimeType: 'application/pdf', fileName: 'a.pdf' });
    expect(download.data).toBeInstanceOf(Uint8Array);
  });

  it('rejects with the typed errors of the mock, fields intact', async () => {
    const { world, server } = await setUp();
    const { session } = open(server.url);
    await world.connectSession(session);
    const direct = { to: { type: 'direct', contactId: alice }, content: { kind: 'text', text: 'x' } } as const;
    const rejection = (promise: Promise<unknown>) =>
      promise.then(
        () => expect.fail('resolved'),
        (error: unknown) => error,
      );

    world.failNext('network');
    const unavailable = await rejection(session.sendMessage(direct));
    expect(WechatProviderUnavailableError.isInstance(unavailable) && unavailable.retryable).toBe(true);
    world.failNext('server');
    const server500 = await rejection(session.sendMessage(direct));
    expect(WechatRequestError.isInstance(server500) && [server500.statusCode, server500.operation]).toEqual([500, 'sendMessage']);
    world.failNext('rate-limit');
    const limited = await rejection(session.sendMessage(direct));
    expect(WechatRateLimitedError.isInstance(limited) && limited.retryAfterMs).toBe(1000);
    const missing = await rejection(session.getContact(contactId('nobody')));
    expect(WechatNotFoundError.isInstance(missing) && [missing.entity, missing.id]).toEqual(['contact', 'nobody']);
    const invalid = await rejection(session.fetchHistory!({ chat: { type: 'direct', contactId: alice }, limit: -1 }));
    expect(WechatInvalidArgumentError.isInstance(invalid) && invalid.argument).toBe('limit');
    world.room('room-1').restrictCapabilities({ send: { voice: 'none' } });
    const unsupported = await rejection(
      session.sendMessage({
        to: { type: 'room', roomId: room1 },
        content: { kind: 'voice', media: { data: new Uint8Array(1), mimeType: 'audio/silk' }, durationMs: 1 },
      }),
    );
    expect(WechatUnsupportedCapabilityError.isInstance(unsupported) && unsupported.capability).toBe('send.voice');
    expect(session.state).toBe('connected');

    world.failNext('auth');
    const auth = await rejection(session.sendMessage(direct));
    expect(WechatAuthenticationError.isInstance(auth)).toBe(true);
    expect(session.state).toBe('logged-out');
  });

  it('reports the error of a state change as a typed error', async () => {
    const { world, server } = await setUp();
    const { session, changes } = open(server.url);
    await world.connectSession(session);
    world.failNext('auth');
    await session.getSelf(); // not a remote operation of the mock: it does not consume the failure
    await expect(session.getContact(alice)).rejects.toSatisfy(WechatAuthenticationError.isInstance);
    const last = changes.at(-1);
    expect(last?.state).toBe('logged-out');
    expect(WechatAuthenticationError.isInstance(last?.error)).toBe(true);
    expect(last?.error?.providerId).toBe('mock');
  });

  it('delivers events emitted while the stream was down, in order and exactly once', async () => {
    const { world, server } = await setUp();
    const proxy = await startProxy(server.url);
    const { session, texts, path } = open(proxy.url);
    await world.connectSession(session);

    // A stream of events with the connection killed in the middle: what dies in transit or is emitted before
    // the stream is back is sent again after Last-Event-ID.
    for (let index = 0; index < 30; index++) {
      if (index === 10) {
        await vi.waitFor(() => expect(texts).toHaveLength(10));
        proxy.cut();
      }
      await world.contact('alice').says(`burst ${index}`);
      await sleep(3);
    }
    await vi.waitFor(() => expect(path()).toContain('transient-disconnect→connected'), { timeout: 5_000 });
    // Down for a while: every event is buffered by the server, then replayed after Last-Event-ID.
    await proxy.pause();
    await waitForState(session, 'transient-disconnect');
    for (let index = 0; index < 10; index++) await world.contact('bob').in('room-1').says(`buffered ${index}`);
    await sleep(150);
    await proxy.resume();
    await waitForState(session, 'connected');
    await session.getSelf(); // its answer brings any events not acknowledged yet: still no duplicates
    await world.contact('alice').says('live');

    const expected = [
      ...Array.from({ length: 30 }, (_, index) => `burst ${index}`),
      ...Array.from({ length: 10 }, (_, index) => `buffered ${index}`),
      'live',
    ];
    await vi.waitFor(() => expect(texts).toHaveLength(expected.length), { timeout: 5_000 });
    await sleep(100);
    expect(texts).toEqual(expected);
    expect(path().slice(3)).toEqual([
      'connecting→connected',
      'connected→transient-disconnect',
      'transient-disconnect→connected',
      'connected→transient-disconnect',
      'transient-disconnect→connected',
    ]);
  });

  it('throws PROVIDER_UNAVAILABLE and reports transient-disconnect while the server is unreachable', async () => {
    const { world, server } = await setUp();
    const proxy = await startProxy(server.url);
    await proxy.pause();
    const { session, changes, path } = open(proxy.url);
    await session.start();
    expect(path()).toEqual(['stopped→starting', 'starting→transient-disconnect']);
    expect(changes[1]?.error).toSatisfy(WechatProviderUnavailableError.isInstance);
    const error = await session.getSelf().catch((caught: unknown) => caught);
    expect(WechatProviderUnavailableError.isInstance(error) && [error.code, error.retryable]).toEqual([
      'PROVIDER_UNAVAILABLE',
      true,
    ]);
    expect((await session.checkHealth!()).healthy).toBe(false);

    await proxy.resume();
    await waitForState(session, 'awaiting-login');
    await world.connectSession(session);

    await proxy.pause();
    await waitForState(session, 'transient-disconnect');
    await expect(
      session.sendMessage({ to: { type: 'direct', contactId: alice }, content: { kind: 'text', text: 'x' } }),
    ).rejects.toSatisfy(WechatProviderUnavailableError.isInstance);
    await proxy.resume();
    await waitForState(session, 'connected');
    await session.sendMessage({ to: { type: 'direct', contactId: alice }, content: { kind: 'text', text: 'back' } });
    expect(world.sent().map(sent => sent.kind === 'text' && sent.text)).toEqual(['back']);
    expect(path()).toEqual([
      'stopped→starting',
      'starting→transient-disconnect',
      'transient-disconnect→awaiting-login',
      'awaiting-login→connecting',
      'connecting→connected',
      'connected→transient-disconnect',
      'transient-disconnect→connected',
    ]);
  });

  it('stops cleanly while the server is unreachable, and emits nothing afterwards', async () => {
    const { server } = await setUp();
    const proxy = await startProxy(server.url);
    await proxy.pause();
    const { session, path } = open(proxy.url);
    await session.start();
    await session.stop();
    await proxy.resume();
    await sleep(200);
    expect(path()).toEqual(['stopped→starting', 'starting→transient-disconnect', 'transient-disconnect→stopped']);
  });
});

describe('remote sessions and logins', () => {
  it('keep the login for a new client session with the same storage (a restarted app)', async () => {
    const { world, server } = await setUp();
    const storage = createMemorySessionStorage();
    const first = open(server.url, { storage });
    await world.connectSession(first.session);
    await first.session.stop();
    expect(storage.snapshot()).toEqual({ [remoteSessionKeyStorageKey]: expect.stringMatching(/^[0-9a-f-]{36}$/) });

    const second = open(server.url, { storage });
    const steps: unknown[] = [];
    second.session.on('login-step', event => {
      steps.push(event);
    });
    await second.session.start();
    expect(second.session.state).toBe('connected');
    expect(steps).toEqual([]);

    // Another storage is another device: it has to log in.
    const other = open(server.url);
    await other.session.start();
    expect(other.session.state).toBe('awaiting-login');
  });

  it('use config.session_key instead of the storage when given', async () => {
    const { world, server } = await setUp();
    const first = open(server.url, { sessionKey: 'e2e-account' });
    await world.connectSession(first.session);
    await first.session.stop();
    const storage = createMemorySessionStorage();
    const second = open(server.url, { sessionKey: 'e2e-account', storage });
    await second.session.start();
    expect(second.session.state).toBe('connected');
    expect(storage.snapshot()).toEqual({});
  });

  it('go to the newest client session when an app restarts without stopping; the old one is signed out', async () => {
    const { world, server } = await setUp();
    const storage = createMemorySessionStorage();
    const killed = open(server.url, { storage }); // never stopped, as if its process died
    await world.connectSession(killed.session);
    const restarted = open(server.url, { storage });
    await restarted.session.start();
    expect(restarted.session.state).toBe('connected');
    expect(restarted.path()).toEqual(['stopped→starting', 'starting→connecting', 'connecting→connected']);

    await waitForState(killed.session, 'logged-out');
    expect(killed.changes.at(-1)?.error).toSatisfy(WechatAuthenticationError.isInstance);
    await killed.session.stop(); // must not stop the new owner's session
    await world.contact('alice').says('for the new one');
    await vi.waitFor(() => expect(restarted.texts).toEqual(['for the new one']));
    expect(killed.texts).toEqual([]);
    expect(restarted.session.state).toBe('connected');
  });

  it('are refused with a wrong token: bad-credentials, CREDENTIALS_INVALID, and no retrying', async () => {
    const { server } = await setUp();
    const { session, changes, path } = open(server.url, { token: 'wrong' });
    await session.start();
    expect(path()).toEqual(['stopped→starting', 'starting→bad-credentials']);
    const [, refused] = changes;
    expect(WechatAuthenticationError.isInstance(refused?.error) && refused.error.code).toBe('CREDENTIALS_INVALID');
    const error = await session.getSelf().catch((caught: unknown) => caught);
    expect(WechatAuthenticationError.isInstance(error) && error.code).toBe('CREDENTIALS_INVALID');
    expect(WechatError.isInstance(error) && error.message).not.toContain('wrong');
    await sleep(200);
    expect(changes).toHaveLength(2);
    await session.stop();
    expect(path().at(-1)).toBe('bad-credentials→stopped');
  });
});
