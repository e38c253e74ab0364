import { isAllowedStateTransitionV1, type SessionStateV1 } from '@wechat/provider-api';

// How the states of the members become the one state of the group, and how the group moves between its states
// without leaving the contract's state graph.

/** States a member does not leave by itself: the active member in one of them is switched away from at the next check. */
export function isTerminalMemberState(state: SessionStateV1): boolean {
  return state === 'logged-out' || state === 'bad-credentials' || state === 'stopped';
}

/** States in which a member may still come back by itself (its provider keeps reconnecting). */
const recovering: readonly SessionStateV1[] = ['starting', 'connecting', 'transient-disconnect', 'unknown-error'];

/** Among members that all need the user, the state that asks the least of them first. */
const userActionPreference: readonly SessionStateV1[] = ['awaiting-login', 'bad-credentials', 'logged-out'];

/**
 * The group's state while no member serves it (every member down, or none connected yet), from the members'
 * effective states: `connecting` when one is on its way, `transient-disconnect` when one may still come back by
 * itself, otherwise the state that needs the user (a login before new credentials before a new login after a
 * sign-out).
 */
export function unservedGroupState(states: readonly SessionStateV1[]): SessionStateV1 {
  if (states.some(state => state === 'connecting' || state === 'starting' || state === 'connected')) return 'connecting';
  if (states.some(state => recovering.includes(state))) return 'transient-disconnect';
  return userActionPreference.find(state => states.includes(state)) ?? 'transient-disconnect';
}

/**
 * The changes to emit to go from `from` to `to` inside the state graph: none for no change, `[to]` when allowed
 * directly, otherwise through `connecting`. That detour exists because the group changes members: after a
 * switch away from a signed-out member the group is connected again (`logged-out → connecting → connected`),
 * which no single session does in one step. A member that starts over is, for the group, connecting.
 * An empty list means the group keeps its state.
 */
export function groupTransitionPath(from: SessionStateV1, to: SessionStateV1): readonly SessionStateV1[] {
  if (from === to) return [];
  if (isAllowedStateTransitionV1(from, to)) return [to];
  if (to === 'starting') return groupTransitionPath(from, 'connecting');
  if (isAllowedStateTransitionV1(from, 'connecting') && isAllowedStateTransitionV1('connecting', to)) return ['connecting', to];
  return [];
}
