import { type ChatRefV1, outgoingMessageKindsV1, supportLevelOf } from '@wechat/provider-api';
import { harnessFailuresV1 } from '../harness/conformance-harness.ts';
import { check, describeValue } from '../runner/assertions.ts';
import type { ConformanceContext } from '../runner/conformance-context.ts';
import { describeEvent } from '../runner/event-log.ts';
import { createSuite } from '../runner/conformance-suite.ts';
import { findSecretLeaks } from '../runner/secrets.ts';
import { flushMacrotasks } from '../runner/timing.ts';
import { sampleMedia, sampleOutgoingContent } from './sample-content.ts';

/** How long a stopped session gets to misbehave (a timer, a socket callback) before the kit looks again. */
const lateEmitWindowMs = 50;
/** How long inbound deliveries get to arrive during the scenario; the scenario judges no results. */
const deliveryWindowMs = 20;

/**
 * Other suites judge results; hygiene only watches side effects. So the scenario ignores what each operation
 * returns or throws, and a provider with a broken send still gets its logs and emits checked.
 */
async function attempt(operation: () => unknown): Promise<void> {
  try {
    await operation();
  } catch {
    // Judged by the messaging, inbound and errors suites.
  }
}

/** Drives a session through most of what a provider does, so its logs and emits can be inspected afterwards. */
async function exerciseSession(context: ConformanceContext): Promise<void> {
  const { harness, provider } = context;
  const { contactId, roomId, roomMemberId } = context.fixtures;
  const { session: tracked } = await context.startConnected();
  const { session } = tracked;
  const direct: ChatRefV1 = { type: 'direct', contactId };
  for (const kind of outgoingMessageKindsV1.filter(kind => supportLevelOf(provider.capabilities.send, kind) !== 'none')) {
    await attempt(() =>
      session.sendMessage({ to: direct, content: sampleOutgoingContent(kind, context.unique(`hygiene ${kind}`)) }),
    );
  }
  await attempt(() => harness.deliver({ kind: 'text', from: contactId, text: context.unique('hygiene inbound') }));
  await attempt(() => harness.deliver({ kind: 'text', from: roomMemberId, room: roomId, text: context.unique('hygiene room') }));
  if (supportLevelOf(provider.capabilities.receive, 'image') !== 'none' && harness.cannotSimulate?.image === undefined) {
    await attempt(() =>
      harness.deliver({ kind: 'image', from: contactId, ...sampleMedia('image', context.unique('hygiene image')) }),
    );
  }
  await context.sleep(deliveryWindowMs);
  for (const { event } of context.events) {
    if (event.type === 'message-received' && 'media' in event.message.content) {
      const { media } = event.message.content;
      await attempt(() => session.downloadMedia(media));
    }
  }
  await attempt(() => session.getSelf());
  await attempt(() => session.getContact(contactId));
  await attempt(() => session.getRoom(roomId));
  await attempt(() => session.listRoomMembers(roomId));
  // Authentication last: it may end the login.
  for (const failure of [...harnessFailuresV1.filter(f => f !== 'auth'), 'auth' as const]) {
    await attempt(() => harness.failNext(failure));
    await attempt(() =>
      session.sendMessage({ to: direct, content: { kind: 'text', text: context.unique(`hygiene ${failure}`) } }),
    );
  }
  await tracked.stop();
  // A second session covers reconnecting (or logging in again) and logging out.
  await attempt(async () => {
    const { session: second } = await context.startConnected();
    await attempt(() => second.session.logout());
    await second.stop();
  });
}

function checkNoLateEvents(context: ConformanceContext, when: string) {
  const late = context.events.filter(recorded => recorded.afterStop);
  check(late.length === 0, () => `${when}, the session emitted: ${late.map(({ event }) => describeEvent(event)).join(', ')}`);
}

/** Side effects: emits after stop, unhandled rejections, secrets in logs. */
export const hygieneSuite = createSuite('hygiene', [
  {
    name: 'emits nothing after stop() resolves',
    run: async context => {
      const { contactId } = context.fixtures;
      const { session: tracked } = await context.startConnected();
      await attempt(() =>
        tracked.session.sendMessage({
          to: { type: 'direct', contactId },
          content: { kind: 'text', text: context.unique('before stop') },
        }),
      );
      await attempt(() =>
        context.harness.deliver({ kind: 'text', from: contactId, text: context.unique('before stop inbound') }),
      );
      await tracked.stop();
      await context.sleep(lateEmitWindowMs);
      checkNoLateEvents(context, `Within ${lateEmitWindowMs} ms after stop() resolved`);
      // The remote side does not know the session stopped; what it sends now must not come out of emit.
      await attempt(() => context.harness.deliver({ kind: 'text', from: contactId, text: context.unique('after stop') }));
      await context.sleep(lateEmitWindowMs);
      checkNoLateEvents(context, 'After the remote side delivered a message to the stopped session');
    },
  },
  {
    name: 'emits nothing after stop() while a login is pending',
    notApplicable: ({ provider }) =>
      provider.capabilities.login === 'interactive' ? undefined : "capabilities.login is 'credentials': no login can be pending",
    run: async context => {
      const tracked = context.openSession();
      await tracked.start();
      const state = await tracked.waitForState(
        s => s === 'awaiting-login' || s === 'connected',
        context.waitTimeoutMs,
        'the session to ask for a login',
      );
      if (state !== 'awaiting-login')
        context.skip('a fresh session connected without a login, so no login could be left pending');
      const login = tracked.session.login;
      check(typeof login === 'function', 'The session is awaiting-login but has no login() method');
      const loginProcess = await login.call(tracked.session);
      await loginProcess.start();
      await tracked.stop();
      await context.sleep(lateEmitWindowMs);
      checkNoLateEvents(context, `Within ${lateEmitWindowMs} ms after stop() resolved during a login`);
    },
  },
  {
    name: 'never logs a secret',
    run: async context => {
      if (context.secrets.length === 0) {
        context.skip('no secrets to look for: harness.config has no secret-looking keys and options.secrets is empty');
      }
      await exerciseSession(context);
      const leaks = findSecretLeaks(context.logs, context.secrets);
      check(leaks.length === 0, () =>
        leaks
          .map(
            ({ entry, secretHint }) =>
              `the secret ${secretHint} appears in the ${entry.level} entry ${JSON.stringify(entry.message)}`,
          )
          .join('; '),
      );
    },
  },
  {
    name: 'causes no unhandled rejections',
    run: async context => {
      await exerciseSession(context);
      await flushMacrotasks();
      check(
        context.unhandledRejections.length === 0,
        () => `Unhandled rejections: ${context.unhandledRejections.map(describeValue).join('; ')}`,
      );
    },
  },
]);
