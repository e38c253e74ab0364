import type { Logger } from '@wechat/provider-api';

/** One POST of a callback body to the bridge, as the simulated service made it. */
export interface CallbackDelivery {
  /** 1, 2, 3… in the order the POSTs started. */
  readonly seq: number;
  readonly url: string;
  /** The exact body text sent. */
  readonly body: string;
  /** `AddMsg`, `ModContacts`, `DelContacts`, `Offline`, or `test` for the `setCallback` ping. */
  readonly typeName: string;
  /** For `AddMsg`: the NewMsgId as a decimal string. */
  readonly newMsgId: string | undefined;
  readonly redelivery: boolean;
  readonly at: number;
  /** Set once the POST finished: the HTTP status, or the error when there was no answer. */
  status: number | undefined;
  error: string | undefined;
  /** `status` is 2xx. */
  ok: boolean;
}

export interface CallbackPoster {
  readonly deliveries: CallbackDelivery[];
  /** With no URL (no `setCallback` yet), the delivery is recorded as failed and nothing is sent. */
  post(
    url: string | undefined,
    body: string,
    meta: { typeName: string; newMsgId?: string; redelivery?: boolean },
  ): Promise<CallbackDelivery>;
  /** Resolves once every POST started so far has finished. */
  idle(): Promise<void>;
  /** Cancels the POSTs in flight (they are recorded as failed). */
  abortAll(): void;
}

/**
 * POSTs callback bodies and records each outcome. Like the real service, a failed POST is not retried on the
 * spot; tests call `redeliver` (B.6: GeWe re-pushes later, on restart or sync).
 */
export function createCallbackPoster(options: {
  fetch: typeof fetch;
  now: () => number;
  logger: Logger;
  timeoutMs: number;
}): CallbackPoster {
  const deliveries: CallbackDelivery[] = [];
  const inFlight = new Set<Promise<unknown>>();
  let controller = new AbortController();

  const send = async (delivery: CallbackDelivery, signal: AbortSignal) => {
    // A timer of our own (not AbortSignal.timeout) so nothing outlives the delivery.
    const timeout = new AbortController();
    const timer = setTimeout(() => timeout.abort(new Error(`no answer within ${options.timeoutMs} ms`)), options.timeoutMs);
    try {
      const response = await options.fetch(delivery.url, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: delivery.body,
        signal: AbortSignal.any([signal, timeout.signal]),
      });
      delivery.status = response.status;
      delivery.ok = response.status >= 200 && response.status < 300;
      await response.arrayBuffer().catch(() => undefined);
    } catch (error) {
      delivery.error = error instanceof Error ? error.message : String(error);
      delivery.ok = false;
    } finally {
      clearTimeout(timer);
    }
    if (!delivery.ok) {
      options.logger.debug(
        { seq: delivery.seq, typeName: delivery.typeName, status: delivery.status, error: delivery.error },
        'gewechat simulator: callback delivery failed',
      );
    }
    return delivery;
  };

  return {
    deliveries,
    post(url, body, meta) {
      const delivery: CallbackDelivery = {
        seq: deliveries.length + 1,
        url: url ?? '',
        body,
        typeName: meta.typeName,
        newMsgId: meta.newMsgId,
        redelivery: meta.redelivery ?? false,
        at: options.now(),
        status: undefined,
        error: undefined,
        ok: false,
      };
      deliveries.push(delivery);
      if (url === undefined) {
        delivery.error = 'no callback URL is set';
        return Promise.resolve(delivery);
      }
      const pending = send(delivery, controller.signal);
      inFlight.add(pending);
      void pending.finally(() => inFlight.delete(pending));
      return pending;
    },
    async idle() {
      while (inFlight.size > 0) await Promise.allSettled([...inFlight]);
    },
    abortAll() {
      controller.abort(new Error('the simulator stopped'));
      controller = new AbortController();
    },
  };
}
