import type { FailoverClock } from '../failover-clock.ts';

interface Timer {
  readonly id: number;
  readonly due: number;
  readonly callback: () => void;
}

/** Lets every pending promise chain run (mock sessions, checks) before time moves on. */
const settle = () => new Promise<void>(resolve => setImmediate(resolve));

/**
 * A deterministic clock for tests: time moves only with `advance`, timers fire in due order (ties in the order
 * they were set), and after each one the promise chains it started settle before the next fires.
 */
export class FakeClock implements FailoverClock {
  /** Where time began, in milliseconds since the epoch. */
  readonly start: number;
  #now: number;
  #nextId = 1;
  readonly #timers = new Map<number, Timer>();

  constructor(start = Date.UTC(2026, 0, 1)) {
    this.start = start;
    this.#now = start;
  }

  /** Milliseconds since `start`. */
  get elapsed(): number {
    return this.#now - this.start;
  }

  now(): number {
    return this.#now;
  }

  setTimeout(callback: () => void, milliseconds: number): unknown {
    const id = this.#nextId++;
    this.#timers.set(id, { id, due: this.#now + Math.max(0, milliseconds), callback });
    return id;
  }

  clearTimeout(handle: unknown): void {
    if (typeof handle === 'number') this.#timers.delete(handle);
  }

  /** Timers set and not yet fired or cleared. */
  get pendingTimers(): number {
    return this.#timers.size;
  }

  /** Moves time forward by `milliseconds`, firing every timer due meanwhile. */
  async advance(milliseconds: number): Promise<void> {
    const target = this.#now + milliseconds;
    await settle();
    for (;;) {
      const next = this.#earliestDueBy(target);
      if (!next) break;
      this.#timers.delete(next.id);
      this.#now = next.due;
      next.callback();
      await settle();
    }
    this.#now = target;
    await settle();
  }

  /** Moves time forward to `elapsed` milliseconds after `start`. */
  async advanceTo(elapsed: number): Promise<void> {
    if (elapsed < this.elapsed) throw new RangeError(`time only moves forward (now ${this.elapsed} ms, asked for ${elapsed} ms)`);
    await this.advance(elapsed - this.elapsed);
  }

  #earliestDueBy(target: number): Timer | undefined {
    let earliest: Timer | undefined;
    for (const timer of this.#timers.values()) {
      if (timer.due > target) continue;
      if (!earliest || timer.due < earliest.due || (timer.due === earliest.due && timer.id < earliest.id)) earliest = timer;
    }
    return earliest;
  }
}
