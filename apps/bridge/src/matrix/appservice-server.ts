import { createHash, timingSafeEqual } from 'node:crypto';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Logger } from '@wechat/provider-api';
import express, { type NextFunction, type Request, type Response } from 'express';

/** What the server delegates to the bridge. */
export interface AppserviceHandler {
  /**
   * Must durably record the events before resolving; the server answers 200 only after it resolves.
   * Same txnId again → must be idempotent (the homeserver retries until it gets a 200, also after our restart).
   */
  acceptTransaction(txnId: string, body: AppserviceTransaction): Promise<void>;
  /** Whether a user id in our namespace exists (registering it first); false → 404. */
  queryUser(userId: string): Promise<boolean>;
}

export interface AppserviceTransaction {
  readonly events: unknown[];
  /** Typing, receipts, presence (MSC2409): the stable `ephemeral` key, or the unstable one older servers send. */
  readonly ephemeral?: unknown[];
}

export interface AppservicePing {
  /** The `transaction_id` the homeserver passed on from our `POST /_matrix/client/v1/appservice/{id}/ping`. */
  readonly transactionId: string | undefined;
  readonly receivedAt: Date;
}

export interface AppserviceServerOptions {
  readonly hsToken: string;
  readonly logger: Logger;
  readonly handler: AppserviceHandler;
  /** Larger bodies are refused with 413. Default 20 MiB: far above what Synapse batches (100 events, 100 EDUs). */
  readonly maxBodyBytes?: number;
  /** How long `close()` lets in-flight requests finish before cutting their connections. Default 10 s. */
  readonly closeGraceMs?: number;
  /** For tests. */
  readonly now?: () => Date;
}

export interface AppserviceServer {
  /** Starts listening; resolves with the bound address (useful with port 0). */
  listen(options: { readonly host: string; readonly port: number }): Promise<{ host: string; port: number }>;
  /** Stops listening and closes every connection, keep-alive ones included. Idempotent. */
  close(): Promise<void>;
  /** The most recent ping from the homeserver, for the startup self-test. */
  readonly lastPing: AppservicePing | undefined;
}

const defaultMaxBodyBytes = 20 * 1024 * 1024;

const transactionPaths = ['/_matrix/app/v1/transactions/:txnId', '/transactions/:txnId'];
const userPaths = ['/_matrix/app/v1/users/:userId', '/users/:userId'];
const roomAliasPaths = ['/_matrix/app/v1/rooms/:alias', '/rooms/:alias'];
const pingPath = '/_matrix/app/v1/ping';
const thirdPartyPaths = ['/_matrix/app/v1/thirdparty', '/_matrix/app/v1/thirdparty/*', '/thirdparty', '/thirdparty/*'];

/**
 * The homeserver-facing half of the appservice API, written here instead of using matrix-bot-sdk's
 * `Appservice.begin()`. bot-sdk emits each event to listeners it does not await, so it answers 200 before the
 * bridge has stored anything (a crash then loses the transaction); it keeps completed transaction ids in
 * memory only; it answers a missing and a wrong token alike with a non-spec 401 `AUTH_FAILED`; it parses bodies
 * without a size limit; and upstream 0.8.0 never answers a transaction whose processing throws, which stops
 * Synapse from sending anything else. Here a transaction is answered 200 only once the handler has stored it,
 * and 500 when it could not: Synapse then retries the same txnId, so nothing is lost.
 */
export function createAppserviceServer(options: AppserviceServerOptions): AppserviceServer {
  const { handler, logger } = options;
  const now = options.now ?? (() => new Date());
  const closeGraceMs = options.closeGraceMs ?? 10_000;
  // Digests have equal length, so timingSafeEqual never throws and the token's length does not leak either.
  const expectedDigest = digest(options.hsToken);
  /** Transactions being processed: a retry of one of them waits for the same work instead of starting it again. */
  const pending = new Map<string, Promise<void>>();
  let lastPing: AppservicePing | undefined;
  let server: Server | undefined;
  let closing: Promise<void> | undefined;
  /** Responses not yet finished, so `close()` can tell their keep-alive connections to end after them. */
  const inFlight = new Set<Response>();

  const app = express();
  app.disable('x-powered-by');
  app.set('etag', false);

  app.use((request, response, next) => {
    const started = performance.now();
    inFlight.add(response);
    response.on('close', () => inFlight.delete(response));
    if (closing !== undefined) response.setHeader('Connection', 'close');
    response.on('finish', () => {
      // `path` has no query string, so a legacy `?access_token=` never reaches the log.
      logger.debug(
        {
          method: request.method,
          path: request.path,
          status: response.statusCode,
          durationMs: Math.round(performance.now() - started),
        },
        'appservice request',
      );
    });
    next();
  });

  // Authentication comes before body parsing, so an unauthenticated client cannot make us read 20 MiB.
  app.use((request, response, next) => {
    const token = presentedToken(request);
    if (token === undefined) {
      sendError(response, 401, 'M_UNAUTHORIZED', 'Missing hs_token: send Authorization: Bearer <hs_token>');
      return;
    }
    if (!timingSafeEqual(digest(token), expectedDigest)) {
      logger.warn(
        { path: request.path, remoteAddress: request.socket.remoteAddress },
        'appservice request with a wrong hs_token',
      );
      sendError(response, 403, 'M_FORBIDDEN', 'Invalid hs_token');
      return;
    }
    next();
  });

  // Parse whatever the content type says: the homeserver always sends JSON, and a missing header is no reason
  // to treat a transaction as empty.
  const parseJson = express.json({ limit: options.maxBodyBytes ?? defaultMaxBodyBytes, type: () => true, strict: true });

  app.put(transactionPaths, parseJson, (request, response) => {
    const txnId = request.params.txnId ?? '';
    const body = parseTransaction(request.body);
    if (typeof body === 'string') {
      sendError(response, 400, 'M_BAD_JSON', body);
      return;
    }
    let work = pending.get(txnId);
    if (work === undefined) {
      work = runTransaction(txnId, body);
      pending.set(txnId, work);
    } else {
      logger.debug({ txnId }, 'transaction retried while still being processed: waiting for the first attempt');
    }
    work.then(
      () => response.status(200).json({}),
      () => sendError(response, 500, 'M_UNKNOWN', 'The transaction could not be stored; retry it'),
    );
  });

  app.get(userPaths, (request, response) => {
    const userId = request.params.userId ?? '';
    Promise.resolve()
      .then(() => handler.queryUser(userId))
      .then(
        exists => {
          if (exists) response.status(200).json({});
          else sendError(response, 404, 'M_NOT_FOUND', 'No such user in this bridge');
        },
        (error: unknown) => {
          logger.error({ userId, err: error }, 'user query failed');
          sendError(response, 500, 'M_UNKNOWN', 'The user query failed');
        },
      );
  });

  // Portals are created by the bridge, never on demand through an alias.
  app.get(roomAliasPaths, (_request, response) =>
    sendError(response, 404, 'M_NOT_FOUND', 'This bridge does not provide room aliases'),
  );

  app.post(pingPath, parseJson, (request, response) => {
    const body: unknown = request.body;
    const transactionId = isRecord(body) && typeof body.transaction_id === 'string' ? body.transaction_id : undefined;
    lastPing = { transactionId, receivedAt: now() };
    logger.debug({ transactionId }, 'ping from the homeserver');
    response.status(200).json({});
  });

  app.all(thirdPartyPaths, (_request, response) =>
    sendError(response, 404, 'M_UNRECOGNIZED', 'This bridge does not support third-party lookups'),
  );

  // Known path, wrong method: 405 as the spec asks for.
  app.all([...transactionPaths, ...userPaths, ...roomAliasPaths, pingPath], (_request, response) =>
    sendError(response, 405, 'M_UNRECOGNIZED', 'Method not allowed'),
  );

  app.use((_request, response) => sendError(response, 404, 'M_UNRECOGNIZED', 'Unrecognized request'));

  // Express recognises error middleware by its four parameters.
  app.use((error: unknown, request: Request, response: Response, _next: NextFunction) => {
    if (response.headersSent) {
      response.end();
      return;
    }
    const type = isRecord(error) && typeof error.type === 'string' ? error.type : undefined;
    const status = isRecord(error) && typeof error.status === 'number' ? error.status : 500;
    if (type === 'entity.too.large') {
      logger.warn({ path: request.path, limit: isRecord(error) ? error.limit : undefined }, 'appservice request body too large');
      sendError(response, 413, 'M_TOO_LARGE', 'Request body too large');
    } else if (type === 'entity.parse.failed') {
      sendError(response, 400, 'M_NOT_JSON', 'Request body is not valid JSON');
    } else if (status >= 400 && status < 500) {
      sendError(response, status, 'M_BAD_JSON', error instanceof Error ? error.message : 'Bad request');
    } else {
      logger.error({ path: request.path, err: error }, 'appservice request failed');
      sendError(response, 500, 'M_UNKNOWN', 'Internal error');
    }
  });

  function runTransaction(txnId: string, body: AppserviceTransaction): Promise<void> {
    const started = performance.now();
    const work = Promise.resolve()
      .then(() => handler.acceptTransaction(txnId, body))
      .then(
        () => {
          logger.debug(
            {
              txnId,
              events: body.events.length,
              ephemeral: body.ephemeral?.length ?? 0,
              durationMs: Math.round(performance.now() - started),
            },
            'transaction accepted',
          );
        },
        (error: unknown) => {
          logger.error(
            { txnId, events: body.events.length, err: error },
            'transaction could not be stored; answering 500 so the homeserver retries it',
          );
          throw error;
        },
      )
      .finally(() => {
        if (pending.get(txnId) === work) pending.delete(txnId);
      });
    return work;
  }

  return {
    get lastPing() {
      return lastPing;
    },

    listen({ host, port }) {
      if (server !== undefined) return Promise.reject(new Error('The appservice server is already listening'));
      const candidate = createServer(app);
      return new Promise((resolve, reject) => {
        candidate.once('error', reject);
        candidate.listen(port, host, () => {
          candidate.off('error', reject);
          server = candidate;
          closing = undefined;
          const address = candidate.address() as AddressInfo;
          logger.info({ host: address.address, port: address.port }, 'appservice API listening');
          resolve({ host: address.address, port: address.port });
        });
      });
    },

    close() {
      if (closing !== undefined) return closing;
      const current = server;
      if (current === undefined) return Promise.resolve();
      closing = new Promise<void>((resolve, reject) => {
        const cut = setTimeout(() => current.closeAllConnections(), closeGraceMs);
        cut.unref();
        current.close(error => {
          clearTimeout(cut);
          server = undefined;
          if (error) reject(error);
          else resolve();
        });
        // Keep-alive connections would otherwise hold close() open until the client lets them time out: idle ones
        // end now, busy ones right after their response (Node does not do that by itself).
        for (const response of inFlight) if (!response.headersSent) response.setHeader('Connection', 'close');
        current.closeIdleConnections();
      });
      return closing;
    },
  };
}

function presentedToken(request: Request): string | undefined {
  const header = request.headers.authorization;
  if (header !== undefined) {
    const match = /^Bearer\s+(\S+)\s*$/i.exec(header);
    if (match?.[1] !== undefined) return match[1];
  }
  // Legacy: Synapse adds ?access_token= only with use_appservice_legacy_authorization.
  const query = request.query.access_token;
  return typeof query === 'string' && query !== '' ? query : undefined;
}

function digest(token: string): Buffer {
  return createHash('sha256').update(token, 'utf8').digest();
}

function parseTransaction(body: unknown): AppserviceTransaction | string {
  if (!isRecord(body) || Array.isArray(body)) return 'The transaction body must be a JSON object';
  if (!Array.isArray(body.events)) return 'The transaction body has no "events" array';
  const ephemeral = Array.isArray(body.ephemeral)
    ? body.ephemeral
    : Array.isArray(body['de.sorunome.msc2409.ephemeral'])
      ? body['de.sorunome.msc2409.ephemeral']
      : undefined;
  return ephemeral === undefined ? { events: body.events } : { events: body.events, ephemeral };
}

function sendError(response: Response, status: number, errcode: string, error: string): void {
  response.status(status).json({ errcode, error });
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null;
}
