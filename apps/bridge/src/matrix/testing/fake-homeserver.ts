import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

/** One request as the fake homeserver saw it. */
export interface RecordedRequest {
  readonly method: string;
  /** The raw (still percent-encoded) path, without the query string. */
  readonly path: string;
  readonly query: Record<string, string>;
  readonly headers: IncomingMessage['headers'];
  readonly body: Buffer;
  /** The body parsed as JSON, when it is JSON. */
  readonly json: unknown;
}

export interface FakeReply {
  readonly status?: number;
  readonly json?: unknown;
  readonly body?: string | Uint8Array;
  readonly headers?: Record<string, string>;
}

/** Returns a reply, or `undefined` after writing to `response` itself (e.g. to stream). */
export type FakeRoute = (
  request: RecordedRequest,
  response: ServerResponse,
) => FakeReply | undefined | Promise<FakeReply | undefined>;

export interface FakeHomeserver {
  readonly url: string;
  readonly requests: RecordedRequest[];
  /** Answers `method` requests whose raw path matches; later routes win over earlier ones. */
  route(method: string, path: string | RegExp, handler: FakeRoute): void;
  close(): Promise<void>;
}

/**
 * A tiny homeserver stand-in on 127.0.0.1:0 that records every request: enough to check how the Matrix port
 * maps calls to client-server API requests. Unrouted requests get Synapse's 404 `M_UNRECOGNIZED`.
 */
export async function startFakeHomeserver(): Promise<FakeHomeserver> {
  const requests: RecordedRequest[] = [];
  const routes: { method: string; path: string | RegExp; handler: FakeRoute }[] = [];

  const server = createServer((incoming, response) => {
    const chunks: Buffer[] = [];
    incoming.on('data', (chunk: Buffer) => chunks.push(chunk));
    incoming.on('end', () => {
      const url = new URL(incoming.url ?? '/', 'http://fake');
      const body = Buffer.concat(chunks);
      let json: unknown;
      try {
        json = body.length === 0 ? undefined : JSON.parse(body.toString('utf8'));
      } catch {
        json = undefined;
      }
      const request: RecordedRequest = {
        method: incoming.method ?? 'GET',
        path: url.pathname,
        query: Object.fromEntries(url.searchParams),
        headers: incoming.headers,
        body,
        json,
      };
      requests.push(request);
      const route = routes.findLast(
        candidate =>
          candidate.method === request.method &&
          (typeof candidate.path === 'string' ? candidate.path === request.path : candidate.path.test(request.path)),
      );
      Promise.resolve(
        route
          ? route.handler(request, response)
          : { status: 404, json: { errcode: 'M_UNRECOGNIZED', error: 'Unrecognized request' } },
      )
        .then(reply => {
          if (reply === undefined) return;
          const payload = reply.json !== undefined ? JSON.stringify(reply.json) : (reply.body ?? '');
          response.writeHead(reply.status ?? 200, {
            ...(reply.json !== undefined ? { 'content-type': 'application/json' } : {}),
            ...reply.headers,
          });
          response.end(payload);
        })
        .catch((error: unknown) => {
          response.writeHead(500, { 'content-type': 'application/json' });
          response.end(JSON.stringify({ errcode: 'M_UNKNOWN', error: String(error) }));
        });
    });
  });
  await new Promise<void>(resolve => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;

  return {
    url: `http://127.0.0.1:${port}`,
    requests,
    route(method, path, handler) {
      routes.push({ method, path, handler });
    },
    close() {
      return new Promise(resolve => {
        server.close(() => resolve());
        // Clients keep connections alive (bot-sdk's `request` uses a forever agent).
        server.closeAllConnections();
      });
    },
  };
}
