import { WechatProviderUnavailableError } from '@wechat/provider-api';

export interface WecomTransportOptions {
  readonly fetch: typeof globalThis.fetch;
  readonly providerId?: string;
  /** Per request; WeCom answers in well under a second, uploads take longer. */
  readonly timeoutMs: number;
}

export interface WecomTransport {
  /** Resolves with any HTTP answer; rejects with the retryable `WechatProviderUnavailableError` when none came. */
  /** `signal` is the caller's own (a download the host abandons): its abort rejects with its reason. */
  request(url: URL, init: RequestInit, operation: string, signal?: AbortSignal): Promise<Response>;
  /** Aborts every request in flight (the session stopped): nothing outlives `stop()`. */
  abortAll(): void;
}

/** The one place that touches the network; it never puts the URL (it carries tokens and secrets) in an error. */
export function createWecomTransport({ fetch, providerId, timeoutMs }: WecomTransportOptions): WecomTransport {
  const inFlight = new Set<AbortController>();
  const unavailable = (operation: string, reason: string, cause?: unknown) =>
    new WechatProviderUnavailableError({
      message: `WeCom ${operation}: ${reason}`,
      ...(providerId === undefined ? {} : { providerId }),
      ...(cause === undefined ? {} : { cause }),
    });

  return {
    async request(url, init, operation, signal) {
      signal?.throwIfAborted();
      const controller = new AbortController();
      inFlight.add(controller);
      // A timer of our own, cleared with the request: nothing may outlive a stopped session.
      const timeout = new AbortController();
      const timer = setTimeout(() => timeout.abort(), timeoutMs);
      try {
        return await fetch(url, {
          ...init,
          signal: AbortSignal.any([controller.signal, timeout.signal, ...(signal ? [signal] : [])]),
        });
      } catch (error) {
        if (signal?.aborted) throw signal.reason;
        if (controller.signal.aborted) throw unavailable(operation, 'the request was cancelled (the session stopped)');
        if (timeout.signal.aborted) throw unavailable(operation, `no answer within ${timeoutMs} ms`);
        throw unavailable(operation, `the WeCom API is unreachable (${describeCause(error)})`, error);
      } finally {
        clearTimeout(timer);
        inFlight.delete(controller);
      }
    },
    abortAll() {
      for (const controller of inFlight) controller.abort();
      inFlight.clear();
    },
  };
}

function describeCause(error: unknown): string {
  if (!(error instanceof Error)) return String(error);
  const cause = error.cause instanceof Error ? `: ${error.cause.message}` : '';
  return `${error.message}${cause}`;
}
