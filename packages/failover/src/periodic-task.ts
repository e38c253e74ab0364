import type { FailoverClock } from './failover-clock.ts';

/**
 * Runs `run` every `intervalMs` on the clock. The next run is scheduled when the previous one has finished, so
 * a slow check never overlaps the next one; `stop()` clears the pending timer and a run still in flight does not
 * schedule another.
 */
export class PeriodicTask {
  readonly #clock: FailoverClock;
  readonly #intervalMs: number;
  readonly #run: () => Promise<void>;
  #handle: unknown;
  /** Bumped by start and stop, so a run of an earlier start does not re-arm the timer. */
  #epoch = 0;
  #started = false;

  constructor(clock: FailoverClock, intervalMs: number, run: () => Promise<void>) {
    this.#clock = clock;
    this.#intervalMs = intervalMs;
    this.#run = run;
  }

  start(): void {
    if (this.#started) return;
    this.#started = true;
    this.#arm(++this.#epoch);
  }

  stop(): void {
    this.#started = false;
    this.#epoch++;
    if (this.#handle !== undefined) this.#clock.clearTimeout(this.#handle);
    this.#handle = undefined;
  }

  #arm(epoch: number): void {
    this.#handle = this.#clock.setTimeout(() => {
      this.#handle = undefined;
      // `run` reports its own errors; the catch only keeps a bug there from ending the schedule.
      void this.#run()
        .catch(() => undefined)
        .finally(() => {
          if (this.#started && epoch === this.#epoch) this.#arm(epoch);
        });
    }, this.#intervalMs);
  }
}
