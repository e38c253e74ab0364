import { VoiceConversionError } from '../errors.ts';
import { ascii, startsWith } from './magic.ts';

const MAGIC = 'OpusTags';

/** The Ogg Opus comment header (RFC 7845 §5.2): a vendor string and `NAME=value` comments, all UTF-8. */
export interface OpusTags {
  readonly vendor: string;
  readonly comments: readonly string[];
}

/** Serialises an `OpusTags` packet. */
export function writeOpusTags(tags: OpusTags): Uint8Array {
  const encoder = new TextEncoder();
  const vendor = encoder.encode(tags.vendor);
  const comments = tags.comments.map(comment => encoder.encode(comment));
  const length = 8 + 4 + vendor.length + 4 + comments.reduce((sum, comment) => sum + 4 + comment.length, 0);
  const bytes = new Uint8Array(length);
  const view = new DataView(bytes.buffer);
  bytes.set(ascii(MAGIC), 0);
  let offset = 8;
  view.setUint32(offset, vendor.length, true);
  bytes.set(vendor, offset + 4);
  offset += 4 + vendor.length;
  view.setUint32(offset, comments.length, true);
  offset += 4;
  for (const comment of comments) {
    view.setUint32(offset, comment.length, true);
    bytes.set(comment, offset + 4);
    offset += 4 + comment.length;
  }
  return bytes;
}

/** Whether a packet starts with the `OpusTags` magic. */
export function isOpusTags(packet: Uint8Array): boolean {
  return startsWith(packet, MAGIC);
}

/** Parses an `OpusTags` packet. Throws `VoiceConversionError` (`INVALID_OGG`) if it is malformed. */
export function parseOpusTags(packet: Uint8Array): OpusTags {
  if (!isOpusTags(packet)) throw invalid('the second packet is not an OpusTags header');
  const view = new DataView(packet.buffer, packet.byteOffset, packet.byteLength);
  const decoder = new TextDecoder('utf-8', { fatal: false });
  let offset = 8;
  const readString = (what: string): string => {
    if (offset + 4 > packet.length) throw invalid(`the OpusTags ${what} length is truncated`);
    const length = view.getUint32(offset, true);
    offset += 4;
    if (length > packet.length - offset) throw invalid(`the OpusTags ${what} runs past the end of the packet`);
    const text = decoder.decode(packet.subarray(offset, offset + length));
    offset += length;
    return text;
  };
  const vendor = readString('vendor string');
  if (offset + 4 > packet.length) throw invalid('the OpusTags comment count is truncated');
  const count = view.getUint32(offset, true);
  offset += 4;
  // Each comment needs at least its 4-byte length, so a larger count is corrupt (and must not drive a huge loop).
  if (count > (packet.length - offset) / 4) throw invalid(`the OpusTags header claims ${count} comments`);
  const comments: string[] = [];
  for (let index = 0; index < count; index++) comments.push(readString(`comment ${index}`));
  return { vendor, comments };
}

function invalid(detail: string): VoiceConversionError {
  return new VoiceConversionError('INVALID_OGG', `Invalid Ogg Opus data: ${detail}.`);
}
