import { Buffer } from 'node:buffer';
import { createHash, randomUUID, timingSafeEqual } from 'node:crypto';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import {
  createMemorySessionStorage,
  type LoginProcessV1,
  noopLogger,
  type ProviderEventV1,
  type ProviderSessionV1,
  type SessionStorageV1,
  toWechatError,
  type WechatError,
  WechatUnsupportedCapabilityError,
} from '@wechat/provider-api';
import type { MockWorld } from '../mock/mock-world.ts';
import {
  type RemoteAnswerV1,
  type RemoteEventV1,
  type RemoteLoginAction,
  type RemoteReadyV1,
  type RemoteSessionMethod,
  claimParameter,
  clientIdHeader,
  decodeWire,
  encodeWire,
  formatEventId,
  lastEventIdHeader,
  parseEventId,
  readyEventName,
  remoteLoginActions,
  remoteSessionMethods,
} from './remote-wire.ts';

export interface RemoteMockServerOptions {
  /** The world the remote sessions live on; tests drive and observe it as usual (`world.sent()`, …). */
  readonly world: MockWorld;
  /** Default `127.0.0.1`. */
  readonly host?: string;
  /** Default `0`: a free port (read it from `url`). */
  readonly port?: number;
  /** Every request must carry `Authorization: Bearer <token>`; the app's config has the same `token`. */
  readonly token: string;
}

export interface RemoteMockServer {
  /** `http://<host>:<port>`: the `url` of the app's `remote-mock` config. */
  readonly url: string;
  /** Ends the event streams, stops the remote sessions and closes the server. Idempotent. */
  close(): Promise<void>;
}

/** Requests carry at most this much JSON (media travels as base64 inside it). */
const maxBodyBytes = 64 * 1024 * 1024;

/** Event types a device catches up on after being away; the rest describe one session object and expire with it. */
const deliveredAgainOnTakeover: ReadonlySet<ProviderEventV1['type']> = new Set([
  'message-received',
  'message-recalled',
  'contact-updated',
  'room-updated',
  'room-member-joined',
  'room-member-left',
  'friend-request-received',
]);

interface BufferedEvent {
  readonly sequence: number;
  readonly event: ProviderEventV1;
}

/** One remote session (one account, one device): lives as long as the server, so restarts find their login. */
interface SessionRecord {
  readonly key: string;
  /** Random per record, part of every event id (see `RemoteEventId`). */
  readonly epoch: string;
  /** The mock session's storage: kept when the session object is replaced, like a phone's login. */
  readonly storage: SessionStorageV1;
  session: ProviderSessionV1;
  /** Bumped when the session object is replaced; the old one's late events are dropped. */
  generation: number;
  /** The client session that started this one last; only it gets the events. */
  owner: string | undefined;
  sequence: number;
  /** Events the owner has not acknowledged, oldest first. */
  log: BufferedEvent[];
  readonly subscribers: Set<ServerResponse>;
  readonly logins: Map<string, LoginProcessV1>;
  loginSequence: number;
}

/** A request the server cannot serve, answered with `status` and `{ message }`. */
class ProtocolError extends Error {
  readonly status: number;
  constructor(status: number, message: string) {
    super(message);
    this.status = status;
  }
}

/**
 * Serves `world` to apps in other processes: each remote session is a real session of `world.provider`, called
 * over HTTP, its events streamed as Server-Sent Events. The other side is `remoteMockProvider`
 * (`@wechat/provider-testkit/remote-mock`); see its README section for the routes.
 */
export async function startRemoteMockServer({
  world,
  host = '127.0.0.1',
  port = 0,
  token,
}: RemoteMockServerOptions): Promise<RemoteMockServer> {
  if (typeof token !== 'string' || token === '') throw new TypeError('startRemoteMockServer needs a non-empty token');
  // Hashing first gives timingSafeEqual two buffers of one length, whatever the client sent.
  const digest = (text: string) => createHash('sha256').update(text).digest();
  const expectedAuthorization = digest(`Bearer ${token}`);
  const records = new Map<string, SessionRecord>();

  const openMockSession = (storage: SessionStorageV1, emit: (event: ProviderEventV1) => void) =>
    world.provider.createSession({ config: world.config, logger: noopLogger, storage, emit });

  const publish = (record: SessionRecord, generation: number, event: ProviderEventV1) => {
    if (record.generation !== generation) return;
    const entry = { sequence: ++record.sequence, event };
    record.log.push(entry);
    for (const subscriber of record.subscribers) writeEvent(subscriber, record, entry);
  };

  const recordFor = (key: string): SessionRecord => {
    const existing = records.get(key);
    if (existing) return existing;
    const storage = createMemorySessionStorage();
    const record: SessionRecord = {
      key,
      epoch: randomUUID(),
      storage,
      session: openMockSession(storage, event => publish(record, 0, event)),
      generation: 0,
      owner: undefined,
      sequence: 0,
      log: [],
      subscribers: new Set(),
      logins: new Map(),
      loginSequence: 0,
    };
    records.set(key, record);
    return record;
  };

  /**
   * A client session starts this remote session. Another client's unacknowledged messages carry over; if that client went
   * away without stopping (a killed app), its session object is stopped and replaced, so the new client starts
   * from `stopped` and reconnects with the stored login, as a restarted device would.
   */
  const claim = async (record: SessionRecord, client: string) => {
    if (record.owner === client) return;
    record.owner = client;
    // Messages the previous client never acknowledged reach the new one, as WeChat syncs what a device missed
    // while it was away; events about the previous session object (states, login steps, heartbeats) go.
    record.log = record.log.filter(entry => deliveredAgainOnTakeover.has(entry.event.type));
    record.logins.clear();
    endSubscribers(record);
    if (record.session.state === 'stopped') return;
    const previous = record.session;
    const generation = ++record.generation;
    record.session = openMockSession(record.storage, event => publish(record, generation, event));
    await previous.stop();
  };

  /** The owner's unacknowledged events, after dropping the ones `Last-Event-ID` says it has. */
  const eventsFor = (record: SessionRecord, request: IncomingMessage): RemoteEventV1[] | undefined => {
    const client = header(request, clientIdHeader);
    if (client === undefined || client !== record.owner) return undefined;
    acknowledge(record, request);
    return record.log.map(entry => ({
      id: formatEventId({ epoch: record.epoch, sequence: entry.sequence }),
      event: entry.event,
    }));
  };

  const answer = async (
    record: SessionRecord,
    request: IncomingMessage,
    response: ServerResponse,
    run: () => Promise<unknown>,
  ) => {
    let outcome: { result: unknown } | { error: WechatError };
    try {
      outcome = { result: await run() };
    } catch (error) {
      outcome = { error: toWechatError(error, world.provider.id) };
    }
    const events = eventsFor(record, request);
    reply(response, 200, { ...outcome, ...(events === undefined ? {} : { events }) } satisfies RemoteAnswerV1);
  };

  const streamEvents = async (record: SessionRecord, request: IncomingMessage, response: ServerResponse, client: string) => {
    if (new URL(request.url ?? '/', 'http://remote-mock.invalid').searchParams.has(claimParameter)) await claim(record, client);
    // A client reconnecting to a restarted server finds no owner: it may carry on.
    else if (record.owner === undefined) record.owner = client;
    else if (record.owner !== client)
      return fail(response, { status: 409, message: 'Another client session took this session over' });
    const after = acknowledge(record, request);
    endSubscribers(record);
    response.writeHead(200, {
      'content-type': 'text/event-stream; charset=utf-8',
      'cache-control': 'no-cache',
      connection: 'keep-alive',
    });
    for (const entry of record.log) if (entry.sequence > after) writeEvent(response, record, entry);
    response.write(
      `event: ${readyEventName}\ndata: ${JSON.stringify({ state: record.session.state } satisfies RemoteReadyV1)}\n\n`,
    );
    record.subscribers.add(response);
    response.once('close', () => record.subscribers.delete(response));
  };

  const call = async (record: SessionRecord, request: IncomingMessage, response: ServerResponse) => {
    const body = (await readJson(request)) as { readonly method?: unknown; readonly args?: unknown } | null;
    const method = body?.method;
    const args = body?.args ?? [];
    if (!remoteSessionMethods.includes(method as RemoteSessionMethod) || !Array.isArray(args)) {
      return fail(response, { status: 400, message: 'Expected { method, args } with a session method and an array' });
    }
    const client = header(request, clientIdHeader);
    if (method === 'start') {
      if (client === undefined) return fail(response, { status: 400, message: `start needs the ${clientIdHeader} header` });
      await claim(record, client);
    }
    // A client that lost the session to another must not stop the new owner's.
    if (method === 'stop' && client !== record.owner) return answer(record, request, response, async () => undefined);
    const session = record.session;
    const invoke = (session as unknown as Record<string, ((...args: unknown[]) => Promise<unknown>) | undefined>)[
      method as string
    ];
    await answer(record, request, response, async () => {
      if (typeof invoke !== 'function') {
        throw new WechatUnsupportedCapabilityError({ capability: String(method), providerId: world.provider.id });
      }
      return invoke.apply(session, args);
    });
  };

  const loginRoute = async (
    record: SessionRecord,
    request: IncomingMessage,
    response: ServerResponse,
    rest: readonly string[],
  ) => {
    if (rest.length === 0) {
      return answer(record, request, response, async () => {
        const session = record.session;
        if (!session.login) throw new WechatUnsupportedCapabilityError({ capability: 'login', providerId: world.provider.id });
        const loginProcess = await session.login();
        const id = String(++record.loginSequence);
        record.logins.set(id, loginProcess);
        return { id };
      });
    }
    const [id = '', action] = rest;
    const loginProcess = record.logins.get(id);
    if (rest.length !== 2 || !remoteLoginActions.includes(action as RemoteLoginAction)) {
      return fail(response, { status: 404, message: 'Unknown login route' });
    }
    if (!loginProcess) return fail(response, { status: 404, message: `No login '${id}' in this session` });
    return answer(record, request, response, () => loginProcess[action as RemoteLoginAction]());
  };

  const route = async (request: IncomingMessage, response: ServerResponse): Promise<void> => {
    const authorization = header(request, 'authorization');
    if (authorization === undefined || !/^Bearer /i.test(authorization)) {
      response.setHeader('www-authenticate', 'Bearer');
      return fail(response, { status: 401, message: 'Authorization: Bearer <token> is required' });
    }
    if (!timingSafeEqual(digest(authorization.replace(/^bearer /i, 'Bearer ')), expectedAuthorization)) {
      return fail(response, { status: 403, message: 'The token is wrong' });
    }
    const segments = new URL(request.url ?? '/', 'http://remote-mock.invalid').pathname.split('/').slice(1).map(decodeSegment);
    const method = request.method ?? 'GET';
    if (segments.length === 1 && segments[0] === 'health') {
      if (method !== 'GET') return fail(response, { status: 405, message: 'Use GET' });
      return reply(response, 200, { ok: true });
    }
    const [root, key, resource, ...rest] = segments;
    if (root !== 'sessions' || key === undefined || key === '' || resource === undefined) {
      return fail(response, { status: 404, message: 'Unknown route' });
    }
    if (resource === 'events' && rest.length === 0) {
      if (method !== 'GET') return fail(response, { status: 405, message: 'Use GET' });
      const client = header(request, clientIdHeader);
      if (client === undefined)
        return fail(response, { status: 400, message: `The event stream needs the ${clientIdHeader} header` });
      return streamEvents(recordFor(key), request, response, client);
    }
    if (resource !== 'call' && resource !== 'login') return fail(response, { status: 404, message: 'Unknown route' });
    if (method !== 'POST') return fail(response, { status: 405, message: 'Use POST' });
    if (resource === 'call' && rest.length === 0) return call(recordFor(key), request, response);
    if (resource === 'login') return loginRoute(recordFor(key), request, response, rest);
    return fail(response, { status: 404, message: 'Unknown route' });
  };

  const server = createServer((request, response) => {
    route(request, response).catch((error: unknown) => {
      const problem =
        error instanceof ProtocolError ? error : new ProtocolError(500, error instanceof Error ? error.message : String(error));
      if (!response.headersSent) fail(response, problem);
      else response.destroy();
    });
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, host, () => {
      server.off('error', reject);
      resolve();
    });
  });
  const address = server.address() as AddressInfo;
  const url = `http://${address.family === 'IPv6' ? `[${address.address}]` : address.address}:${address.port}`;

  let closing: Promise<void> | undefined;
  const close = async () => {
    for (const record of records.values()) endSubscribers(record);
    // Stopping first answers pending login requests (the logins are cancelled) before the sockets go.
    await Promise.allSettled([...records.values()].map(record => record.session.stop()));
    await new Promise<void>(resolve => {
      server.close(() => resolve());
      server.closeAllConnections();
    });
  };
  return {
    url,
    close: () => {
      closing ??= close();
      return closing;
    },
  };
}

function decodeSegment(segment: string): string {
  try {
    return decodeURIComponent(segment);
  } catch {
    throw new ProtocolError(400, `The path segment '${segment}' is not valid percent-encoding`);
  }
}

function header(request: IncomingMessage, name: string): string | undefined {
  const value = request.headers[name];
  return typeof value === 'string' && value !== '' ? value : undefined;
}

/** Drops the events `Last-Event-ID` says the owner has; resolves with that sequence (0 for none, or another epoch). */
function acknowledge(record: SessionRecord, request: IncomingMessage): number {
  const id = parseEventId(header(request, lastEventIdHeader));
  const after = id?.epoch === record.epoch ? id.sequence : 0;
  if (after > 0) record.log = record.log.filter(entry => entry.sequence > after);
  return after;
}

function endSubscribers(record: SessionRecord): void {
  for (const subscriber of record.subscribers) subscriber.end();
  record.subscribers.clear();
}

function writeEvent(response: ServerResponse, record: SessionRecord, entry: BufferedEvent): void {
  // JSON has no raw newlines, so one `data:` line carries the whole event.
  response.write(`id: ${formatEventId({ epoch: record.epoch, sequence: entry.sequence })}\ndata: ${encodeWire(entry.event)}\n\n`);
}

function reply(response: ServerResponse, status: number, body: unknown): void {
  const text = encodeWire(body);
  response.writeHead(status, { 'content-type': 'application/json; charset=utf-8', 'content-length': Buffer.byteLength(text) });
  response.end(text);
}

function fail(response: ServerResponse, problem: { readonly status: number; readonly message: string }): void {
  reply(response, problem.status, { message: problem.message });
}

async function readJson(request: IncomingMessage): Promise<unknown> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of request) {
    size += (chunk as Buffer).length;
    if (size > maxBodyBytes) throw new ProtocolError(413, `The body is larger than ${maxBodyBytes} bytes`);
    chunks.push(chunk as Buffer);
  }
  try {
    return decodeWire(Buffer.concat(chunks).toString('utf8'));
  } catch {
    throw new ProtocolError(400, 'The body is not JSON');
  }
}
