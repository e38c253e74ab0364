import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo, Socket } from 'node:net';
import type { Logger } from '@wechat/provider-api';
import { WecomCryptoError, type WecomCryptoFailure } from '../crypto/wecom-cipher.ts';
import { createWecomCrypto } from '../crypto/wecom-crypto.ts';
import { type BoundedSet, createBoundedSet } from './bounded-set.ts';
import { callbackDedupKey } from './callback-dedup-key.ts';
import { parseCallbackQuery } from './callback-query.ts';
import { type CallbackFields, parseCallbackXml } from './callback-xml.ts';

/** The path WeCom is configured with: `<public url>/callback`. */
export const callbackPath = '/callback';

export interface CallbackServerOptions {
  readonly host: string;
  /** `0` picks a free port; `listen()` reports the real one. */
  readonly port: number;
  /** The callback Token and EncodingAESKey from the app's "receive messages" settings. */
  readonly token: string;
  readonly encodingAesKey: string;
  /** Every payload must be addressed to this corp id. */
  readonly corpId: string;
  /** Milliseconds since the epoch: callbacks older (or newer) than `maxAgeMs` are refused as replays. */
  readonly now: () => number;
  readonly logger: Logger;
  /** Called after the answer was sent, once per callback: WeCom's retries are filtered by `seen`. */
  readonly onMessage: (fields: CallbackFields) => void | Promise<void>;
  /** Recently seen callbacks. Pass one that outlives the server, so a restart still recognises retries. */
  readonly seen?: BoundedSet;
  readonly maxAgeMs?: number;
  readonly maxBodyBytes?: number;
}

export interface CallbackAddress {
  readonly host: string;
  readonly port: number;
  /** `http://host:port/callback`, for tests and logs; WeCom reaches it through the public URL. */
  readonly url: string;
}

export interface CallbackServer {
  listen(): Promise<CallbackAddress>;
  /** Closes the server and its connections; callbacks not yet handed to `onMessage` are dropped. */
  close(): Promise<void>;
}

type Refusal = WecomCryptoFailure | 'not-found' | 'method' | 'too-large';

const statusOf: Record<Refusal, number> = {
  malformed: 400,
  'bad-signature': 403,
  'wrong-receiver': 403,
  stale: 403,
  'not-found': 404,
  method: 405,
  'too-large': 413,
};

/**
 * The app's callback endpoint (reference A.4): `GET /callback` answers URL verification with the bare decrypted
 * `echostr`; `POST /callback` checks the signature over `Encrypt`, the timestamp's age and the corp id, answers
 * at once with an empty 200 (WeCom retries after 5 s, trap 5) and only then hands the message to `onMessage`.
 */
export function createCallbackServer(options: CallbackServerOptions): CallbackServer {
  const { logger, corpId } = options;
  const maxAgeMs = options.maxAgeMs ?? 5 * 60_000;
  const maxBodyBytes = options.maxBodyBytes ?? 256 * 1024;
  const seen = options.seen ?? createBoundedSet(4096);
  const crypto = createWecomCrypto({ token: options.token, encodingAesKey: options.encodingAesKey, receiveId: corpId });
  const sockets = new Set<Socket>();
  const scheduled = new Set<NodeJS.Immediate>();
  let server: Server | undefined;

  const refuse = (request: IncomingMessage, response: ServerResponse, reason: Refusal, detail: string) => {
    logger.warn(
      { reason, detail, method: request.method, remoteAddress: request.socket.remoteAddress },
      'wecom callback refused',
    );
    response.writeHead(statusOf[reason], { 'content-type': 'text/plain; charset=utf-8' });
    response.end(reason);
  };

  const signedQuery = (search: string) => {
    const query = parseCallbackQuery(search);
    const signature = query?.get('msg_signature');
    const timestamp = query?.get('timestamp');
    const nonce = query?.get('nonce');
    if (!query || !signature || !timestamp || !nonce) return undefined;
    return { query, signature, timestamp, nonce };
  };

  const verifyUrl = (request: IncomingMessage, response: ServerResponse, search: string) => {
    const signed = signedQuery(search);
    const echostr = signed?.query.get('echostr');
    if (!signed || !echostr) return refuse(request, response, 'malformed', 'missing msg_signature, timestamp, nonce or echostr');
    // No age check here: the echo reveals nothing the request did not carry, and the admin console must pass.
    const echo = crypto.verifyUrl({ ...signed, echostr });
    logger.info({}, 'wecom callback URL verified');
    response.writeHead(200, { 'content-type': 'text/plain; charset=utf-8', 'content-length': Buffer.byteLength(echo) });
    response.end(echo);
  };

  const receive = (request: IncomingMessage, response: ServerResponse, search: string, body: string) => {
    const signed = signedQuery(search);
    if (!signed) return refuse(request, response, 'malformed', 'missing msg_signature, timestamp or nonce');
    const envelope = parseCallbackXml(body);
    const encrypted = envelope?.Encrypt;
    if (!envelope || !encrypted) return refuse(request, response, 'malformed', 'the body is not an XML envelope with Encrypt');
    if (envelope.ToUserName !== undefined && envelope.ToUserName !== corpId) {
      return refuse(request, response, 'wrong-receiver', 'the envelope is addressed to another corp id');
    }
    const sentAt = /^\d{1,12}$/.test(signed.timestamp) ? Number(signed.timestamp) * 1000 : Number.NaN;
    if (!Number.isFinite(sentAt) || Math.abs(options.now() - sentAt) > maxAgeMs) {
      return refuse(request, response, 'stale', `timestamp ${signed.timestamp} is more than ${maxAgeMs / 1000} s away`);
    }
    const fields = parseCallbackXml(crypto.decryptMessage(signed, encrypted));
    if (!fields) return refuse(request, response, 'malformed', 'the decrypted message is not XML');
    response.writeHead(200, { 'content-type': 'text/plain; charset=utf-8', 'content-length': 0 });
    response.end();
    if (!seen.add(callbackDedupKey(fields))) {
      logger.debug({ msgType: fields.MsgType }, 'wecom callback repeated; already handled');
      return;
    }
    const immediate = setImmediate(() => {
      scheduled.delete(immediate);
      Promise.resolve()
        .then(() => options.onMessage(fields))
        .catch((error: unknown) => logger.error({ error, msgType: fields.MsgType }, 'handling a wecom callback failed'));
    });
    scheduled.add(immediate);
  };

  const handle = (request: IncomingMessage, response: ServerResponse, body: string | undefined) => {
    const target = request.url ?? '/';
    const mark = target.indexOf('?');
    const path = mark === -1 ? target : target.slice(0, mark);
    const search = mark === -1 ? '' : target.slice(mark + 1);
    if (path !== callbackPath && path !== `${callbackPath}/`) return refuse(request, response, 'not-found', path);
    try {
      if (request.method === 'GET') return verifyUrl(request, response, search);
      return receive(request, response, search, body ?? '');
    } catch (error) {
      if (error instanceof WecomCryptoError) return refuse(request, response, error.reason, error.message);
      throw error;
    }
  };

  const onRequest = (request: IncomingMessage, response: ServerResponse) => {
    if (request.method !== 'GET' && request.method !== 'POST') {
      response.setHeader('allow', 'GET, POST');
      return refuse(request, response, 'method', String(request.method));
    }
    if (request.method === 'GET') {
      request.resume();
      return handle(request, response, undefined);
    }
    const chunks: Buffer[] = [];
    let size = 0;
    let refused = false;
    request.on('data', (chunk: Buffer) => {
      size += chunk.byteLength;
      if (size > maxBodyBytes && !refused) {
        refused = true;
        refuse(request, response, 'too-large', `${size} bytes`);
        request.resume();
      } else if (!refused) chunks.push(chunk);
    });
    request.on('end', () => {
      if (!refused) handle(request, response, Buffer.concat(chunks).toString('utf8'));
    });
  };

  return {
    async listen() {
      if (server) throw new Error('the callback server is already listening');
      const created = createServer((request, response) => {
        try {
          onRequest(request, response);
        } catch (error) {
          logger.error({ error }, 'wecom callback handler failed');
          if (!response.headersSent) response.writeHead(500).end();
        }
      });
      created.on('connection', socket => {
        sockets.add(socket);
        socket.once('close', () => sockets.delete(socket));
      });
      await new Promise<void>((resolve, reject) => {
        created.once('error', reject);
        created.listen(options.port, options.host, () => {
          created.off('error', reject);
          resolve();
        });
      });
      server = created;
      const { port } = created.address() as AddressInfo;
      const host = options.host.includes(':') ? `[${options.host}]` : options.host;
      const address = { host: options.host, port, url: `http://${host}:${port}${callbackPath}` };
      logger.info({ host: options.host, port }, 'wecom callback server listening');
      return address;
    },
    async close() {
      for (const immediate of scheduled) clearImmediate(immediate);
      scheduled.clear();
      const closing = server;
      server = undefined;
      if (!closing) return;
      const closed = new Promise<void>(resolve => closing.close(() => resolve()));
      for (const socket of sockets) socket.destroy();
      sockets.clear();
      await closed;
    },
  };
}
