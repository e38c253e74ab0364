import type { FailoverClock } from './failover-clock.ts';

/**
 * `promise`, or a rejection with `onTimeout()` after `milliseconds` on the clock, or with the signal's reason
 * when it aborts first. The timer is cleared either way, so nothing is left scheduled.
 */
export async function withDeadline<T>(
  promise: Promise<T>,
  {
    clock,
    milliseconds,
    onTimeout,
    signal,
  }: {
    readonly clock: FailoverClock;
    readonly milliseconds: number;
    readonly onTimeout: () => Error;
    readonly signal: AbortSignal;
  },
): Promise<T> {
  signal.throwIfAborted();
  let handle: unknown;
  let onAbort: (() => void) | undefined;
  const deadline = new Promise<never>((_, reject) => {
    handle = clock.setTimeout(() => reject(onTimeout()), milliseconds);
    onAbort = () => reject(signal.reason);
    signal.addEventListener('abort', onAbort, { once: true });
  });
  try {
    return await Promise.race([promise, deadline]);
  } finally {
    clock.clearTimeout(handle);
    if (onAbort) signal.removeEventListener('abort', onAbort);
  }
}
