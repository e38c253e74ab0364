import type { MediaRefV1 } from '@wechat/provider-api';
import { GeweCallbackError } from './gewe-callback-error.ts';

/** What a later `downloadMedia` needs to fetch one piece of media (reference B.4). */
export type GeweMediaSource =
  /** `downloadImage {xml, type}`, HD first, then normal, then thumbnail. */
  | { readonly source: 'image'; readonly xml: string }
  /** `downloadVoice {xml, msgId}` (the 32-bit MsgId), unless the callback carried the SILK bytes inline. */
  | { readonly source: 'voice'; readonly xml: string; readonly msgId: string; readonly silkBase64?: string }
  | { readonly source: 'video'; readonly xml: string }
  | { readonly source: 'file'; readonly xml: string }
  /** `downloadEmojiMd5 {emojiMd5}`, or the emoji's plain `cdnurl` (reference D.3). */
  | { readonly source: 'emoji'; readonly md5: string; readonly cdnUrl?: string }
  /** A plain URL, such as an avatar. */
  | { readonly source: 'url'; readonly url: string };

export interface MediaRefMeta {
  readonly mimeType?: string;
  readonly fileName?: string;
  readonly size?: number;
}

/** Marks refs as ours, and versions the layout so a later change can still read persisted refs. */
const refKind = 'gewe-media';
const refVersion = 1;

/** Packs a source into a `MediaRefV1`: the ref is a JSON string, so hosts can persist it across restarts. */
export function encodeMediaRef(source: GeweMediaSource, meta: MediaRefMeta): MediaRefV1 {
  return {
    ref: JSON.stringify({ kind: refKind, v: refVersion, ...source }),
    ...(meta.mimeType === undefined ? {} : { mimeType: meta.mimeType }),
    ...(meta.fileName === undefined ? {} : { fileName: meta.fileName }),
    ...(meta.size === undefined ? {} : { size: meta.size }),
  };
}

/** Unpacks `encodeMediaRef`. Throws `GeweCallbackError` for refs this package did not mint. */
export function decodeMediaRef(media: MediaRefV1): GeweMediaSource {
  let value: unknown;
  try {
    value = JSON.parse(media.ref);
  } catch (error) {
    throw foreign('it is not JSON', error);
  }
  if (typeof value !== 'object' || value === null) throw foreign('it is not an object');
  const record = value as Readonly<Record<string, unknown>>;
  if (record.kind !== refKind || record.v !== refVersion) throw foreign('it is not a GeWeChat media ref of this version');
  const text = (name: string): string | undefined => {
    const item = record[name];
    return typeof item === 'string' && item !== '' ? item : undefined;
  };
  const required = (name: string): string => {
    const item = text(name);
    if (item === undefined) throw foreign(`its ${name} is missing`);
    return item;
  };
  switch (record.source) {
    case 'image':
    case 'video':
    case 'file':
      return { source: record.source, xml: required('xml') };
    case 'voice': {
      const silkBase64 = text('silkBase64');
      return {
        source: 'voice',
        xml: required('xml'),
        msgId: typeof record.msgId === 'string' ? record.msgId : '',
        ...(silkBase64 === undefined ? {} : { silkBase64 }),
      };
    }
    case 'emoji': {
      const cdnUrl = text('cdnUrl');
      return { source: 'emoji', md5: required('md5'), ...(cdnUrl === undefined ? {} : { cdnUrl }) };
    }
    case 'url':
      return { source: 'url', url: required('url') };
    default:
      throw foreign('its source is unknown');
  }
}

const foreign = (why: string, cause?: unknown): GeweCallbackError =>
  new GeweCallbackError('foreign-media-ref', `Not a media ref of the GeWeChat provider: ${why}.`, { cause });
