import { type HttpListener, listenHttp, readBody, sendBytes } from './http-listener.ts';
import { parseJsonText } from './json-text.ts';

export interface RecordedCallback {
  /** The exact body text. */
  readonly body: string;
  /** The body parsed with 64-bit integers as bigint; undefined when it is not JSON. */
  readonly json: unknown;
  readonly path: string;
  readonly contentType: string | undefined;
}

/**
 * A stand-in for the bridge's callback endpoint, for tests that drive the simulator without a bridge: it
 * records every POST and answers `success` (or the status set with `respondWith`).
 */
export interface CallbackRecorder {
  /** `http://127.0.0.1:<port>/callback` */
  readonly url: string;
  readonly received: readonly RecordedCallback[];
  /** Answer this HTTP status from now on (default 200). */
  respondWith(status: number): void;
  /** The first callback at index `from` or later matching `predicate`, waiting up to `timeoutMs` (default 2000) for it. */
  waitFor(
    predicate?: (callback: RecordedCallback) => boolean,
    options?: { from?: number; timeoutMs?: number },
  ): Promise<RecordedCallback>;
  close(): Promise<void>;
}

export async function createCallbackRecorder(): Promise<CallbackRecorder> {
  const received: RecordedCallback[] = [];
  const waiters = new Set<() => void>();
  let status = 200;
  const listener: HttpListener = await listenHttp(0, (request, response) => {
    readBody(request, 256 * 1024 * 1024)
      .then(buffer => {
        const body = buffer.toString('utf8');
        let json: unknown;
        try {
          json = parseJsonText(body);
        } catch {
          json = undefined;
        }
        received.push({ body, json, path: request.url ?? '/', contentType: request.headers['content-type'] });
        sendBytes(response, status, status >= 200 && status < 300 ? 'success' : 'error', 'text/plain; charset=utf-8');
        for (const wake of [...waiters]) wake();
      })
      .catch(() => response.destroy());
  });

  return {
    url: `http://127.0.0.1:${listener.port}/callback`,
    received,
    respondWith(next) {
      status = next;
    },
    waitFor(predicate = () => true, { from = 0, timeoutMs = 2000 } = {}) {
      const find = () => received.slice(from).find(predicate);
      const found = find();
      if (found) return Promise.resolve(found);
      return new Promise((resolve, reject) => {
        const wake = () => {
          const match = find();
          if (!match) return;
          clearTimeout(timer);
          waiters.delete(wake);
          resolve(match);
        };
        const timer = setTimeout(() => {
          waiters.delete(wake);
          reject(new Error(`no matching callback within ${timeoutMs} ms (${received.length} received)`));
        }, timeoutMs);
        waiters.add(wake);
      });
    },
    close: () => listener.close(),
  };
}
