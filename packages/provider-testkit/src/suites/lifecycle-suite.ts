import {
  isAllowedStateTransitionV1,
  needsUserActionV1,
  type ProviderEventOfTypeV1,
  type SessionStateV1,
  WechatAuthenticationError,
} from '@wechat/provider-api';
import { check, describeValue, expectRejection } from '../runner/assertions.ts';
import type { ConformanceSession } from '../runner/conformance-session.ts';
import { createSuite, type ConformanceTarget } from '../runner/conformance-suite.ts';

const onlyInteractive = ({ provider }: ConformanceTarget) =>
  provider.capabilities.login === 'interactive'
    ? undefined
    : "capabilities.login is 'credentials': there is no interactive login to persist";

/** Where a start settles without help: connected, or a state that needs the user. */
const settled = (state: SessionStateV1) => state === 'connected' || needsUserActionV1(state);

type StateChange = ProviderEventOfTypeV1<'state-changed'>;

/** Every problem with a session's sequence of state changes, starting from `stopped`. */
export function stateGraphProblems(changes: readonly StateChange[]): string[] {
  const problems: string[] = [];
  let current: SessionStateV1 = 'stopped';
  for (const [position, change] of changes.entries()) {
    const where = `state-changed #${position + 1} (${change.previous}→${change.state})`;
    if (change.previous !== current) problems.push(`${where}: previous is '${change.previous}', but the state was '${current}'`);
    if (change.state === change.previous) problems.push(`${where}: reports a change to the state it already had`);
    else if (!isAllowedStateTransitionV1(change.previous, change.state))
      problems.push(`${where}: not allowed by the state graph`);
    current = change.state;
  }
  return problems;
}

function checkStateMatchesEvents(tracked: ConformanceSession, after: string) {
  const last = tracked.stateChanges().at(-1)?.state ?? 'stopped';
  check(tracked.state === last, `After ${after}, session.state is '${tracked.state}', but the last state-changed said '${last}'`);
}

/** start, login, stop, restart, login persistence and logout. */
export const lifecycleSuite = createSuite('lifecycle', [
  {
    name: 'starts and reaches connected',
    run: async context => {
      const { session: tracked, loggedIn, loginSteps } = await context.startConnected();
      const first = tracked.stateChanges()[0];
      check(
        first?.previous === 'stopped' && first.state === 'starting',
        () => `The first state-changed must be stopped→starting, got ${first ? `${first.previous}→${first.state}` : 'none'}`,
      );
      const self = await tracked.session.getSelf();
      check(typeof self.id === 'string' && self.id !== '', `getSelf() returned ${describeValue(self)}`);
      if (context.fixtures.selfId !== undefined) {
        check(self.id === context.fixtures.selfId, `getSelf().id is '${self.id}'; the harness says '${context.fixtures.selfId}'`);
      }
      if (loggedIn) {
        const emitted = tracked.events.filter(({ event }) => event.type === 'login-step');
        check(emitted.length > 0, 'The session logged in interactively but emitted no login-step event');
        const complete = loginSteps.at(-1);
        check(
          complete?.type === 'complete' && complete.self.id === self.id,
          () => `The login's complete step names ${describeValue(complete)}, but getSelf().id is '${self.id}'`,
        );
      }
    },
  },
  {
    name: 'follows the state graph',
    run: async context => {
      const { session: tracked } = await context.startConnected();
      checkStateMatchesEvents(tracked, 'connecting');
      await tracked.stop();
      checkStateMatchesEvents(tracked, 'stop()');
      await context.startConnected(tracked);
      checkStateMatchesEvents(tracked, 'restarting');
      await tracked.session.logout();
      checkStateMatchesEvents(tracked, 'logout()');
      await tracked.stop();
      checkStateMatchesEvents(tracked, 'the final stop()');
      const problems = stateGraphProblems(tracked.stateChanges());
      check(problems.length === 0, () => problems.join('; '));
    },
  },
  {
    name: 'stop() is idempotent',
    run: async context => {
      const idle = context.openSession();
      const before = idle.events.length;
      await idle.stop();
      check(idle.state === 'stopped', `stop() before start() left the session '${idle.state}'`);
      check(idle.events.length === before, 'stop() before start() emitted events');

      const { session: tracked } = await context.startConnected();
      await Promise.all([tracked.stop(), tracked.stop()]);
      await tracked.stop();
      check(tracked.state === 'stopped', `After stop(), the session is '${tracked.state}'`);
      const stops = tracked.stateChanges().filter(change => change.state === 'stopped');
      check(stops.length === 1, `Three stop() calls emitted ${stops.length} state changes to 'stopped'; expected exactly 1`);
    },
  },
  {
    name: 'restarts three times',
    run: async context => {
      const tracked = context.openSession();
      for (let round = 1; round <= 3; round++) {
        await context.startConnected(tracked);
        const self = await tracked.session.getSelf();
        check(self.id !== '', `getSelf() failed after start #${round}`);
        await tracked.stop();
        check(tracked.state === 'stopped', `After stop #${round}, the session is '${tracked.state}'`);
      }
    },
  },
  {
    name: 'keeps the login for the next session',
    notApplicable: onlyInteractive,
    run: async context => {
      const { session: first } = await context.startConnected();
      await first.stop();
      const second = context.openSession();
      await second.start();
      const state = await second.waitForState(settled, context.waitTimeoutMs, 'the second session to settle');
      check(
        state === 'connected',
        `A new session with the same storage went to '${state}' instead of reconnecting with the persisted login`,
      );
      const steps = second.events.filter(({ event }) => event.type === 'login-step');
      check(steps.length === 0, 'A new session with the same storage emitted login steps: the login was not persisted');
    },
  },
  {
    name: 'logout() ends in logged-out',
    run: async context => {
      const { session: tracked } = await context.startConnected();
      await tracked.session.logout();
      check(tracked.state === 'logged-out', `After logout(), the session is '${tracked.state}'`);
      check(tracked.stateChanges().at(-1)?.state === 'logged-out', 'logout() emitted no state-changed to logged-out');
      const error = await expectRejection(tracked.session.getSelf(), 'getSelf() after logout()');
      check(
        WechatAuthenticationError.isInstance(error),
        `getSelf() after logout() rejected with ${describeValue(error)}; expected WechatAuthenticationError`,
      );
    },
  },
  {
    name: 'logout() forgets the persisted login',
    notApplicable: onlyInteractive,
    run: async context => {
      const { session: first } = await context.startConnected();
      await first.session.logout();
      await first.stop();
      const second = context.openSession();
      await second.start();
      const state = await second.waitForState(settled, context.waitTimeoutMs, 'the next session to settle');
      check(
        state === 'awaiting-login',
        `After logout(), a new session with the same storage went to '${state}' instead of asking for a login`,
      );
    },
  },
]);
