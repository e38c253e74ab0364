/** Modelled on mautrix's bridge states. */
export const sessionStatesV1 = [
  'stopped',
  'starting',
  'awaiting-login',
  'connecting',
  'connected',
  'transient-disconnect',
  'bad-credentials',
  'logged-out',
  'unknown-error',
] as const;
export type SessionStateV1 = (typeof sessionStatesV1)[number];

/**
 * The allowed state graph. Every state may go to `stopped` (through `stop()`); the rest is listed here so that
 * hosts can reason about transitions and the conformance kit can check them. `logout()` may be called in any
 * state and ends in `logged-out`, so every state may also go there.
 */
const allowedTransitions: Readonly<Record<SessionStateV1, readonly SessionStateV1[]>> = {
  stopped: ['starting', 'logged-out'],
  starting: [
    'awaiting-login',
    'connecting',
    'connected',
    'transient-disconnect',
    'bad-credentials',
    'logged-out',
    'unknown-error',
  ],
  'awaiting-login': ['connecting', 'connected', 'bad-credentials', 'logged-out', 'unknown-error', 'transient-disconnect'],
  connecting: ['connected', 'awaiting-login', 'transient-disconnect', 'bad-credentials', 'logged-out', 'unknown-error'],
  connected: ['connecting', 'transient-disconnect', 'bad-credentials', 'logged-out', 'unknown-error'],
  'transient-disconnect': ['connecting', 'connected', 'awaiting-login', 'bad-credentials', 'logged-out', 'unknown-error'],
  'bad-credentials': ['starting', 'connecting', 'awaiting-login', 'logged-out'],
  'logged-out': ['starting', 'awaiting-login', 'connecting'],
  'unknown-error': ['connecting', 'transient-disconnect', 'awaiting-login', 'connected', 'logged-out'],
};

/** Whether `from → to` is a real, allowed change. A "change" to the same state is not one: do not emit it. */
export function isAllowedStateTransitionV1(from: SessionStateV1, to: SessionStateV1): boolean {
  if (from === to) return false;
  return to === 'stopped' || allowedTransitions[from].includes(to);
}

/** States in which the session cannot send and will not recover without the user (a new login or new credentials). */
export function needsUserActionV1(state: SessionStateV1): boolean {
  return state === 'bad-credentials' || state === 'logged-out' || state === 'awaiting-login';
}
