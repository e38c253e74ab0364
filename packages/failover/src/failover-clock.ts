/**
 * Where a failover group gets its time and timers. Everything the group schedules goes through it, so tests can
 * run hours of health checks in virtual time.
 */
export interface FailoverClock {
  /** Milliseconds since the epoch. */
  now(): number;
  setTimeout(callback: () => void, milliseconds: number): unknown;
  clearTimeout(handle: unknown): void;
}

/** The real clock. */
export const systemFailoverClock: FailoverClock = {
  now: () => Date.now(),
  setTimeout: (callback, milliseconds) => setTimeout(callback, milliseconds),
  clearTimeout: handle => clearTimeout(handle as ReturnType<typeof setTimeout>),
};
