import { request } from 'node:http';
import { afterEach, describe, expect, it } from 'vitest';
import { createMockWorld } from '../mock/mock-world.ts';
import { createSseParser } from './remote-event-stream.ts';
import { type RemoteMockServer, startRemoteMockServer } from './remote-mock-server.ts';
import { decodeWire, encodeWire } from './remote-wire.ts';

const token = 'server-test-token';
const bearer = { authorization: `Bearer ${token}` };
const servers: RemoteMockServer[] = [];
afterEach(async () => {
  for (const server of servers.splice(0)) await server.close();
});

async function setUp() {
  const world = createMockWorld();
  const server = await startRemoteMockServer({ world, token });
  servers.push(server);
  return { world, server };
}

async function post(server: RemoteMockServer, path: string, body: unknown, headers: Record<string, string> = {}) {
  const response = await fetch(`${server.url}${path}`, {
    method: 'POST',
    headers: { ...bearer, 'content-type': 'application/json', ...headers },
    body: encodeWire(body),
  });
  return { status: response.status, body: decodeWire(await response.text()) as Record<string, unknown> };
}

/** Reads `count` SSE messages from the event stream, then hangs up. */
function readEvents(server: RemoteMockServer, key: string, headers: Record<string, string>, count: number, query = '') {
  return new Promise<{ event: string; data: string; id: string | undefined }[]>((resolve, reject) => {
    const messages: { event: string; data: string; id: string | undefined }[] = [];
    const call = request(`${server.url}/sessions/${key}/events${query}`, { headers: { ...bearer, ...headers } }, response => {
      if (response.statusCode !== 200) {
        response.resume();
        reject(new Error(`HTTP ${response.statusCode}`));
        return;
      }
      response.setEncoding('utf8');
      const push = createSseParser(message => {
        messages.push(message);
        if (messages.length === count) {
          call.destroy();
          resolve(messages);
        }
      });
      response.on('data', push);
    });
    call.on('error', error => {
      if (messages.length < count) reject(error);
    });
    call.end();
  });
}

describe('startRemoteMockServer', () => {
  it('requires the bearer token on every route: 401 without, 403 when wrong', async () => {
    const { server } = await setUp();
    const routes = [
      ['GET', '/health'],
      ['GET', '/sessions/k/events'],
      ['POST', '/sessions/k/call'],
      ['POST', '/sessions/k/login'],
      ['POST', '/sessions/k/login/1/next'],
      ['GET', '/nowhere'],
    ] as const;
    for (const [method, path] of routes) {
      const missing = await fetch(`${server.url}${path}`, { method });
      expect([path, missing.status, missing.headers.get('www-authenticate')]).toEqual([path, 401, 'Bearer']);
      const basic = await fetch(`${server.url}${path}`, { method, headers: { authorization: `Basic ${token}` } });
      expect([path, basic.status]).toEqual([path, 401]);
      const wrong = await fetch(`${server.url}${path}`, { method, headers: { authorization: `Bearer ${token}x` } });
      expect([path, wrong.status]).toEqual([path, 403]);
    }
    const health = await fetch(`${server.url}/health`, { headers: bearer });
    expect([health.status, await health.json()]).toEqual([200, { ok: true }]);
  });

  it('answers what it cannot serve with 4xx and a message', async () => {
    const { server } = await setUp();
    expect((await fetch(`${server.url}/nowhere`, { headers: bearer })).status).toBe(404);
    expect((await fetch(`${server.url}/health`, { method: 'POST', headers: bearer })).status).toBe(405);
    expect((await fetch(`${server.url}/sessions/k/call`, { headers: bearer })).status).toBe(405);
    expect((await fetch(`${server.url}/sessions/%E0%A4%A/call`, { method: 'POST', headers: bearer })).status).toBe(400);
    expect(await post(server, '/sessions/k/call', { method: 'constructor', args: [] })).toMatchObject({ status: 400 });
    expect(await post(server, '/sessions/k/call', { method: 'getSelf', args: 'x' })).toMatchObject({ status: 400 });
    expect(await post(server, '/sessions/k/call', { method: 'start', args: [] })).toMatchObject({ status: 400 });
    expect(await post(server, '/sessions/k/login/9/next', {})).toMatchObject({ status: 404 });
    const notJson = await fetch(`${server.url}/sessions/k/call`, { method: 'POST', headers: bearer, body: '{' });
    expect([notJson.status, await notJson.json()]).toEqual([400, { message: 'The body is not JSON' }]);
  });

  it('runs session methods and answers { result } or { error }, with the events the client has not seen', async () => {
    const { server } = await setUp();
    const client = { 'x-remote-mock-client': 'client-1' };
    const started = await post(server, '/sessions/k/call', { method: 'start', args: [] }, client);
    expect(started.status).toBe(200);
    const events = started.body.events as { id: string; event: { type: string; state: string } }[];
    expect(events.map(({ event }) => event.state)).toEqual(['starting', 'awaiting-login']);
    const [epoch] = (events[0]?.id ?? '').split(':');
    expect(events.map(({ id }) => id)).toEqual([`${epoch}:1`, `${epoch}:2`]);

    // Acknowledged events are not sent again; a typed error comes back as one.
    const failed = await post(
      server,
      '/sessions/k/call',
      { method: 'getSelf', args: [] },
      { ...client, 'last-event-id': `${epoch}:2` },
    );
    expect(failed.body.events).toEqual([]);
    expect(failed.body.error).toMatchObject({ name: 'WechatAuthenticationError', code: 'AUTH_REQUIRED' });
    // Another client gets no events; login processes have their own routes.
    const login = await post(server, '/sessions/k/login', {}, { 'x-remote-mock-client': 'client-2' });
    expect(login.body).toEqual({ result: { id: '1' } });
    const step = await post(server, '/sessions/k/login/1/start', {}, client);
    expect(step.body.result).toMatchObject({ type: 'qr-code' });
    expect((step.body.events as { event: { type: string } }[]).map(({ event }) => event.type)).toEqual(['login-step']);
  });

  it('streams events as SSE with incrementing ids, replaying what follows Last-Event-ID', async () => {
    const { world, server } = await setUp();
    const client = { 'x-remote-mock-client': 'client-1' };
    const first = await readEvents(server, 'k', client, 1, '?claim=1');
    expect(first).toEqual([{ event: 'ready', data: '{"state":"stopped"}', id: undefined }]);
    await post(server, '/sessions/k/call', { method: 'start', args: [] }, client); // 1, 2: starting, awaiting-login
    const login = await post(server, '/sessions/k/login', {}, client);
    await post(server, `/sessions/k/login/${(login.body.result as { id: string }).id}/start`, {}, client); // 3: qr code
    world.completeLogin(); // 4-7: waiting-for-confirmation, connecting, connected, complete

    const all = await readEvents(server, 'k', client, 8);
    const label = (message: { event: string; id: string | undefined }) => (message.event === 'ready' ? 'ready' : message.id);
    expect(all.map(message => label(message)?.split(':').at(-1))).toEqual(['1', '2', '3', '4', '5', '6', '7', 'ready']);
    expect(JSON.parse(all.at(-1)?.data ?? '')).toEqual({ state: 'connected' });
    const events = all.slice(0, -1).map(message => JSON.parse(message.data) as { type: string; state?: string });
    expect(events.map(event => event.state ?? event.type)).toEqual([
      'starting',
      'awaiting-login',
      'login-step',
      'login-step',
      'connecting',
      'connected',
      'login-step',
    ]);

    const rest = await readEvents(server, 'k', { ...client, 'last-event-id': all[4]?.id ?? '' }, 3);
    expect(rest.map(label)).toEqual([all[5]?.id, all[6]?.id, 'ready']);
    // Acknowledged by that Last-Event-ID: a reconnect without one gets only the rest.
    const again = await readEvents(server, 'k', client, 3);
    expect(again.map(label)).toEqual([all[5]?.id, all[6]?.id, 'ready']);
  });

  it('gives a session to the client that starts it; the previous one is refused with 409', async () => {
    const { server } = await setUp();
    await readEvents(server, 'k', { 'x-remote-mock-client': 'old' }, 1, '?claim=1');
    await post(server, '/sessions/k/call', { method: 'start', args: [] }, { 'x-remote-mock-client': 'old' });
    const taken = await post(server, '/sessions/k/call', { method: 'start', args: [] }, { 'x-remote-mock-client': 'new' });
    // The old session object was stopped quietly; the new client sees a fresh start only.
    expect((taken.body.events as { event: { state: string } }[]).map(({ event }) => event.state)).toEqual([
      'starting',
      'awaiting-login',
    ]);
    await expect(readEvents(server, 'k', { 'x-remote-mock-client': 'old' }, 1)).rejects.toThrow('HTTP 409');
    // A stop from the old client does not touch the new owner's session.
    await post(server, '/sessions/k/call', { method: 'stop', args: [] }, { 'x-remote-mock-client': 'old' });
    const ready = await readEvents(server, 'k', { 'x-remote-mock-client': 'new' }, 3);
    expect(ready.at(-1)?.data).toBe('{"state":"awaiting-login"}');
  });

  it('refuses an empty token, and closes idempotently', async () => {
    await expect(startRemoteMockServer({ world: createMockWorld(), token: '' })).rejects.toThrow(TypeError);
    const { server } = await setUp();
    await Promise.all([server.close(), server.close()]);
    await expect(fetch(`${server.url}/health`, { headers: bearer })).rejects.toThrow();
  });
});
