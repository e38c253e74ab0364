import { isAllowedStateTransitionV1, type SessionStateV1, sessionStatesV1 } from '@wechat/provider-api';
import { describe, expect, it } from 'vitest';
import { groupTransitionPath, isTerminalMemberState, unservedGroupState } from './group-state.ts';

describe('groupTransitionPath', () => {
  it('is empty for no change and direct for an allowed one', () => {
    expect(groupTransitionPath('connected', 'connected')).toEqual([]);
    expect(groupTransitionPath('connected', 'transient-disconnect')).toEqual(['transient-disconnect']);
  });

  it('goes through connecting where a switch of members needs it', () => {
    expect(groupTransitionPath('logged-out', 'connected')).toEqual(['connecting', 'connected']);
    expect(groupTransitionPath('bad-credentials', 'transient-disconnect')).toEqual(['connecting', 'transient-disconnect']);
    expect(groupTransitionPath('connected', 'awaiting-login')).toEqual(['connecting', 'awaiting-login']);
    // A member starting over is, for the group, connecting.
    expect(groupTransitionPath('awaiting-login', 'starting')).toEqual(['connecting']);
  });

  it('only ever yields changes the state graph allows, or none', () => {
    const targets = sessionStatesV1.filter(state => state !== 'stopped');
    for (const from of sessionStatesV1) {
      for (const to of targets) {
        const path = groupTransitionPath(from, to);
        let current: SessionStateV1 = from;
        for (const next of path) {
          expect(isAllowedStateTransitionV1(current, next), `${from}→${to} via ${path.join('→')}`).toBe(true);
          current = next;
        }
      }
    }
  });
});

describe('unservedGroupState', () => {
  it.each([
    [['transient-disconnect', 'connecting'], 'connecting'],
    [['transient-disconnect', 'logged-out'], 'transient-disconnect'],
    [['unknown-error', 'awaiting-login'], 'transient-disconnect'],
    [['logged-out', 'awaiting-login'], 'awaiting-login'],
    [['logged-out', 'bad-credentials'], 'bad-credentials'],
    [['logged-out'], 'logged-out'],
  ] as const)('%j → %s', (states, expected) => {
    expect(unservedGroupState(states)).toBe(expected);
  });
});

describe('isTerminalMemberState', () => {
  it('names the states a member does not leave by itself', () => {
    expect(sessionStatesV1.filter(isTerminalMemberState)).toEqual(['stopped', 'bad-credentials', 'logged-out']);
  });
});
