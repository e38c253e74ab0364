import type { OutgoingContentV1, OutgoingMessageKindV1 } from '@wechat/provider-api';
import type { MediaMessageKindV1 } from '../harness/conformance-harness.ts';

export interface SampleMedia {
  readonly data: Uint8Array;
  readonly mimeType: string;
  readonly fileName: string;
  readonly durationMs?: number;
}

// Real (tiny) files where a format is cheap to get right, so simulators that inspect headers accept them.
const png1x1 = Uint8Array.from(
  atob('iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNk+M9QDwADhgGAWjR9awAAAABJRU5ErkJggg=='),
  char => char.charCodeAt(0),
);
const gif1x1 = Uint8Array.from(atob('R0lGODlhAQABAIAAAAAAAP///yH5BAEAAAAALAAAAAABAAEAAAIBRAA7'), char => char.charCodeAt(0));
const oggHeader = new TextEncoder().encode('OggS');
const mp4Header = Uint8Array.from([0, 0, 0, 0x18, ...new TextEncoder().encode('ftypmp42')]);

const mediaBase: Readonly<Record<MediaMessageKindV1, Omit<SampleMedia, 'data'> & { readonly header: Uint8Array }>> = {
  image: { header: png1x1, mimeType: 'image/png', fileName: 'conformance.png' },
  sticker: { header: gif1x1, mimeType: 'image/gif', fileName: 'conformance.gif' },
  file: { header: new Uint8Array(), mimeType: 'text/plain', fileName: 'conformance.txt' },
  voice: { header: oggHeader, mimeType: 'audio/ogg', fileName: 'conformance.ogg', durationMs: 1_000 },
  video: { header: mp4Header, mimeType: 'video/mp4', fileName: 'conformance.mp4', durationMs: 1_000 },
};

/** Media whose bytes end with `label`, so a check can tell this send (or delivery) from any other. */
export function sampleMedia(kind: MediaMessageKindV1, label: string): SampleMedia {
  const { header, ...rest } = mediaBase[kind];
  const tail = new TextEncoder().encode(label);
  const data = new Uint8Array(header.byteLength + tail.byteLength);
  data.set(header);
  data.set(tail, header.byteLength);
  return { ...rest, data };
}

/** A message of each sendable kind, recognisable by `label`. */
export function sampleOutgoingContent(kind: OutgoingMessageKindV1, label: string): OutgoingContentV1 {
  switch (kind) {
    case 'text':
      return { kind, text: label };
    case 'image':
    case 'sticker': {
      const { data, mimeType } = sampleMedia(kind, label);
      return { kind, media: { data, mimeType } };
    }
    case 'file': {
      const { data, mimeType, fileName } = sampleMedia(kind, label);
      return { kind, media: { data, mimeType, fileName } };
    }
    case 'voice': {
      const { data, mimeType } = sampleMedia(kind, label);
      return { kind, media: { data, mimeType }, durationMs: 1_000 };
    }
    case 'video': {
      const { data, mimeType } = sampleMedia(kind, label);
      return { kind, media: { data, mimeType }, durationMs: 1_000 };
    }
    case 'link':
      return { kind, link: { url: `https://example.com/${encodeURIComponent(label)}`, title: label } };
    case 'location':
      return { kind, location: { latitude: 31.2304, longitude: 121.4737, name: label } };
    case 'contact-card':
      return { kind, card: { name: label } };
    case 'mini-program':
      return { kind, miniProgram: { title: label, appId: 'wx0000000000000000' } };
  }
}
