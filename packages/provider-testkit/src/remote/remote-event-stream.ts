import type { IncomingMessage, OutgoingHttpHeaders } from 'node:http';
import type { ProviderEventV1 } from '@wechat/provider-api';
import { openRequest } from './remote-http.ts';
import { claimParameter, decodeWire, type RemoteEventV1, type RemoteReadyV1, readyEventName } from './remote-wire.ts';

/** Reconnection delays: quick for a test server that restarts, capped so a long outage costs little. */
const firstRetryMs = 50;
const maxRetryMs = 1_000;

interface SseMessage {
  readonly event: string;
  readonly data: string;
  readonly id: string | undefined;
}

/** A Server-Sent Events parser (the WHATWG rules this stream needs: fields, comments, multi-line data). */
export function createSseParser(onMessage: (message: SseMessage) => void): (chunk: string) => void {
  let buffer = '';
  let event = '';
  let data: string[] = [];
  let id: string | undefined;
  const line = (text: string) => {
    if (text === '') {
      if (data.length > 0) onMessage({ event: event || 'message', data: data.join('\n'), id });
      event = '';
      data = [];
      return;
    }
    if (text.startsWith(':')) return;
    const colon = text.indexOf(':');
    const field = colon === -1 ? text : text.slice(0, colon);
    const value = colon === -1 ? '' : text.slice(colon + 1).replace(/^ /, '');
    if (field === 'data') data.push(value);
    else if (field === 'event') event = value;
    else if (field === 'id' && !value.includes('\0')) id = value;
  };
  return chunk => {
    buffer += chunk;
    for (let match = /\r\n|\r|\n/.exec(buffer); match !== null; match = /\r\n|\r|\n/.exec(buffer)) {
      // A lone CR at the end may be the first half of a CRLF split across chunks: wait for the next chunk.
      if (match[0] === '\r' && match.index === buffer.length - 1) break;
      line(buffer.slice(0, match.index));
      buffer = buffer.slice(match.index + match[0].length);
    }
  };
}

/** How a connection attempt ended: `ready` once the server replayed what was missed and said where it is. */
export type StreamOutcome = 'ready' | 'down' | 'refused' | 'closed';

export interface RemoteEventStreamOptions {
  /** `…/sessions/:key/events`. */
  readonly url: URL;
  /** Computed for every connection, so `Last-Event-ID` is what the session has seen by then. */
  readonly headers: () => OutgoingHttpHeaders;
  readonly onEvent: (entry: RemoteEventV1) => void;
  /** After the replay; `first` for the connection `open()` made. */
  readonly onReady: (ready: RemoteReadyV1, first: boolean) => void;
  /** The connection failed or dropped; the stream retries by itself. */
  readonly onDown: (error: Error) => void;
  /** The server refused the stream (401, 403, 409): retrying cannot help, so the stream gives up. */
  readonly onRefused: (status: number) => void;
}

/**
 * The SSE stream of one remote session, over node:http: reconnects with a capped backoff when it drops,
 * sending `Last-Event-ID`, until `close()`. One connection at a time; callbacks of an abandoned connection are
 * ignored, and none come after `close()`.
 */
export class RemoteEventStream {
  readonly #options: RemoteEventStreamOptions;
  #closed = false;
  /** The current connection; a callback whose connection is no longer current is ignored. */
  #connection: AbortController | undefined;
  #timer: ReturnType<typeof setTimeout> | undefined;
  #failures = 0;

  constructor(options: RemoteEventStreamOptions) {
    this.#options = options;
  }

  /** Connects (taking the session over when `claim`); resolves with how the first attempt ended. */
  open(claim: boolean): Promise<StreamOutcome> {
    return this.#connect(claim, true);
  }

  /** Drops the current connection (a call just failed to reach the server) and reconnects after a pause. */
  reconnect(): void {
    if (this.#closed || this.#timer !== undefined) return;
    this.#connection?.abort();
  }

  /** Closes the connection and cancels the pending retry; no callback runs afterwards. Idempotent. */
  close(): void {
    this.#closed = true;
    clearTimeout(this.#timer);
    this.#timer = undefined;
    this.#connection?.abort();
    this.#connection = undefined;
  }

  #connect(claim: boolean, first: boolean): Promise<StreamOutcome> {
    const connection = new AbortController();
    this.#connection = connection;
    const current = () => !this.#closed && this.#connection === connection;
    const url = new URL(this.#options.url);
    if (claim) url.searchParams.set(claimParameter, '1');
    return new Promise<StreamOutcome>(resolve => {
      let settled = false;
      const down = (error: Error) => {
        if (settled) return;
        settled = true;
        if (!current()) return resolve('closed');
        // Scheduled first, so a reconnect() from onDown finds the retry pending and does nothing more.
        this.#retryLater();
        this.#options.onDown(error);
        resolve('down');
      };
      let opened: ReturnType<typeof openRequest>;
      try {
        opened = openRequest(url, { method: 'GET', headers: this.#options.headers(), signal: connection.signal });
      } catch (error) {
        // Node refuses some requests synchronously (a header it cannot send): report it like any other failure.
        down(error instanceof Error ? error : new Error(String(error)));
        return;
      }
      opened.response.then(
        response => {
          if (!current()) {
            response.destroy();
            return;
          }
          const status = response.statusCode ?? 0;
          if (status === 401 || status === 403 || status === 409) {
            settled = true;
            response.resume();
            this.#options.onRefused(status);
            resolve('refused');
            return;
          }
          if (status !== 200) {
            response.resume();
            down(new Error(`the event stream answered HTTP ${status}`));
            return;
          }
          this.#read(response, current, first, () => resolve('ready'), down);
        },
        (error: unknown) => down(error instanceof Error ? error : new Error(String(error))),
      );
    });
  }

  #read(
    response: IncomingMessage,
    current: () => boolean,
    first: boolean,
    ready: () => void,
    down: (error: Error) => void,
  ): void {
    response.setEncoding('utf8');
    const push = createSseParser(message => {
      if (!current()) return;
      if (message.event === readyEventName) {
        this.#failures = 0;
        this.#options.onReady(JSON.parse(message.data) as RemoteReadyV1, first);
        ready();
        return;
      }
      if (message.id === undefined) return;
      this.#options.onEvent({ id: message.id, event: decodeWire(message.data) as ProviderEventV1 });
    });
    response.on('data', (chunk: string) => {
      try {
        push(chunk);
      } catch (error) {
        // Not the server this stream speaks to (or a bug): drop the connection and try again later.
        response.destroy();
        down(error instanceof Error ? error : new Error(String(error)));
      }
    });
    response.once('error', error => down(error));
    response.once('close', () => down(new Error('the event stream was closed')));
  }

  #retryLater(): void {
    const delay = Math.min(maxRetryMs, firstRetryMs * 2 ** this.#failures);
    this.#failures++;
    this.#timer = setTimeout(() => {
      this.#timer = undefined;
      if (!this.#closed) void this.#connect(false, false);
    }, delay);
  }
}
