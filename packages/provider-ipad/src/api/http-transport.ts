import type { IncomingHttpHeaders } from 'node:http';
import { request as httpRequest } from 'node:http';
import { request as httpsRequest } from 'node:https';

export interface HttpResponse {
  readonly status: number;
  readonly headers: IncomingHttpHeaders;
  readonly body: Uint8Array;
}

export interface HttpRequest {
  readonly method: 'GET' | 'POST';
  readonly url: URL;
  readonly headers?: Readonly<Record<string, string>>;
  readonly body?: string | Uint8Array;
  readonly signal?: AbortSignal;
  /** Gives up when nothing arrives for this long. */
  readonly timeoutMs?: number;
  /** Refuses responses larger than this (a media download must not exhaust memory). */
  readonly maxBytes?: number;
}

/** How the provider reaches HTTP servers; injected so tests and hosts can wrap it. */
export type HttpTransport = (request: HttpRequest) => Promise<HttpResponse>;

export class HttpTransportError extends Error {
  readonly kind: 'network' | 'timeout' | 'too-large' | 'aborted';
  constructor(kind: HttpTransportError['kind'], message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'HttpTransportError';
    this.kind = kind;
  }
}

/**
 * node:http with `agent: false`: every request has its own socket, closed with the response, so a stopped
 * session holds no pooled connection (fetch's global pool would keep sockets alive after `stop()`).
 */
export const nodeHttpTransport: HttpTransport = ({ method, url, headers = {}, body, signal, timeoutMs = 30_000, maxBytes }) =>
  new Promise<HttpResponse>((resolve, reject) => {
    if (signal?.aborted) {
      reject(new HttpTransportError('aborted', `${method} ${url.pathname} was aborted`, { cause: signal.reason }));
      return;
    }
    const send = url.protocol === 'https:' ? httpsRequest : httpRequest;
    const payload = body === undefined ? undefined : typeof body === 'string' ? Buffer.from(body) : body;
    const request = send(url, {
      method,
      agent: false,
      headers: { ...headers, ...(payload === undefined ? {} : { 'content-length': String(payload.byteLength) }) },
    });
    const fail = (error: HttpTransportError): void => {
      request.destroy();
      reject(error);
    };
    const onAbort = (): void => fail(new HttpTransportError('aborted', `${method} ${url.pathname} was aborted`));
    signal?.addEventListener('abort', onAbort, { once: true });
    request.setTimeout(timeoutMs, () =>
      fail(new HttpTransportError('timeout', `${method} ${url.host}${url.pathname}: no answer within ${timeoutMs} ms`)),
    );
    request.once('error', error =>
      reject(new HttpTransportError('network', `${method} ${url.host}${url.pathname}: ${error.message}`, { cause: error })),
    );
    request.once('close', () => signal?.removeEventListener('abort', onAbort));
    request.once('response', response => {
      const chunks: Buffer[] = [];
      let length = 0;
      response.on('data', (chunk: Buffer) => {
        length += chunk.byteLength;
        if (maxBytes !== undefined && length > maxBytes) {
          fail(new HttpTransportError('too-large', `${url.pathname}: the response exceeds ${maxBytes} bytes`));
          return;
        }
        chunks.push(chunk);
      });
      response.once('error', error =>
        reject(new HttpTransportError('network', `${url.host}${url.pathname}: ${error.message}`, { cause: error })),
      );
      response.once('end', () =>
        resolve({ status: response.statusCode ?? 0, headers: response.headers, body: new Uint8Array(Buffer.concat(chunks)) }),
      );
    });
    request.end(payload);
  });
