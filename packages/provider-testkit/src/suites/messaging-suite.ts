import {
  type ChatRefV1,
  type OutgoingMessageV1,
  type SendMessageResultV1,
  supportLevelOf,
  type SupportLevelV1,
  WechatUnsupportedCapabilityError,
  type OutgoingMessageKindV1,
  outgoingMessageKindsV1,
} from '@wechat/provider-api';
import type { RecordedOutboundV1 } from '../harness/conformance-harness.ts';
import { check, describeValue, expectRejection, fail } from '../runner/assertions.ts';
import type { ConformanceCase } from '../runner/conformance-suite.ts';
import { createSuite } from '../runner/conformance-suite.ts';
import type { ConformanceContext } from '../runner/conformance-context.ts';
import type { ConformanceSession } from '../runner/conformance-session.ts';
import { describeRecorded, receivedInFull, sameChat } from './outbound-matching.ts';
import { sampleOutgoingContent } from './sample-content.ts';

/** Starts a connected session and forgets whatever connecting sent, so only the case's own sends are recorded. */
async function connected(context: ConformanceContext): Promise<ConformanceSession> {
  const { session } = await context.startConnected();
  await context.harness.reset();
  return session;
}

function checkMessageId(result: SendMessageResultV1, what: string) {
  check(
    typeof result.messageId === 'string' && result.messageId !== '',
    `${what} resolved without a messageId: ${describeValue(result)}`,
  );
  check(Array.isArray(result.warnings), `${what} resolved without a warnings array: ${describeValue(result)}`);
}

async function recordsIn(context: ConformanceContext, chat: ChatRefV1): Promise<readonly RecordedOutboundV1[]> {
  return (await context.harness.sent()).filter(record => sameChat(record.chat, chat));
}

/** `none`: the typed error naming the capability. `partial`: delivered with a warning. `full`: received in full. */
function sendsKind(kind: OutgoingMessageKindV1): ConformanceCase {
  return {
    name: `sends ${kind}`,
    run: async context => {
      const tracked = await connected(context);
      const level = supportLevelOf(context.provider.capabilities.send, kind);
      const to: ChatRefV1 = { type: 'direct', contactId: context.fixtures.contactId };
      const content = sampleOutgoingContent(kind, context.unique(`send ${kind}`));
      const sending = tracked.session.sendMessage({ to, content });
      if (level === 'none') {
        const error = await expectRejection(sending, `sendMessage(${kind}) with capabilities.send.${kind} 'none'`);
        checkUnsupported(error, `send.${kind}`, `sendMessage(${kind})`);
        const sent = await context.harness.sent();
        check(sent.length === 0, () => `sendMessage(${kind}) was refused, yet ${describeRecorded(sent)}`);
        return;
      }
      const result = await sending;
      checkMessageId(result, `sendMessage(${kind})`);
      const records = await recordsIn(context, to);
      if (level === 'partial') {
        check(result.warnings.length > 0, `capabilities.send.${kind} is 'partial', but sendMessage(${kind}) returned no warning`);
        check(
          records.length > 0,
          () =>
            `sendMessage(${kind}) resolved, but nothing reached direct:${context.fixtures.contactId}; ${describeRecorded(records)}`,
        );
        return;
      }
      check(
        records.some(record => receivedInFull(record, content)),
        () =>
          `sendMessage(${kind}) resolved with '${result.messageId}', but the remote side did not receive that ${kind}; ${describeRecorded(records)}`,
      );
    },
  };
}

function checkUnsupported(error: unknown, capability: string, what: string) {
  check(
    WechatUnsupportedCapabilityError.isInstance(error),
    () => `${what} rejected with ${describeValue(error)}; expected WechatUnsupportedCapabilityError`,
  );
  check(
    error.capability === capability,
    `${what}: WechatUnsupportedCapabilityError.capability is '${error.capability}', expected '${capability}'`,
  );
}

/**
 * A send with an extra feature (mentions, a reply) at `level`: `none` refuses it with the typed error or delivers
 * it with an `unsupported` warning; `partial` delivers it with a warning; `full` delivers it and `received` holds.
 */
async function sendWithFeature(
  context: ConformanceContext,
  tracked: ConformanceSession,
  message: OutgoingMessageV1,
  feature: {
    readonly capability: string;
    readonly level: SupportLevelV1;
    readonly received: (record: RecordedOutboundV1) => boolean;
  },
) {
  const what = `sendMessage with ${feature.capability} ('${feature.level}')`;
  const text = message.content.kind === 'text' ? message.content.text : '';
  const delivered = async () => {
    const records = await recordsIn(context, message.to);
    const matching = records.filter(record => record.kind === 'text' && record.text.includes(text));
    check(matching.length > 0, () => `${what} resolved, but the text did not reach the chat; ${describeRecorded(records)}`);
    return matching;
  };
  let result: SendMessageResultV1;
  try {
    result = await tracked.session.sendMessage(message);
  } catch (error) {
    if (feature.level !== 'none') return fail(`${what} rejected with ${describeValue(error)}`, error);
    return checkUnsupported(error, feature.capability, what);
  }
  checkMessageId(result, what);
  if (feature.level === 'none') {
    check(
      result.warnings.some(warning => warning.type === 'unsupported'),
      () =>
        `capabilities.${feature.capability} is 'none': ${what} must reject with WechatUnsupportedCapabilityError or warn 'unsupported'; warnings: ${describeValue(result.warnings)}`,
    );
    await delivered();
    return;
  }
  const matching = await delivered();
  if (feature.level === 'partial') {
    check(result.warnings.length > 0, `capabilities.${feature.capability} is 'partial', but ${what} returned no warning`);
    return;
  }
  check(
    matching.some(feature.received),
    () => `${what}: the remote side received the text without the ${feature.capability}; got ${describeValue(matching)}`,
  );
}

/** Outgoing messages: every kind against its capability, rooms, mentions, replies. */
export const messagingSuite = createSuite('messaging', [
  ...outgoingMessageKindsV1.map(sendsKind),
  {
    name: 'sends a text to a room',
    notApplicable: ({ provider }) =>
      supportLevelOf(provider.capabilities.send, 'text') === 'none' ? "capabilities.send.text is 'none'" : undefined,
    run: async context => {
      const tracked = await connected(context);
      const to: ChatRefV1 = { type: 'room', roomId: context.fixtures.roomId };
      const content = sampleOutgoingContent('text', context.unique('room text'));
      const result = await tracked.session.sendMessage({ to, content });
      checkMessageId(result, 'sendMessage to a room');
      const records = await recordsIn(context, to);
      check(
        records.some(record => receivedInFull(record, content)),
        () => `The room did not receive the text; ${describeRecorded(records)}`,
      );
    },
  },
  {
    name: 'gives every sent message its own id',
    notApplicable: ({ provider }) =>
      supportLevelOf(provider.capabilities.send, 'text') === 'none' ? "capabilities.send.text is 'none'" : undefined,
    run: async context => {
      const tracked = await connected(context);
      const to: ChatRefV1 = { type: 'direct', contactId: context.fixtures.contactId };
      const ids = new Set<string>();
      for (let count = 0; count < 3; count++) {
        const result = await tracked.session.sendMessage({ to, content: { kind: 'text', text: context.unique('id') } });
        ids.add(result.messageId);
      }
      check(ids.size === 3, `Three sends returned ${ids.size} distinct message ids: ${[...ids].join(', ')}`);
    },
  },
  {
    name: 'sends mentions as declared',
    notApplicable: ({ provider }) =>
      supportLevelOf(provider.capabilities.send, 'text') === 'none' ? "capabilities.send.text is 'none'" : undefined,
    run: async context => {
      const tracked = await connected(context);
      const memberId = context.fixtures.roomMemberId;
      await sendWithFeature(
        context,
        tracked,
        {
          to: { type: 'room', roomId: context.fixtures.roomId },
          content: { kind: 'text', text: context.unique('mention') },
          mentions: { contactIds: [memberId] },
        },
        {
          capability: 'mentions',
          level: context.provider.capabilities.mentions,
          received: record => record.mentions?.includes(memberId) === true,
        },
      );
    },
  },
  {
    name: 'sends replies as declared',
    notApplicable: ({ provider }) =>
      supportLevelOf(provider.capabilities.send, 'text') === 'none' ? "capabilities.send.text is 'none'" : undefined,
    run: async context => {
      const tracked = await connected(context);
      const to: ChatRefV1 = { type: 'direct', contactId: context.fixtures.contactId };
      const original = await tracked.session.sendMessage({ to, content: { kind: 'text', text: context.unique('original') } });
      await sendWithFeature(
        context,
        tracked,
        { to, content: { kind: 'text', text: context.unique('reply') }, replyTo: { id: original.messageId, chat: to } },
        {
          capability: 'replies',
          level: context.provider.capabilities.replies,
          received: record => record.replyTo === original.messageId,
        },
      );
    },
  },
]);
