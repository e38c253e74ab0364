import type { Logger } from '@wechat/provider-api';
import type { Clock } from './bridge-context.ts';

/**
 * Runs `drain` one at a time: a kick while it runs schedules exactly one more run, so work that arrives during a
 * run is never missed and never processed twice concurrently. `drain` returns the time (ms from now) at which it
 * wants to run again (a retry), or undefined.
 */
export interface SerialWorker {
  kick(): void;
  /** Resolves when no run is in progress or scheduled to start immediately. */
  idle(): Promise<void>;
  stop(): Promise<void>;
}

export function createSerialWorker({
  name,
  drain,
  clock,
  logger,
}: {
  name: string;
  drain: () => Promise<number | undefined>;
  clock: Clock;
  logger: Logger;
}): SerialWorker {
  let running: Promise<void> | undefined;
  let again = false;
  let stopped = false;
  let timer: unknown;

  const run = async () => {
    do {
      again = false;
      try {
        const retryInMs = await drain();
        if (retryInMs !== undefined && !stopped) {
          if (timer !== undefined) clock.clearTimeout(timer);
          timer = clock.setTimeout(() => {
            timer = undefined;
            kick();
          }, retryInMs);
        }
      } catch (error) {
        // drain handles per-item failures; reaching here means the store itself failed. Try again shortly.
        logger.error({ worker: name, error }, 'worker run failed; retrying in 5 s');
        if (!stopped) timer = clock.setTimeout(kick, 5_000);
      }
    } while (again && !stopped);
  };

  const kick = () => {
    if (stopped) return;
    if (running) {
      again = true;
      return;
    }
    running = run().finally(() => {
      running = undefined;
    });
  };

  return {
    kick,
    idle: async () => {
      while (running) await running;
    },
    stop: async () => {
      stopped = true;
      if (timer !== undefined) clock.clearTimeout(timer);
      timer = undefined;
      while (running) await running;
    },
  };
}

/** Exponential backoff with a cap: base, 2×base, 4×base, … at most `capMs`. */
export function backoffMs(attempt: number, baseMs: number, capMs = 300_000): number {
  return Math.min(capMs, baseMs * 2 ** Math.max(0, attempt - 1));
}
