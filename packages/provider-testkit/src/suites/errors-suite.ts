import {
  type ChatRefV1,
  supportLevelOf,
  WechatAuthenticationError,
  WechatError,
  WechatRateLimitedError,
} from '@wechat/provider-api';
import type { HarnessFailureV1 } from '../harness/conformance-harness.ts';
import { check, describeValue, expectRejection } from '../runner/assertions.ts';
import type { ConformanceContext } from '../runner/conformance-context.ts';
import type { ConformanceSession } from '../runner/conformance-session.ts';
import { type ConformanceTarget, createSuite } from '../runner/conformance-suite.ts';
import { describeRecorded, sameChat } from './outbound-matching.ts';

/** Every case provokes the failure with a text send. */
const needsText = ({ provider }: ConformanceTarget) =>
  supportLevelOf(provider.capabilities.send, 'text') === 'none' ? "capabilities.send.text is 'none'" : undefined;

/** Connects, arms the failure, sends a text; resolves with the rejection, which must be a WechatError. */
async function failedSend(context: ConformanceContext, failure: HarnessFailureV1) {
  const { session: tracked } = await context.startConnected();
  await context.harness.reset();
  await context.harness.failNext(failure);
  const to: ChatRefV1 = { type: 'direct', contactId: context.fixtures.contactId };
  const error = await expectRejection(
    tracked.session.sendMessage({ to, content: { kind: 'text', text: context.unique(`${failure} failure`) } }),
    `sendMessage after failNext('${failure}')`,
  );
  check(
    WechatError.isInstance(error),
    () => `A '${failure}' failure rejected with ${describeValue(error)}, which is not a WechatError`,
  );
  return { tracked, to, error };
}

function checkRetryable(error: WechatError, failure: HarnessFailureV1) {
  check(error.retryable === true, `A '${failure}' failure rejected with ${error.name} [${error.code}] and retryable: false`);
}

function checkStateErrors(tracked: ConformanceSession) {
  for (const change of tracked.stateChanges()) {
    if (change.error !== undefined) {
      check(
        WechatError.isInstance(change.error),
        () => `state-changed to '${change.state}' carries ${describeValue(change.error)}, not a WechatError`,
      );
    }
  }
}

/** How remote failures surface: typed errors, `retryable`, state changes, recovery. */
export const errorsSuite = createSuite('errors', [
  {
    name: 'a network failure rejects with a retryable WechatError',
    notApplicable: needsText,
    run: async context => {
      const { error } = await failedSend(context, 'network');
      checkRetryable(error, 'network');
    },
  },
  {
    name: 'a server failure rejects with a retryable WechatError',
    notApplicable: needsText,
    run: async context => {
      const { error } = await failedSend(context, 'server');
      checkRetryable(error, 'server');
    },
  },
  {
    name: 'rate limiting rejects with WechatRateLimitedError',
    notApplicable: needsText,
    run: async context => {
      const { error } = await failedSend(context, 'rate-limit');
      check(
        WechatRateLimitedError.isInstance(error),
        `Rate limiting rejected with ${describeValue(error)}; expected WechatRateLimitedError`,
      );
      checkRetryable(error, 'rate-limit');
    },
  },
  {
    name: 'an authentication failure rejects with WechatAuthenticationError and changes the state',
    notApplicable: needsText,
    run: async context => {
      const { tracked, error } = await failedSend(context, 'auth');
      check(
        WechatAuthenticationError.isInstance(error),
        `An authentication failure rejected with ${describeValue(error)}; expected WechatAuthenticationError`,
      );
      const state = await tracked.waitForState(
        s => s === 'bad-credentials' || s === 'logged-out',
        context.waitTimeoutMs,
        "a state-changed to 'bad-credentials' or 'logged-out' after an authentication failure",
      );
      const change = tracked.stateChanges().findLast(c => c.state === state);
      check(change !== undefined, `The session is '${state}' but emitted no state-changed to it`);
      checkStateErrors(tracked);
    },
  },
  {
    name: 'recovers after a network failure',
    notApplicable: needsText,
    run: async context => {
      const { tracked, to } = await failedSend(context, 'network');
      // A provider may report the failure as a transient disconnect; it must recover on its own.
      await tracked.waitForState(
        s => s === 'connected',
        context.waitTimeoutMs,
        'the session to be connected again after the failure',
      );
      const text = context.unique('after recovery');
      const result = await tracked.session.sendMessage({ to, content: { kind: 'text', text } });
      check(result.messageId !== '', 'The send after the failure returned no messageId');
      const sent = await context.harness.sent();
      check(
        sent.some(record => record.kind === 'text' && record.text === text && sameChat(record.chat, to)),
        () => `The send after a network failure resolved, but the text did not reach the remote side; ${describeRecorded(sent)}`,
      );
      checkStateErrors(tracked);
    },
  },
]);
