import { contactId, type InboundContentV1 } from '@wechat/provider-api';
import { encodeMediaRef } from './media-ref.ts';
import type { GeweAddMsgData } from './parse-callback.ts';
import { at, attr, parseXml, positiveAttr } from './xml.ts';

const unreadable = (what: string): InboundContentV1 => ({ kind: 'unsupported', description: `${what} that could not be read` });

/**
 * MsgType 3: `<msg><img aeskey cdnmidimgurl length md5 cdnhdwidth cdnhdheight …/></msg>`. The size is left
 * out: which of HD, normal or thumbnail the download ends up with is only known then.
 */
export function imageContent(body: string): InboundContentV1 {
  const img = at(parseXml(body), 'msg', 'img');
  if (img === undefined) return unreadable('An image');
  const width = positiveAttr(img, 'cdnhdwidth') ?? positiveAttr(img, 'cdnmidwidth');
  const height = positiveAttr(img, 'cdnhdheight') ?? positiveAttr(img, 'cdnmidheight');
  return {
    kind: 'image',
    media: encodeMediaRef({ source: 'image', xml: body }, { mimeType: 'image/jpeg' }),
    ...(width === undefined || height === undefined ? {} : { width, height }),
  };
}

/**
 * MsgType 34: `<msg><voicemsg voicelength(ms) length(bytes) voiceformat aeskey voiceurl bufid …/></msg>`. The
 * SILK bytes sometimes come inline in `ImgBuf`; the downloader converts them to Ogg Opus, hence the type.
 */
export function voiceContent(body: string, data: GeweAddMsgData): InboundContentV1 {
  const voice = at(parseXml(body), 'msg', 'voicemsg');
  if (voice === undefined) return unreadable('A voice message');
  const silkBase64 = data.imgBuf?.base64;
  return {
    kind: 'voice',
    media: encodeMediaRef(
      { source: 'voice', xml: body, msgId: data.msgId, ...(silkBase64 ? { silkBase64 } : {}) },
      { mimeType: 'audio/ogg' },
    ),
    durationMs: Math.round(positiveAttr(voice, 'voicelength') ?? 0),
  };
}

/** MsgType 43 (and 62, short video): `<msg><videomsg aeskey cdnvideourl length playlength(s) md5 …/></msg>`. */
export function videoContent(body: string): InboundContentV1 {
  const video = at(parseXml(body), 'msg', 'videomsg');
  if (video === undefined) return unreadable('A video');
  const seconds = positiveAttr(video, 'playlength');
  const size = positiveAttr(video, 'length');
  return {
    kind: 'video',
    media: encodeMediaRef({ source: 'video', xml: body }, { mimeType: 'video/mp4', ...(size === undefined ? {} : { size }) }),
    ...(seconds === undefined ? {} : { durationMs: Math.round(seconds * 1000) }),
  };
}

/**
 * MsgType 47: `<msg><emoji md5 len cdnurl …/></msg>` (reference D.3). No type is claimed: stickers are GIF,
 * PNG or JPEG, and the downloader sniffs them.
 */
export function stickerContent(body: string): InboundContentV1 {
  const emoji = at(parseXml(body), 'msg', 'emoji');
  const md5 = attr(emoji, 'md5');
  const cdnUrl = attr(emoji, 'cdnurl');
  if (md5 === undefined && cdnUrl === undefined) return unreadable('A sticker');
  const size = positiveAttr(emoji, 'len');
  const description = attr(emoji, 'desc');
  const source =
    md5 === undefined
      ? ({ source: 'url', url: cdnUrl ?? '' } as const)
      : ({ source: 'emoji', md5, ...(cdnUrl === undefined ? {} : { cdnUrl }) } as const);
  return {
    kind: 'sticker',
    media: encodeMediaRef(source, size === undefined ? {} : { size }),
    ...(description === undefined ? {} : { description }),
  };
}

/** MsgType 48: `<msg><location x(lat) y(lng) scale label(address) poiname(name) …/></msg>`. */
export function locationContent(body: string): InboundContentV1 {
  const location = at(parseXml(body), 'msg', 'location');
  const latitude = Number(attr(location, 'x') ?? Number.NaN);
  const longitude = Number(attr(location, 'y') ?? Number.NaN);
  if (!Number.isFinite(latitude) || !Number.isFinite(longitude)) return unreadable('A location');
  const name = attr(location, 'poiname');
  const address = attr(location, 'label');
  return {
    kind: 'location',
    location: {
      latitude,
      longitude,
      ...(name === undefined ? {} : { name }),
      ...(address === undefined ? {} : { address }),
    },
  };
}

/**
 * MsgType 42: `<msg username nickname alias bigheadimgurl smallheadimgurl antispamticket …/>`. The username
 * is a wxid for the account's friends but a `v3_…@stranger` ticket otherwise, which is no contact id.
 */
export function contactCardContent(body: string): InboundContentV1 {
  const msg = parseXml(body)?.msg;
  const username = attr(msg, 'username');
  const nickname = attr(msg, 'nickname');
  const alias = attr(msg, 'alias');
  const avatarUrl = attr(msg, 'bigheadimgurl') ?? attr(msg, 'smallheadimgurl');
  const name = nickname ?? alias ?? username;
  if (name === undefined) return unreadable('A contact card');
  const addressable = username !== undefined && !username.startsWith('v3_') && !username.endsWith('@stranger');
  return {
    kind: 'contact-card',
    card: {
      name,
      ...(addressable ? { contactId: contactId(username) } : {}),
      ...(alias === undefined ? {} : { alias }),
      ...(avatarUrl === undefined ? {} : { avatarUrl }),
    },
  };
}
