import { type Logger, toWechatError, type WechatError } from '@wechat/provider-api';
import { type BackoffOptions, backoffDelay } from './backoff.ts';
import { type Clock, sleep, systemClock } from './clock.ts';
import type { WcfClient } from './wcf-client.ts';
import { pchookProviderId, transportError } from './wcf-errors.ts';

export interface WcfLinkHandlers {
  /**
   * A fresh connection is up. When this rejects, the connection is closed and retried after a backoff, and
   * `onDown` gets the error.
   */
  onUp(client: WcfClient): Promise<void>;
  /** The connection is gone (or a connect attempt failed); the link is already trying again. */
  onDown(error: WechatError): void;
  /** The periodic FUNC_IS_LOGIN answered. */
  onHeartbeat(loggedIn: boolean, client: WcfClient): Promise<void> | void;
}

export interface WcfLinkOptions extends WcfLinkHandlers {
  /** Dials and handshakes; must give up when `signal` aborts. */
  readonly connect: (signal: AbortSignal) => Promise<WcfClient>;
  readonly logger: Logger;
  readonly clock?: Clock;
  /** [0, 1); injected for deterministic jitter. */
  readonly random?: () => number;
  readonly backoff?: BackoffOptions;
  /** Between heartbeats (FUNC_IS_LOGIN). Default 15 s. */
  readonly heartbeatIntervalMs?: number;
}

/** Keeps one WeChatFerry connection up: connects, reconnects with backoff, and sends heartbeats. */
export interface WcfLink {
  start(): void;
  /** Stops reconnecting and closes the connection; resolves once no socket and no timer is left. */
  stop(): Promise<void>;
  /** The connection, while it is up. */
  readonly client: WcfClient | undefined;
}

export function createWcfLink(options: WcfLinkOptions): WcfLink {
  const clock = options.clock ?? systemClock;
  const random = options.random ?? Math.random;
  const heartbeatIntervalMs = options.heartbeatIntervalMs ?? 15_000;
  let controller: AbortController | undefined;
  let loop: Promise<void> | undefined;
  let current: WcfClient | undefined;

  /** Resolves with why the client closed, or undefined when the link is stopping. */
  const serve = (client: WcfClient, signal: AbortSignal): Promise<Error | undefined> =>
    new Promise(resolve => {
      let timer: unknown;
      const finish = (error: Error | undefined) => {
        clock.clearTimeout(timer);
        signal.removeEventListener('abort', onAbort);
        unsubscribe();
        resolve(error);
      };
      const onAbort = () => finish(undefined);
      const unsubscribe = client.onClose(error => finish(error));
      const beat = () => {
        timer = clock.setTimeout(async () => {
          try {
            const loggedIn = await client.isLogin();
            if (signal.aborted || client.isClosed) return;
            await options.onHeartbeat(loggedIn, client);
          } catch (error) {
            // A heartbeat that timed out twice has closed the client, which ends this serve() through onClose.
            options.logger.debug({ error: String(error) }, 'WeChatFerry heartbeat failed');
          }
          if (!signal.aborted && !client.isClosed) beat();
        }, heartbeatIntervalMs);
      };
      signal.addEventListener('abort', onAbort, { once: true });
      if (client.isClosed) finish(new Error('closed before it was served'));
      else beat();
    });

  const run = async (signal: AbortSignal) => {
    // Whatever the loop is waiting for (onUp's requests, a heartbeat) fails at once when the client closes.
    signal.addEventListener('abort', () => void current?.close(), { once: true });
    let failures = 0;
    while (!signal.aborted) {
      let client: WcfClient | undefined;
      try {
        client = await options.connect(signal);
        if (signal.aborted) break;
        current = client;
        await options.onUp(client);
        if (signal.aborted) break;
        failures = 0;
        const closedBy = await serve(client, signal);
        if (closedBy === undefined) break;
        current = undefined;
        options.onDown(transportError('The connection to WeChatFerry was lost', closedBy));
      } catch (error) {
        current = undefined;
        if (signal.aborted) break;
        options.onDown(toWechatError(error, pchookProviderId));
      } finally {
        if (signal.aborted || current !== client) await client?.close();
      }
      if (signal.aborted) break;
      const delay = backoffDelay(failures++, options.backoff ?? {}, random);
      options.logger.debug({ delayMs: delay, attempt: failures }, 'reconnecting to WeChatFerry');
      await sleep(clock, delay, signal);
    }
    const last = current;
    current = undefined;
    await last?.close();
  };

  return {
    get client() {
      return current !== undefined && !current.isClosed ? current : undefined;
    },
    start() {
      if (controller !== undefined) return;
      const started = new AbortController();
      controller = started;
      loop = run(started.signal);
    },
    async stop() {
      const running = controller;
      if (running === undefined) return;
      running.abort();
      await loop;
      if (controller === running) {
        controller = undefined;
        loop = undefined;
      }
    },
  };
}
