import { type LoginStepV1, needsUserActionV1, type SessionStateV1 } from '@wechat/provider-api';
import { check, describeValue, fail } from './assertions.ts';
import type { ConformanceContext, StartConnectedResult } from './conformance-context.ts';
import type { ConformanceSession } from './conformance-session.ts';
import { withTimeout } from './timing.ts';

/** A login that needs more steps than this is looping (a QR code refreshed forever). */
const maxLoginSteps = 10;

/**
 * Where a start settles: connected, or a state only the user can get it out of. Anything else (connecting,
 * transient-disconnect, unknown-error) may still recover by itself, so the kit keeps waiting.
 */
const settled = (state: SessionStateV1) => state === 'connected' || needsUserActionV1(state);

export async function startConnected(context: ConformanceContext, tracked: ConformanceSession): Promise<StartConnectedResult> {
  const { provider, harness, waitTimeoutMs } = context;
  await tracked.start();
  check(tracked.state !== 'stopped', 'start() resolved, but the session is still `stopped`: it did not begin connecting');
  let state = await tracked.waitForState(settled, waitTimeoutMs, 'the session to connect or ask for a login');
  if (state === 'connected') return { session: tracked, loggedIn: false, loginSteps: [] };
  if (state !== 'awaiting-login') fail(`start() ended in \`${state}\` instead of \`connected\`${lastError(tracked)}`);

  check(
    provider.capabilities.login === 'interactive',
    "The session is `awaiting-login`, but capabilities.login is 'credentials': credential providers log in within start()",
  );
  const login = tracked.session.login;
  check(typeof login === 'function', 'The session is `awaiting-login`, but it has no login() method');
  const completeLogin = harness.completeLogin;
  check(
    typeof completeLogin === 'function',
    'The provider logs in interactively, but the harness has no completeLogin() to simulate the QR scan',
  );
  const waitStep = <T>(promise: Promise<T>, what: string) =>
    withTimeout(promise, waitTimeoutMs, () => new Error(`${what} did not resolve within ${waitTimeoutMs} ms`));

  const loginProcess = await waitStep(login.call(tracked.session), 'session.login()');
  const steps: LoginStepV1[] = [await waitStep(loginProcess.start(), 'loginProcess.start()')];
  await waitStep(completeLogin.call(harness), 'harness.completeLogin()');
  while (steps.at(-1)?.type !== 'complete') {
    check(steps.length < maxLoginSteps, () => `The login did not complete after ${maxLoginSteps} steps: ${describeSteps(steps)}`);
    steps.push(await waitStep(loginProcess.next(), `loginProcess.next() after ${describeSteps(steps)}`));
  }
  state = await tracked.waitForState(
    s => s === 'connected' || (settled(s) && s !== 'awaiting-login'),
    waitTimeoutMs,
    'the session to connect after the login completed',
  );
  check(state === 'connected', () => `The login completed, but the session went to \`${state}\`${lastError(tracked)}`);
  return { session: tracked, loggedIn: true, loginSteps: steps };
}

function describeSteps(steps: readonly LoginStepV1[]): string {
  return steps.map(step => step.type).join(' → ');
}

function lastError(tracked: ConformanceSession): string {
  const error = tracked.stateChanges().at(-1)?.error;
  return error === undefined ? '' : ` (error: ${describeValue(error)})`;
}
