import { Agent, request as httpRequest } from 'node:http';
import { afterEach, describe, expect, it, vi } from 'vitest';
import {
  type AppserviceHandler,
  type AppserviceServer,
  type AppserviceServerOptions,
  type AppserviceTransaction,
  createAppserviceServer,
} from './appservice-server.ts';
import { createRecordingLogger } from './testing/recording-logger.ts';

const hsToken = 'hs-secret-token';
const auth = { authorization: `Bearer ${hsToken}` };

interface Started {
  readonly server: AppserviceServer;
  readonly base: string;
  readonly port: number;
  readonly logger: ReturnType<typeof createRecordingLogger>;
  readonly accepted: { txnId: string; body: AppserviceTransaction }[];
}

const running: AppserviceServer[] = [];
afterEach(async () => {
  await Promise.all(running.splice(0).map(server => server.close()));
});

async function start(
  handler: Partial<AppserviceHandler> = {},
  options: Partial<Omit<AppserviceServerOptions, 'handler'>> = {},
): Promise<Started> {
  const logger = createRecordingLogger();
  const accepted: Started['accepted'] = [];
  const server = createAppserviceServer({
    hsToken,
    logger,
    handler: {
      acceptTransaction: async (txnId, body) => {
        accepted.push({ txnId, body });
      },
      queryUser: async () => false,
      ...handler,
    },
    ...options,
  });
  running.push(server);
  const { port } = await server.listen({ host: '127.0.0.1', port: 0 });
  return { server, base: `http://127.0.0.1:${port}`, port, logger, accepted };
}

async function call(
  base: string,
  method: string,
  path: string,
  { body, headers = auth }: { body?: unknown; headers?: Record<string, string> } = {},
): Promise<{ status: number; json: Record<string, unknown> }> {
  const response = await fetch(`${base}${path}`, {
    method,
    headers: { 'content-type': 'application/json', ...headers },
    ...(body === undefined ? {} : { body: typeof body === 'string' ? body : JSON.stringify(body) }),
  });
  const text = await response.text();
  return { status: response.status, json: text === '' ? {} : (JSON.parse(text) as Record<string, unknown>) };
}

const putTxn = (base: string, txnId: string, body: unknown = { events: [] }, headers?: Record<string, string>) =>
  call(base, 'PUT', `/_matrix/app/v1/transactions/${encodeURIComponent(txnId)}`, { body, ...(headers ? { headers } : {}) });

function deferred() {
  let resolve!: () => void;
  let reject!: (error: unknown) => void;
  const promise = new Promise<void>((res, rej) => {
    resolve = res;
    reject = rej;
  });
  return { promise, resolve, reject };
}

const event = { type: 'm.room.message', event_id: '$1', room_id: '!r:x', sender: '@u:x', content: { body: 'hi' } };

describe('transactions', () => {
  it('answers 200 {} after the handler stored the events, passing txnId and events', async () => {
    const { base, accepted } = await start();
    expect(await putTxn(base, '17', { events: [event] })).toEqual({ status: 200, json: {} });
    expect(accepted).toEqual([{ txnId: '17', body: { events: [event] } }]);
  });

  it('answers only after the handler resolves', async () => {
    const gate = deferred();
    const { base } = await start({ acceptTransaction: () => gate.promise });
    let answered = false;
    const response = putTxn(base, '1').then(result => {
      answered = true;
      return result;
    });
    await new Promise(resolve => setTimeout(resolve, 50));
    expect(answered).toBe(false);
    gate.resolve();
    expect((await response).status).toBe(200);
  });

  it('serves the legacy path with ?access_token=', async () => {
    const { base, accepted } = await start();
    const result = await call(base, 'PUT', `/transactions/legacy-1?access_token=${hsToken}`, {
      body: { events: [] },
      headers: {},
    });
    expect(result).toEqual({ status: 200, json: {} });
    expect(accepted.map(entry => entry.txnId)).toEqual(['legacy-1']);
  });

  it('passes ephemeral events, preferring the stable key over the MSC2409 one', async () => {
    const { base, accepted } = await start();
    const typing = { type: 'm.typing', room_id: '!r:x', content: { user_ids: [] } };
    const receipt = { type: 'm.receipt', room_id: '!r:x', content: {} };
    await putTxn(base, 'a', { events: [], ephemeral: [typing], 'de.sorunome.msc2409.ephemeral': [receipt] });
    await putTxn(base, 'b', { events: [], 'de.sorunome.msc2409.ephemeral': [receipt] });
    expect(accepted.map(entry => entry.body.ephemeral)).toEqual([[typing], [receipt]]);
  });

  it('hands a retried transaction to the handler again (it is idempotent), answering 200 each time', async () => {
    const stored = new Map<string, unknown[]>();
    const { base } = await start({
      acceptTransaction: async (txnId, body) => {
        if (!stored.has(txnId)) stored.set(txnId, body.events);
      },
    });
    expect((await putTxn(base, '5', { events: [event] })).status).toBe(200);
    expect((await putTxn(base, '5', { events: [event] })).status).toBe(200);
    expect([...stored.entries()]).toEqual([['5', [event]]]);
  });

  it('makes a concurrent retry wait for the same work instead of starting it again', async () => {
    const gate = deferred();
    const acceptTransaction = vi.fn(() => gate.promise);
    const { base } = await start({ acceptTransaction });
    const first = putTxn(base, '9');
    await vi.waitFor(() => expect(acceptTransaction).toHaveBeenCalledTimes(1));
    const second = putTxn(base, '9');
    await new Promise(resolve => setTimeout(resolve, 30));
    gate.resolve();
    expect((await first).status).toBe(200);
    expect((await second).status).toBe(200);
    expect(acceptTransaction).toHaveBeenCalledTimes(1);
  });

  it('answers 500 to both the first attempt and a concurrent retry when the work fails', async () => {
    const gate = deferred();
    const acceptTransaction = vi.fn(() => gate.promise);
    const { base } = await start({ acceptTransaction });
    const first = putTxn(base, '10');
    await vi.waitFor(() => expect(acceptTransaction).toHaveBeenCalledTimes(1));
    const second = putTxn(base, '10');
    await new Promise(resolve => setTimeout(resolve, 30));
    gate.reject(new Error('database down'));
    expect(await first).toEqual({ status: 500, json: expect.objectContaining({ errcode: 'M_UNKNOWN' }) });
    expect((await second).status).toBe(500);
    expect(acceptTransaction).toHaveBeenCalledTimes(1);
  });

  it('answers 500 when the handler throws, logs the txnId, and keeps working for the next transactions', async () => {
    let failNext = true;
    const acceptTransaction = vi.fn(async () => {
      if (failNext) {
        failNext = false;
        throw new Error('database down');
      }
    });
    const { base, logger } = await start({ acceptTransaction });
    expect(await putTxn(base, '20')).toEqual({ status: 500, json: expect.objectContaining({ errcode: 'M_UNKNOWN' }) });
    const errors = logger.entries.filter(entry => entry.level === 'error');
    expect(errors).toHaveLength(1);
    expect(errors[0]?.fields).toMatchObject({ txnId: '20', err: expect.objectContaining({ message: 'database down' }) });
    // The next transaction, and the homeserver's retry of the failed one, both get through.
    expect((await putTxn(base, '21')).status).toBe(200);
    expect((await putTxn(base, '20')).status).toBe(200);
    expect(acceptTransaction.mock.calls.map(args => (args as unknown[])[0])).toEqual(['20', '21', '20']);
  });

  it('answers 500 when the handler throws synchronously', async () => {
    const { base } = await start({
      acceptTransaction: () => {
        throw new Error('sync');
      },
    });
    expect((await putTxn(base, '30')).status).toBe(500);
    expect((await putTxn(base, '31')).status).toBe(500);
  });

  it('refuses malformed bodies with 400 and a message, without calling the handler', async () => {
    const acceptTransaction = vi.fn(async () => {});
    const { base } = await start({ acceptTransaction });
    expect(await putTxn(base, '1', '{"events": [')).toEqual({
      status: 400,
      json: { errcode: 'M_NOT_JSON', error: expect.any(String) },
    });
    expect(await putTxn(base, '2', '"just a string"')).toMatchObject({ status: 400, json: { errcode: 'M_NOT_JSON' } });
    expect(await putTxn(base, '3', {})).toEqual({
      status: 400,
      json: { errcode: 'M_BAD_JSON', error: 'The transaction body has no "events" array' },
    });
    expect(await putTxn(base, '4', { events: 'nope' })).toMatchObject({ status: 400, json: { errcode: 'M_BAD_JSON' } });
    expect(await putTxn(base, '5', [{ events: [] }])).toMatchObject({ status: 400, json: { errcode: 'M_BAD_JSON' } });
    expect(acceptTransaction).not.toHaveBeenCalled();
  });

  it('parses JSON whatever the content type says', async () => {
    const { base, accepted } = await start();
    const result = await call(base, 'PUT', '/_matrix/app/v1/transactions/ct', {
      body: { events: [event] },
      headers: { ...auth, 'content-type': 'text/plain' },
    });
    expect(result.status).toBe(200);
    expect(accepted[0]?.body.events).toEqual([event]);
  });

  it('refuses a body over the limit with 413', async () => {
    const acceptTransaction = vi.fn(async () => {});
    const { base } = await start({ acceptTransaction }, { maxBodyBytes: 1024 });
    const big = { events: [{ ...event, content: { body: 'x'.repeat(4096) } }] };
    expect(await putTxn(base, 'big', big)).toMatchObject({ status: 413, json: { errcode: 'M_TOO_LARGE' } });
    expect(acceptTransaction).not.toHaveBeenCalled();
  });
});

describe('authentication', () => {
  it('answers 401 M_UNAUTHORIZED without a token and 403 M_FORBIDDEN with a wrong one, on every route', async () => {
    const acceptTransaction = vi.fn(async () => {});
    const queryUser = vi.fn(async () => true);
    const { base } = await start({ acceptTransaction, queryUser });
    const routes: [string, string][] = [
      ['PUT', '/_matrix/app/v1/transactions/1'],
      ['PUT', '/transactions/1'],
      ['GET', '/_matrix/app/v1/users/%40wechat_a%3Ax'],
      ['GET', '/_matrix/app/v1/rooms/%23a%3Ax'],
      ['POST', '/_matrix/app/v1/ping'],
      ['GET', '/_matrix/app/v1/thirdparty/protocol/wechat'],
      ['GET', '/somewhere/else'],
    ];
    for (const [method, path] of routes) {
      const body = method === 'GET' ? undefined : { events: [] };
      expect(await call(base, method, path, { body, headers: {} })).toMatchObject({
        status: 401,
        json: { errcode: 'M_UNAUTHORIZED' },
      });
      expect(await call(base, method, path, { body, headers: { authorization: 'Bearer wrong' } })).toMatchObject({
        status: 403,
        json: { errcode: 'M_FORBIDDEN' },
      });
      expect(await call(base, method, `${path}?access_token=wrong`, { body, headers: {} })).toMatchObject({ status: 403 });
    }
    expect(await call(base, 'GET', '/_matrix/app/v1/users/x', { headers: { authorization: `Basic ${hsToken}` } })).toMatchObject({
      status: 401,
    });
    expect(acceptTransaction).not.toHaveBeenCalled();
    expect(queryUser).not.toHaveBeenCalled();
  });

  it('accepts the token in a bearer header of any case and prefers the header over the query', async () => {
    const { base } = await start();
    expect((await putTxn(base, '1', { events: [] }, { authorization: `bearer ${hsToken}` })).status).toBe(200);
    const result = await call(base, 'PUT', '/_matrix/app/v1/transactions/2?access_token=wrong', { body: { events: [] } });
    expect(result.status).toBe(200);
  });

  it('never logs the legacy query token', async () => {
    const { base, logger } = await start();
    await call(base, 'PUT', `/transactions/3?access_token=${hsToken}`, { body: { events: [] }, headers: {} });
    await call(base, 'PUT', '/transactions/4?access_token=not-the-token', { body: { events: [] }, headers: {} });
    await vi.waitFor(() => expect(logger.entries.filter(entry => entry.message === 'appservice request')).toHaveLength(2));
    expect(JSON.stringify(logger.entries)).not.toContain(hsToken);
    expect(JSON.stringify(logger.entries)).not.toContain('not-the-token');
  });
});

describe('other routes', () => {
  it('answers user queries from the handler: 200, 404, and 500 when it throws', async () => {
    const queryUser = vi.fn(async (userId: string) => {
      if (userId === '@wechat_boom:x') throw new Error('db');
      return userId === '@wechat_alice:x';
    });
    const { base, logger } = await start({ queryUser });
    expect(await call(base, 'GET', '/_matrix/app/v1/users/%40wechat_alice%3Ax')).toEqual({ status: 200, json: {} });
    expect(await call(base, 'GET', '/users/%40wechat_alice%3Ax')).toEqual({ status: 200, json: {} });
    expect(await call(base, 'GET', '/_matrix/app/v1/users/%40wechat_bob%3Ax')).toMatchObject({
      status: 404,
      json: { errcode: 'M_NOT_FOUND' },
    });
    expect(await call(base, 'GET', '/_matrix/app/v1/users/%40wechat_boom%3Ax')).toMatchObject({
      status: 500,
      json: { errcode: 'M_UNKNOWN' },
    });
    expect(queryUser.mock.calls.map(args => args[0])).toEqual([
      '@wechat_alice:x',
      '@wechat_alice:x',
      '@wechat_bob:x',
      '@wechat_boom:x',
    ]);
    expect(logger.entries.some(entry => entry.level === 'error' && entry.fields.userId === '@wechat_boom:x')).toBe(true);
  });

  it('has no room aliases', async () => {
    const { base } = await start();
    expect(await call(base, 'GET', '/_matrix/app/v1/rooms/%23wechat_a%3Ax')).toMatchObject({
      status: 404,
      json: { errcode: 'M_NOT_FOUND' },
    });
    expect(await call(base, 'GET', '/rooms/%23wechat_a%3Ax')).toMatchObject({ status: 404, json: { errcode: 'M_NOT_FOUND' } });
  });

  it('answers pings and remembers the last transaction id', async () => {
    const now = new Date('2030-01-01T00:00:00Z');
    const { base, server } = await start({}, { now: () => now });
    expect(server.lastPing).toBeUndefined();
    expect(await call(base, 'POST', '/_matrix/app/v1/ping', { body: { transaction_id: 'self-test-1' } })).toEqual({
      status: 200,
      json: {},
    });
    expect(server.lastPing).toEqual({ transactionId: 'self-test-1', receivedAt: now });
    expect((await call(base, 'POST', '/_matrix/app/v1/ping', { body: {} })).status).toBe(200);
    expect(server.lastPing?.transactionId).toBeUndefined();
  });

  it('does not support third-party lookups', async () => {
    const { base } = await start();
    for (const path of [
      '/_matrix/app/v1/thirdparty/protocol/wechat',
      '/_matrix/app/v1/thirdparty/user?x=1',
      '/thirdparty/location/wechat',
    ]) {
      expect(await call(base, 'GET', path)).toMatchObject({ status: 404, json: { errcode: 'M_UNRECOGNIZED' } });
    }
  });

  it('answers unknown routes with 404 and known routes with the wrong method with 405', async () => {
    const { base } = await start();
    expect(await call(base, 'GET', '/_matrix/app/v1/unknown')).toMatchObject({
      status: 404,
      json: { errcode: 'M_UNRECOGNIZED' },
    });
    expect(await call(base, 'GET', '/_matrix/app/v1/transactions/1')).toMatchObject({
      status: 405,
      json: { errcode: 'M_UNRECOGNIZED' },
    });
    expect(await call(base, 'GET', '/_matrix/app/v1/ping')).toMatchObject({ status: 405 });
  });
});

describe('lifecycle', () => {
  it('closes keep-alive connections, so close() does not wait for them to time out', async () => {
    const { server, port } = await start();
    const agent = new Agent({ keepAlive: true });
    const status = await new Promise<number>((resolve, reject) => {
      const request = httpRequest(
        { host: '127.0.0.1', port, method: 'PUT', path: '/transactions/k', headers: auth, agent },
        response => {
          response.resume();
          response.on('end', () => resolve(response.statusCode ?? 0));
        },
      );
      request.on('error', reject);
      request.end(JSON.stringify({ events: [] }));
    });
    expect(status).toBe(200);
    const started = performance.now();
    await server.close();
    expect(performance.now() - started).toBeLessThan(1000);
    agent.destroy();
  });

  it('lets an in-flight transaction finish and answer before closing', async () => {
    const gate = deferred();
    const { server, base } = await start({ acceptTransaction: () => gate.promise });
    const response = putTxn(base, 'inflight');
    await new Promise(resolve => setTimeout(resolve, 30));
    const started = performance.now();
    const closed = server.close();
    gate.resolve();
    expect((await response).status).toBe(200);
    await closed;
    // The client's keep-alive connection ended right after the response instead of lingering until its timeout.
    expect(performance.now() - started).toBeLessThan(1000);
    await expect(fetch(`${base}/transactions/after`)).rejects.toThrow();
  });

  it('cuts connections still busy after the grace period', async () => {
    const { server, base } = await start({ acceptTransaction: () => new Promise(() => {}) }, { closeGraceMs: 50 });
    const response = putTxn(base, 'stuck').catch((error: unknown) => error);
    await new Promise(resolve => setTimeout(resolve, 30));
    await server.close();
    expect(await response).toBeInstanceOf(Error);
  });

  it('is idempotent to close and can listen again', async () => {
    const { server } = await start();
    await Promise.all([server.close(), server.close()]);
    await server.close();
    const { port } = await server.listen({ host: '127.0.0.1', port: 0 });
    expect((await putTxn(`http://127.0.0.1:${port}`, 'again')).status).toBe(200);
  });

  it('refuses to listen twice', async () => {
    const { server } = await start();
    await expect(server.listen({ host: '127.0.0.1', port: 0 })).rejects.toThrow('already listening');
  });
});
