import type { InboundContentV1, MediaRefV1, OutgoingContentV1, OutgoingMediaV1 } from '@wechat/provider-api';
import type { RecordedOutboundContentV1 } from '../harness/conformance-harness.ts';

// How a sent message looks on the remote side: in the world's message log (media stored, so it can be downloaded
// and echoed), and in the harness's record of what was sent.

/** The sent content as received messages carry it; `store` keeps the bytes and returns their ref. */
export function toInboundContent(content: OutgoingContentV1, store: (media: OutgoingMediaV1) => MediaRefV1): InboundContentV1 {
  switch (content.kind) {
    case 'text':
    case 'link':
    case 'location':
    case 'contact-card':
    case 'mini-program':
      return content;
    case 'image':
      return {
        kind: 'image',
        media: store(content.media),
        ...(content.width === undefined ? {} : { width: content.width }),
        ...(content.height === undefined ? {} : { height: content.height }),
      };
    case 'voice':
      return { kind: 'voice', media: store(content.media), durationMs: content.durationMs };
    case 'video':
      return {
        kind: 'video',
        media: store(content.media),
        ...(content.durationMs === undefined ? {} : { durationMs: content.durationMs }),
        ...(content.thumbnail === undefined ? {} : { thumbnail: store(content.thumbnail) }),
      };
    case 'file':
      return { kind: 'file', media: store(content.media), fileName: content.media.fileName };
    case 'sticker':
      return { kind: 'sticker', media: store(content.media) };
  }
}

/** The sent content as `sent()` records it (bytes copied, so later changes by the sender do not show). */
export function toRecordedContent(content: OutgoingContentV1): RecordedOutboundContentV1 {
  switch (content.kind) {
    case 'text':
      return { kind: 'text', text: content.text };
    case 'image':
    case 'voice':
    case 'video':
    case 'sticker':
    case 'file': {
      const { data, mimeType, fileName } = content.media;
      return { kind: content.kind, data: new Uint8Array(data), mimeType, ...(fileName === undefined ? {} : { fileName }) };
    }
    case 'link':
      return { kind: 'link', link: content.link };
    case 'location':
      return { kind: 'location', location: content.location };
    case 'contact-card':
      return { kind: 'contact-card', card: content.card };
    case 'mini-program':
      return { kind: 'mini-program', miniProgram: content.miniProgram };
  }
}
