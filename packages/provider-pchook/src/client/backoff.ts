export interface BackoffOptions {
  /** The first delay. Default 500 ms. */
  readonly initialMs?: number;
  /** The cap. Default 30 s. */
  readonly maxMs?: number;
  /** Growth per attempt. Default 2. */
  readonly factor?: number;
}

/**
 * Capped exponential backoff with "equal jitter": half the delay is fixed, half random, so reconnecting clients
 * spread out without ever retrying immediately. `attempt` counts from 0; `random` returns [0, 1).
 */
export function backoffDelay(attempt: number, options: BackoffOptions, random: () => number): number {
  const initialMs = options.initialMs ?? 500;
  const maxMs = options.maxMs ?? 30_000;
  const factor = options.factor ?? 2;
  const ceiling = Math.min(maxMs, initialMs * factor ** Math.max(0, attempt));
  return Math.round(ceiling / 2 + random() * (ceiling / 2));
}
