import { setImmediate as nextMacrotask, setTimeout as sleepFor } from 'node:timers/promises';

export function sleep(milliseconds: number): Promise<void> {
  return sleepFor(milliseconds).then(() => undefined);
}

/**
 * Lets pending callbacks run: Node reports an unhandled rejection only after the microtask queue drains, so
 * two macrotask turns make sure rejections from the last operation are seen before a watcher is removed.
 */
export async function flushMacrotasks(): Promise<void> {
  await nextMacrotask();
  await nextMacrotask();
}

/** Rejects with `onTimeout()`'s error when `promise` does not settle in time; the timer never outlives the race. */
export async function withTimeout<T>(promise: Promise<T>, milliseconds: number, onTimeout: () => Error): Promise<T> {
  let timer: ReturnType<typeof setTimeout> | undefined;
  const timeout = new Promise<never>((_resolve, reject) => {
    timer = setTimeout(() => reject(onTimeout()), milliseconds);
  });
  try {
    return await Promise.race([promise, timeout]);
  } finally {
    clearTimeout(timer);
  }
}
