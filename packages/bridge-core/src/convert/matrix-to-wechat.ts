import type { ContactId, OutgoingContentV1 } from '@wechat/provider-api';

/** What the bridge needs to turn a Matrix message into a WeChat send. */
export interface OutboundConversionContext {
  /** Downloads Matrix media, refusing what exceeds `bridge.media.max_file_size`. */
  readonly download: (mxcUri: string) => Promise<{ data: Uint8Array; mimeType: string }>;
  /** The WeChat contact behind a mentioned Matrix user, when it is one of our ghosts. */
  readonly contactOf: (userId: string) => ContactId | undefined;
}

export type OutboundConversion =
  | { readonly ok: true; readonly content: OutgoingContentV1; readonly mentions: readonly ContactId[] }
  | { readonly ok: false; readonly reason: string };

/** Removes the quoted fallback that Matrix clients put in front of a reply (spec: "Fallbacks for rich replies"). */
export function stripReplyFallback(body: string): string {
  const lines = body.split('\n');
  let index = 0;
  while (index < lines.length && lines[index]?.startsWith('>')) index++;
  if (index === 0) return body;
  if (lines[index] === '') index++;
  return lines.slice(index).join('\n');
}

/** Converts a Matrix `m.room.message` (or `m.sticker`) into WeChat content. */
export async function convertOutboundMessage(
  type: string,
  content: Record<string, unknown>,
  context: OutboundConversionContext,
): Promise<OutboundConversion> {
  const body = typeof content.body === 'string' ? content.body : '';
  const mentions = mentionedContacts(content, context);
  const isReply = typeof (content['m.relates_to'] as { 'm.in_reply_to'?: unknown } | undefined)?.['m.in_reply_to'] === 'object';
  const text = isReply ? stripReplyFallback(body) : body;
  if (type === 'm.sticker') return media('sticker', content, context, mentions);
  switch (content.msgtype) {
    case 'm.text':
    case 'm.notice':
      if (text.trim() === '') return { ok: false, reason: 'the message is empty' };
      return { ok: true, content: { kind: 'text', text }, mentions };
    case 'm.emote':
      return { ok: true, content: { kind: 'text', text: `* ${text}` }, mentions };
    case 'm.image':
      return media('image', content, context, mentions);
    case 'm.video':
      return media('video', content, context, mentions);
    case 'm.file':
      return media('file', content, context, mentions);
    case 'm.audio':
      return media(content['org.matrix.msc3245.voice'] === undefined ? 'file' : 'voice', content, context, mentions);
    case 'm.location': {
      const match = /^geo:(-?\d+(?:\.\d+)?),(-?\d+(?:\.\d+)?)/.exec(String(content.geo_uri ?? ''));
      if (!match) return { ok: false, reason: 'the location has no valid geo: URI' };
      return {
        ok: true,
        content: { kind: 'location', location: { latitude: Number(match[1]), longitude: Number(match[2]), name: body } },
        mentions,
      };
    }
    default:
      return { ok: false, reason: `messages of type ${String(content.msgtype)} cannot be sent to WeChat` };
  }
}

async function media(
  kind: 'image' | 'video' | 'file' | 'voice' | 'sticker',
  content: Record<string, unknown>,
  context: OutboundConversionContext,
  mentions: readonly ContactId[],
): Promise<OutboundConversion> {
  const url = content.url;
  if (typeof url !== 'string') {
    return { ok: false, reason: 'encrypted or missing attachments cannot be sent to WeChat' };
  }
  const downloaded = await context.download(url);
  const info = (content.info ?? {}) as { mimetype?: string; duration?: number; w?: number; h?: number };
  const mimeType = info.mimetype ?? downloaded.mimeType;
  const fileName =
    typeof content.filename === 'string' ? content.filename : typeof content.body === 'string' ? content.body : 'file';
  const outgoing = { data: downloaded.data, mimeType, fileName };
  switch (kind) {
    case 'image':
      return {
        ok: true,
        content: { kind, media: outgoing, ...(info.w ? { width: info.w } : {}), ...(info.h ? { height: info.h } : {}) },
        mentions,
      };
    case 'voice':
      return { ok: true, content: { kind, media: outgoing, durationMs: info.duration ?? 0 }, mentions };
    case 'video':
      return { ok: true, content: { kind, media: outgoing, ...(info.duration ? { durationMs: info.duration } : {}) }, mentions };
    case 'file':
      return { ok: true, content: { kind, media: outgoing }, mentions };
    case 'sticker':
      return { ok: true, content: { kind, media: outgoing }, mentions };
  }
}

function mentionedContacts(content: Record<string, unknown>, context: OutboundConversionContext): ContactId[] {
  const userIds = (content['m.mentions'] as { user_ids?: unknown } | undefined)?.user_ids;
  if (!Array.isArray(userIds)) return [];
  return userIds.flatMap(userId => {
    const contact = typeof userId === 'string' ? context.contactOf(userId) : undefined;
    return contact === undefined ? [] : [contact];
  });
}
