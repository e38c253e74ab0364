import type { Logger } from '../logger/logger.ts';
import type { ProviderEventOfTypeV1, ProviderEventTypeV1, ProviderEventV1 } from '../provider/v1/provider-v1-event.ts';

export type ProviderEventListener<TYPE extends ProviderEventTypeV1> = (
  event: ProviderEventOfTypeV1<TYPE>,
) => void | Promise<void>;

export interface ProviderEventHub {
  /** What a session is given as `emit`. Never throws: listener failures are logged. */
  readonly emit: (event: ProviderEventV1) => void;
  /** Subscribes to one event type, or to every event with `'*'`. Returns the unsubscribe function. */
  on<TYPE extends ProviderEventTypeV1>(type: TYPE, listener: ProviderEventListener<TYPE>): () => void;
  on(type: '*', listener: (event: ProviderEventV1) => void | Promise<void>): () => void;
  /**
   * Every event from now on, in order, until the loop breaks or `signal` aborts. Events are buffered while the
   * consumer is busy, so none are lost; a consumer that never catches up grows the buffer.
   */
  events(options?: { readonly signal?: AbortSignal }): AsyncIterableIterator<ProviderEventV1>;
}

export function createProviderEventHub(logger: Logger): ProviderEventHub {
  const listeners = new Map<string, Set<(event: ProviderEventV1) => void | Promise<void>>>();

  const report = (event: ProviderEventV1, error: unknown) =>
    logger.error({ eventType: event.type, error }, 'a provider event listener failed');

  const emit = (event: ProviderEventV1) => {
    for (const key of [event.type, '*']) {
      for (const listener of listeners.get(key) ?? []) {
        try {
          const result = listener(event);
          if (result instanceof Promise) result.catch(error => report(event, error));
        } catch (error) {
          report(event, error);
        }
      }
    }
  };

  const on = (type: string, listener: (event: ProviderEventV1) => void | Promise<void>) => {
    let set = listeners.get(type);
    if (!set) {
      set = new Set();
      listeners.set(type, set);
    }
    set.add(listener);
    return () => {
      set.delete(listener);
    };
  };

  const events = ({ signal }: { readonly signal?: AbortSignal } = {}): AsyncIterableIterator<ProviderEventV1> => {
    const buffer: ProviderEventV1[] = [];
    let waiting: ((result: IteratorResult<ProviderEventV1>) => void) | undefined;
    let done = false;
    const finish = () => {
      if (done) return;
      done = true;
      unsubscribe();
      signal?.removeEventListener('abort', finish);
      waiting?.({ value: undefined, done: true });
      waiting = undefined;
    };
    const unsubscribe = on('*', event => {
      if (waiting) {
        const resolve = waiting;
        waiting = undefined;
        resolve({ value: event, done: false });
      } else buffer.push(event);
    });
    if (signal?.aborted) finish();
    else signal?.addEventListener('abort', finish, { once: true });
    const iterator: AsyncIterableIterator<ProviderEventV1> = {
      next: () => {
        const buffered = buffer.shift();
        if (buffered) return Promise.resolve({ value: buffered, done: false });
        if (done) return Promise.resolve({ value: undefined, done: true });
        return new Promise(resolve => {
          waiting = resolve;
        });
      },
      return: () => {
        finish();
        buffer.length = 0;
        return Promise.resolve({ value: undefined, done: true });
      },
      [Symbol.asyncIterator]: () => iterator,
    };
    return iterator;
  };

  return { emit, on: on as ProviderEventHub['on'], events };
}
