import {
  type ChatRefV1,
  type ContactId,
  chatKey,
  type InboundMessageV1,
  type ProviderEventOfTypeV1,
  type ProviderEventV1,
  type RoomId,
  supportLevelOf,
} from '@wechat/provider-api';
import { type MediaMessageKindV1, mediaMessageKindsV1, type SimulatedInboundKindV1 } from '../harness/conformance-harness.ts';
import { check, describeValue } from '../runner/assertions.ts';
import type { ConformanceContext } from '../runner/conformance-context.ts';
import { type ConformanceCase, createSuite } from '../runner/conformance-suite.ts';
import { bytesEqual, sameChat } from './outbound-matching.ts';
import { sampleMedia } from './sample-content.ts';

/** How long to keep listening for duplicates once every expected message arrived. */
const duplicateWindowMs = 100;

type Received = ProviderEventOfTypeV1<'message-received'>;
const isReceived = (event: ProviderEventV1): event is Received => event.type === 'message-received';

function chatOf(from: ContactId, room: RoomId | undefined): ChatRefV1 {
  return room === undefined ? { type: 'direct', contactId: from } : { type: 'room', roomId: room };
}

function requireSimulation(context: ConformanceContext, feature: SimulatedInboundKindV1 | 'mentions') {
  const reason = context.harness.cannotSimulate?.[feature];
  if (reason !== undefined) context.skip(`the harness cannot simulate ${feature}: ${reason}`);
}

/** Waits for a message from someone else, in `chat`, from `sender`, that arrived after `mark` and passes `extra`. */
async function waitForInbound(
  context: ConformanceContext,
  options: { mark: number; chat: ChatRefV1; sender: ContactId; what: string; extra?: (message: InboundMessageV1) => boolean },
): Promise<InboundMessageV1> {
  const recorded = await context.waitForEvent(
    (event, { index }) =>
      index >= options.mark &&
      isReceived(event) &&
      !event.message.isSelf &&
      event.message.senderId === options.sender &&
      sameChat(event.message.chat, options.chat) &&
      (options.extra?.(event.message) ?? true),
    context.waitTimeoutMs,
    options.what,
  );
  return (recorded.event as Received).message;
}

function checkTextMessage(message: InboundMessageV1, expected: { chat: ChatRefV1; sender: ContactId; text: string }) {
  check(message.isSelf === false, 'A message from a contact arrived with isSelf: true');
  check(
    sameChat(message.chat, expected.chat),
    () => `The message arrived in ${describeValue(message.chat)}, expected ${describeValue(expected.chat)}`,
  );
  check(message.senderId === expected.sender, `The message's senderId is '${message.senderId}', expected '${expected.sender}'`);
  check(
    message.content.kind === 'text' && message.content.text === expected.text,
    () => `The message's content is ${describeValue(message.content)}, expected the text ${JSON.stringify(expected.text)}`,
  );
  check(typeof message.id === 'string' && message.id !== '', 'The message has no id');
  check(Number.isFinite(message.timestamp), `The message's timestamp is ${describeValue(message.timestamp)}`);
}

function receivesText(name: string, inRoom: boolean): ConformanceCase {
  return {
    name,
    notApplicable: ({ provider }) =>
      supportLevelOf(provider.capabilities.receive, 'text') === 'none' ? "capabilities.receive.text is 'none'" : undefined,
    run: async context => {
      await context.startConnected();
      const { fixtures } = context;
      const from = inRoom ? fixtures.roomMemberId : fixtures.contactId;
      const room = inRoom ? fixtures.roomId : undefined;
      const chat = chatOf(from, room);
      const text = context.unique(inRoom ? 'room text' : 'direct text');
      const mark = context.events.length;
      await context.harness.deliver({ kind: 'text', from, text, ...(room === undefined ? {} : { room }) });
      const message = await waitForInbound(context, {
        mark,
        chat,
        sender: from,
        what: `the text ${from} delivered in ${chatKey(chat)}`,
      });
      checkTextMessage(message, { chat, sender: from, text });
    },
  };
}

/** Full: the same kind, and `downloadMedia` returns the delivered bytes. Partial: it arrives, in some form. */
function receivesMedia(kind: MediaMessageKindV1): ConformanceCase {
  return {
    name: `receives ${kind} and downloads it`,
    notApplicable: ({ provider }) =>
      supportLevelOf(provider.capabilities.receive, kind) === 'none' ? `capabilities.receive.${kind} is 'none'` : undefined,
    run: async context => {
      requireSimulation(context, kind);
      const { session: tracked } = await context.startConnected();
      const from = context.fixtures.contactId;
      const chat = chatOf(from, undefined);
      const media = sampleMedia(kind, context.unique(`inbound ${kind}`));
      const mark = context.events.length;
      await context.harness.deliver({ kind, from, ...media });
      const message = await waitForInbound(context, { mark, chat, sender: from, what: `the delivered ${kind}` });
      const level = supportLevelOf(context.provider.capabilities.receive, kind);
      const { content } = message;
      if (level === 'full') check(content.kind === kind, () => `A delivered ${kind} arrived as ${describeValue(content)}`);
      if (!('media' in content)) return;
      const download = await tracked.session.downloadMedia(content.media);
      check(
        download.data instanceof Uint8Array && bytesEqual(download.data, media.data),
        () => `downloadMedia returned ${describeValue(download.data)}, not the ${media.data.byteLength} delivered bytes`,
      );
      check(typeof download.mimeType === 'string' && download.mimeType !== '', 'downloadMedia returned no mimeType');
      if (level === 'full' && content.kind === 'file') {
        check(
          content.fileName === media.fileName,
          `The file arrived named '${content.fileName}', delivered as '${media.fileName}'`,
        );
      }
    },
  };
}

/** Inbound messages, echoes, media downloads, recalls and exactly-once delivery. */
export const inboundSuite = createSuite('inbound', [
  receivesText('receives a direct text', false),
  receivesText('receives a text in a room', true),
  {
    name: 'reports mentions in a room',
    notApplicable: ({ provider }) =>
      supportLevelOf(provider.capabilities.receive, 'text') === 'none' ? "capabilities.receive.text is 'none'" : undefined,
    run: async context => {
      requireSimulation(context, 'mentions');
      const { session: tracked } = await context.startConnected();
      const { roomMemberId: from, roomId: room } = context.fixtures;
      const selfId = await context.selfId(tracked);
      const mark = context.events.length;
      await context.harness.deliver({ kind: 'text', from, room, text: context.unique('mention'), mentions: [selfId] });
      const message = await waitForInbound(context, {
        mark,
        chat: chatOf(from, room),
        sender: from,
        what: 'the delivered mention',
      });
      check(
        message.mentions?.contactIds.includes(selfId) === true,
        () => `A text mentioning '${selfId}' arrived with mentions ${describeValue(message.mentions)}`,
      );
    },
  },
  {
    name: 'echoes sent messages with isSelf: true',
    notApplicable: ({ provider }) =>
      supportLevelOf(provider.capabilities.send, 'text') === 'none' ? "capabilities.send.text is 'none'" : undefined,
    run: async context => {
      const { session: tracked } = await context.startConnected();
      const selfId = await context.selfId(tracked);
      const to: ChatRefV1 = { type: 'direct', contactId: context.fixtures.contactId };
      const text = context.unique('echo');
      const mark = context.events.length;
      await tracked.session.sendMessage({ to, content: { kind: 'text', text } });
      const recorded = await context.waitForEvent(
        (event, { index }) =>
          index >= mark && isReceived(event) && event.message.content.kind === 'text' && event.message.content.text === text,
        context.waitTimeoutMs,
        'the echo of the sent text',
      );
      const { message } = recorded.event as Received;
      check(message.isSelf === true, 'The echo of a sent message arrived with isSelf: false');
      check(message.senderId === selfId, `The echo's senderId is '${message.senderId}', expected the account '${selfId}'`);
      check(
        sameChat(message.chat, to),
        () => `The echo arrived in ${describeValue(message.chat)}, expected ${describeValue(to)}`,
      );
    },
  },
  ...mediaMessageKindsV1.map(receivesMedia),
  {
    name: 'reports recalls',
    notApplicable: ({ provider }) => (provider.capabilities.recall === 'none' ? "capabilities.recall is 'none'" : undefined),
    run: async context => {
      requireSimulation(context, 'recall');
      await context.startConnected();
      const from = context.fixtures.contactId;
      const chat = chatOf(from, undefined);
      let mark = context.events.length;
      await context.harness.deliver({ kind: 'text', from, text: context.unique('to recall') });
      const message = await waitForInbound(context, { mark, chat, sender: from, what: 'the text to recall' });
      mark = context.events.length;
      await context.harness.deliver({ kind: 'recall', from, messageId: message.id });
      const recorded = await context.waitForEvent(
        (event, { index }) => index >= mark && event.type === 'message-recalled',
        context.waitTimeoutMs,
        'message-recalled',
      );
      const recall = recorded.event as ProviderEventOfTypeV1<'message-recalled'>;
      check(
        recall.target.id === message.id,
        `message-recalled names '${recall.target.id}', the recalled message is '${message.id}'`,
      );
      check(sameChat(recall.target.chat, chat), () => `message-recalled names the chat ${describeValue(recall.target.chat)}`);
      check(recall.actorId === from, `message-recalled names the actor '${recall.actorId}', expected '${from}'`);
    },
  },
  {
    name: 'delivers each message exactly once',
    notApplicable: ({ provider }) =>
      supportLevelOf(provider.capabilities.receive, 'text') === 'none' ? "capabilities.receive.text is 'none'" : undefined,
    run: async context => {
      await context.startConnected();
      const { contactId, roomMemberId, roomId } = context.fixtures;
      const deliveries = [
        { from: contactId, text: context.unique('once direct 1') },
        { from: roomMemberId, room: roomId, text: context.unique('once room') },
        { from: contactId, text: context.unique('once direct 2') },
      ];
      const mark = context.events.length;
      for (const delivery of deliveries) await context.harness.deliver({ kind: 'text', ...delivery });
      for (const delivery of deliveries) {
        await waitForInbound(context, {
          mark,
          chat: chatOf(delivery.from, delivery.room),
          sender: delivery.from,
          what: `the text ${JSON.stringify(delivery.text)}`,
          extra: message => message.content.kind === 'text' && message.content.text === delivery.text,
        });
      }
      await context.sleep(duplicateWindowMs);
      for (const delivery of deliveries) {
        const copies = context.events.filter(
          ({ event, index }) =>
            index >= mark &&
            isReceived(event) &&
            event.message.content.kind === 'text' &&
            event.message.content.text === delivery.text,
        );
        check(copies.length === 1, `The text ${JSON.stringify(delivery.text)} arrived ${copies.length} times`);
      }
    },
  },
]);
