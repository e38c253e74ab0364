import { randomUUID } from 'node:crypto';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo, Socket } from 'node:net';
import type { Logger } from '@wechat/provider-api';

export interface CallbackServerOptions {
  readonly port: number;
  /** Bound to all interfaces by default: the GeWeChat container must reach it (127.0.0.1 does not work, trap 10). */
  readonly host?: string;
  /** The unguessable path segment GeWeChat must use; anything else is answered 404. */
  readonly secret: string;
  readonly logger: Logger;
  /** Called with each callback body after it was acknowledged. Must not throw. */
  readonly onCallback: (body: string) => void;
  readonly maxBodyBytes?: number;
  readonly now?: () => number;
  /** How long staged outgoing media stays downloadable. */
  readonly mediaTtlMs?: number;
}

interface StagedMedia {
  readonly data: Uint8Array;
  readonly mimeType: string;
  readonly expiresAt: number;
}

/**
 * The bridge's HTTP endpoint for GeWeChat: callbacks arrive as POST `/<any prefix>/<secret>` (GeWeChat signs
 * nothing, so the secret in the path is the only protection), and outgoing media is served from
 * `/<prefix>/<secret>/media/<id>/<name>`, because GeWeChat sends files by fetching a URL (reference B.3).
 */
export class CallbackServer {
  readonly #options: CallbackServerOptions;
  #secret: string;
  readonly #media = new Map<string, StagedMedia>();
  readonly #sockets = new Set<Socket>();
  #server: Server | undefined;

  constructor(options: CallbackServerOptions) {
    this.#options = options;
    this.#secret = options.secret;
  }

  /** Set before `listen()`; the session reads it from storage. */
  set secret(secret: string) {
    this.#secret = secret;
  }

  get port(): number | undefined {
    const address = this.#server?.address();
    return address && typeof address === 'object' ? (address as AddressInfo).port : undefined;
  }

  async listen(): Promise<void> {
    if (this.#server) return;
    const server = createServer((request, response) => this.#handle(request, response));
    server.on('connection', socket => {
      this.#sockets.add(socket);
      socket.once('close', () => this.#sockets.delete(socket));
    });
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen(this.#options.port, this.#options.host ?? '0.0.0.0', () => {
        server.off('error', reject);
        resolve();
      });
    });
    this.#server = server;
  }

  async close(): Promise<void> {
    const server = this.#server;
    this.#server = undefined;
    this.#media.clear();
    if (!server) return;
    const closed = new Promise<void>(resolve => server.close(() => resolve()));
    for (const socket of this.#sockets) socket.destroy();
    await closed;
  }

  /** Makes bytes downloadable; returns the path (relative to the callback URL) to hand to GeWeChat. */
  stageMedia(data: Uint8Array, mimeType: string, fileName: string): string {
    this.#expireMedia();
    const id = randomUUID();
    this.#media.set(id, { data, mimeType, expiresAt: this.#now() + (this.#options.mediaTtlMs ?? 15 * 60_000) });
    return `media/${id}/${encodeURIComponent(fileName.replace(/[/\\]/g, '_') || 'file')}`;
  }

  #handle(request: IncomingMessage, response: ServerResponse): void {
    const segments = (request.url ?? '/').split('?')[0]?.split('/').filter(Boolean) ?? [];
    const secretAt = segments.indexOf(this.#secret);
    if (secretAt === -1) {
      this.#options.logger.warn(
        { method: request.method, remote: request.socket.remoteAddress },
        'gewechat callback: a request without the callback secret was refused',
      );
      respond(response, 404, 'not found');
      request.resume();
      return;
    }
    const rest = segments.slice(secretAt + 1);
    if (request.method === 'GET' && rest[0] === 'media' && rest[1] !== undefined) {
      this.#serveMedia(rest[1], response);
      request.resume();
      return;
    }
    if (request.method !== 'POST' || rest.length > 0) {
      respond(response, 405, 'method not allowed');
      request.resume();
      return;
    }
    this.#receive(request, response);
  }

  #receive(request: IncomingMessage, response: ServerResponse): void {
    const limit = this.#options.maxBodyBytes ?? 8 * 1024 * 1024;
    const chunks: Buffer[] = [];
    let length = 0;
    let refused = false;
    request.on('data', (chunk: Buffer) => {
      length += chunk.byteLength;
      if (length > limit) {
        if (!refused) {
          refused = true;
          this.#options.logger.warn({ limit }, 'gewechat callback: a body over the size limit was refused');
          respond(response, 413, 'too large');
        }
        return;
      }
      chunks.push(chunk);
    });
    request.once('end', () => {
      if (refused) return;
      // Acknowledge first: the service waits for us, and the work is queued behind this answer.
      respond(response, 200, 'success');
      const body = Buffer.concat(chunks).toString('utf8');
      try {
        this.#options.onCallback(body);
      } catch (error) {
        this.#options.logger.error({ error: String(error) }, 'gewechat callback: handling failed');
      }
    });
    request.once('error', error => this.#options.logger.warn({ error: error.message }, 'gewechat callback: read failed'));
  }

  #serveMedia(id: string, response: ServerResponse): void {
    this.#expireMedia();
    const media = this.#media.get(id);
    if (!media) {
      respond(response, 404, 'not found');
      return;
    }
    response.writeHead(200, { 'content-type': media.mimeType, 'content-length': String(media.data.byteLength) });
    response.end(media.data);
  }

  #expireMedia(): void {
    const now = this.#now();
    for (const [id, media] of this.#media) if (media.expiresAt <= now) this.#media.delete(id);
  }

  #now(): number {
    return (this.#options.now ?? Date.now)();
  }
}

function respond(response: ServerResponse, status: number, body: string): void {
  if (response.headersSent) return;
  response.writeHead(status, { 'content-type': 'text/plain; charset=utf-8', connection: 'close' });
  response.end(body);
}
