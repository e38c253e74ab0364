import { randomUUID } from 'node:crypto';
import {
  type ChatRefV1,
  type ContactId,
  type InboundContentV1,
  messageId,
  type OutgoingMediaV1,
  type OutgoingMessageV1,
  type ProviderWarningV1,
  type SendMessageResultV1,
  WechatInvalidArgumentError,
  WechatUnsupportedCapabilityError,
} from '@wechat/provider-api';
import type { WecomMediaType } from '../api/media-limits.ts';
import type { WecomApi, WecomMessageBody } from '../api/wecom-api.ts';
import { encodeMediaRef } from '../inbound/media-ref.ts';
import { defaultFileName, isAmr, isWecomImage, isWecomVideo } from './media-types.ts';
import { splitUtf8, truncateUtf8 } from './utf8-text.ts';

/** Text content is limited to 2048 bytes (reference A.2); longer texts go out in several messages. */
const maxTextBytes = 2048;
/** news article limits (wechatpy's docstrings, reference A.2). */
const maxTitleBytes = 128;
const maxDescriptionBytes = 512;
/** Ids of appchat messages: `message/recall` cannot take them back, so they are recognisable. */
export const appchatMessagePrefix = 'appchat:';
/** Ids minted for a direct send WeCom answered without a msgid: nothing to recall with. */
const unrecallablePrefix = 'unrecallable:';
/** Several `msgid`s of one text sent in pieces. */
const pieceSeparator = ',';

export interface OutboundContext {
  readonly api: WecomApi;
  readonly agentId: number;
  readonly providerId: string;
  readonly now: () => number;
  /** A contact's display name for `@name`; falls back to the id. */
  readonly nameOf: (id: ContactId) => Promise<string>;
}

export interface OutboundResult {
  readonly result: SendMessageResultV1;
  /** What the echo (`isSelf: true`) carries. */
  readonly echo: InboundContentV1;
}

interface MediaPlan {
  readonly type: WecomMediaType;
  readonly msgtype: WecomMediaType;
  readonly media: OutgoingMediaV1 & { readonly fileName: string };
  readonly warning?: ProviderWarningV1;
  readonly echoKind: 'image' | 'voice' | 'video' | 'file';
}

/** The msgids of a sent message: what `message/recall` needs. Empty for appchat messages. */
export function recallableMsgids(id: string): string[] {
  if (id.startsWith(appchatMessagePrefix) || id.startsWith(unrecallablePrefix)) return [];
  return id.split(pieceSeparator).filter(part => part !== '');
}

/** Sends one outgoing message: direct chats through `message/send` (`touser`), rooms through `appchat/send`. */
export async function sendOutgoing(message: OutgoingMessageV1, context: OutboundContext): Promise<OutboundResult> {
  const { content } = message;
  const warnings: ProviderWarningV1[] = [];
  if (message.replyTo) {
    warnings.push({
      type: 'unsupported',
      feature: 'replies',
      details: 'WeCom app messages cannot quote; sent without the quote',
    });
  }
  if (message.mentions && content.kind !== 'text') {
    warnings.push({ type: 'unsupported', feature: 'mentions', details: 'mentions are only written into texts' });
  }
  const deliver = (bodies: readonly WecomMessageBody[]) => deliverBodies(message.to, bodies, context);

  switch (content.kind) {
    case 'text': {
      const text = await renderMentions(content.text, message, context, warnings);
      if (text.trim() === '') throw invalid('text', 'WeCom refuses an empty text', context.providerId);
      const pieces = splitUtf8(text, maxTextBytes);
      if (pieces.length > 1) {
        warnings.push({
          type: 'other',
          message: `the text exceeds WeCom's 2048 bytes and was sent in ${pieces.length} messages`,
        });
      }
      const id = await deliver(pieces.map(piece => ({ msgtype: 'text', text: { content: piece } })));
      return { result: result(id, warnings, context), echo: { kind: 'text', text } };
    }
    case 'image':
    case 'sticker':
    case 'voice':
    case 'video':
    case 'file': {
      const plan = planMedia(content);
      if (plan.warning) warnings.push(plan.warning);
      const mediaId = await context.api.uploadMedia(plan.type, plan.media);
      const body: WecomMessageBody = { msgtype: plan.msgtype, [plan.msgtype]: { media_id: mediaId } };
      const id = await deliver([body]);
      return { result: result(id, warnings, context), echo: echoOf(plan, mediaId) };
    }
    case 'link': {
      const title = truncateUtf8(content.link.title, maxTitleBytes);
      const description = truncateUtf8(content.link.description ?? '', maxDescriptionBytes);
      if (title.truncated || description.truncated) {
        warnings.push({ type: 'other', message: 'the link title or description was shortened to WeCom’s limits' });
      }
      const article = {
        title: title.text,
        url: content.link.url,
        ...(description.text === '' ? {} : { description: description.text }),
        ...(content.link.thumbnailUrl ? { picurl: content.link.thumbnailUrl } : {}),
      };
      const id = await deliver([{ msgtype: 'news', news: { articles: [article] } }]);
      return { result: result(id, warnings, context), echo: { kind: 'link', link: content.link } };
    }
    default:
      throw new WechatUnsupportedCapabilityError({ capability: `send.${content.kind}`, providerId: context.providerId });
  }
}

async function deliverBodies(to: ChatRefV1, bodies: readonly WecomMessageBody[], context: OutboundContext): Promise<string> {
  const msgids: string[] = [];
  for (const body of bodies) {
    const sent =
      to.type === 'direct'
        ? await context.api.sendMessage(to.contactId, context.agentId, body)
        : await context.api.sendToAppchat(to.roomId, body);
    if (sent.msgid) msgids.push(sent.msgid);
  }
  // appchat/send answers without a msgid (doc 90248), and its messages cannot be recalled anyway.
  if (to.type === 'room') return `${appchatMessagePrefix}${randomUUID()}`;
  return msgids.length === 0 ? `${unrecallablePrefix}${randomUUID()}` : msgids.join(pieceSeparator);
}

/**
 * App messages cannot @-mention anyone (the API has no mention field). In an app group chat the names are
 * written as `@name` text, which reads like a mention but notifies no one; in a direct chat they are left out.
 */
async function renderMentions(
  text: string,
  message: OutgoingMessageV1,
  context: OutboundContext,
  warnings: ProviderWarningV1[],
): Promise<string> {
  const mentions = message.mentions;
  if (!mentions || (mentions.contactIds.length === 0 && !mentions.all)) return text;
  if (message.to.type === 'direct') {
    warnings.push({ type: 'unsupported', feature: 'mentions', details: 'WeCom app messages cannot mention anyone' });
    return text;
  }
  const names = await Promise.all(mentions.contactIds.map(id => context.nameOf(id)));
  const prefix = [...(mentions.all ? ['@all'] : []), ...names.map(name => `@${name}`)].join(' ');
  warnings.push({
    type: 'compatibility',
    feature: 'mentions',
    details: 'written as @name text: WeCom app group chats cannot mention, so no one is notified',
  });
  return `${prefix} ${text}`;
}

function planMedia(content: Extract<OutgoingMessageV1['content'], { media: OutgoingMediaV1 }>): MediaPlan {
  const { media } = content;
  const named = { ...media, fileName: media.fileName ?? defaultFileName(content.kind, media.mimeType) };
  const asFile = (feature: string, details: string): MediaPlan => ({
    type: 'file',
    msgtype: 'file',
    media: named,
    echoKind: 'file',
    warning: { type: 'compatibility', feature, details },
  });
  switch (content.kind) {
    case 'image':
      if (isWecomImage(media.mimeType)) return { type: 'image', msgtype: 'image', media: named, echoKind: 'image' };
      return asFile('send.image', `WeCom images must be JPG or PNG; this ${media.mimeType} image was sent as a file`);
    case 'sticker':
      if (isWecomImage(media.mimeType)) {
        return {
          type: 'image',
          msgtype: 'image',
          media: named,
          echoKind: 'image',
          warning: { type: 'compatibility', feature: 'send.sticker', details: 'WeCom has no stickers; sent as an image' },
        };
      }
      return asFile(
        'send.sticker',
        `WeCom has no stickers and takes JPG or PNG images only; this ${media.mimeType} was sent as a file`,
      );
    case 'voice':
      if (isAmr(media.data)) {
        return { type: 'voice', msgtype: 'voice', media: { ...named, mimeType: 'audio/amr' }, echoKind: 'voice' };
      }
      return asFile('send.voice', 'WeCom plays AMR voice only and this provider cannot encode AMR; sent as a file');
    case 'video':
      if (isWecomVideo(media.mimeType)) return { type: 'video', msgtype: 'video', media: named, echoKind: 'video' };
      return asFile('send.video', `WeCom videos must be MP4; this ${media.mimeType} video was sent as a file`);
    case 'file':
      return { type: 'file', msgtype: 'file', media: named, echoKind: 'file' };
  }
}

function echoOf(plan: MediaPlan, mediaId: string): InboundContentV1 {
  const media = {
    ref: encodeMediaRef({ mediaId }),
    mimeType: plan.media.mimeType,
    fileName: plan.media.fileName,
    size: plan.media.data.byteLength,
  };
  switch (plan.echoKind) {
    case 'image':
      return { kind: 'image', media };
    case 'voice':
      return { kind: 'voice', media, durationMs: 0 };
    case 'video':
      return { kind: 'video', media };
    case 'file':
      return { kind: 'file', media, fileName: plan.media.fileName };
  }
}

function result(id: string, warnings: readonly ProviderWarningV1[], context: OutboundContext): SendMessageResultV1 {
  return { messageId: messageId(id), timestamp: context.now(), warnings };
}

function invalid(argument: string, message: string, providerId: string): WechatInvalidArgumentError {
  return new WechatInvalidArgumentError({ argument, message, providerId });
}
