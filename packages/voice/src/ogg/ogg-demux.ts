import { VoiceConversionError } from '../errors.ts';
import { OGG_NO_GRANULE, readOggPages } from './ogg-page.ts';

/** A packet reassembled from one or more pages. */
export interface OggPacket {
  readonly serial: number;
  readonly data: Uint8Array;
  /** The page's granule position if this is the last packet ending on that page, else `-1n` (as in libogg). */
  readonly granulePosition: bigint;
  /** The first packet of its logical bitstream. */
  readonly bos: boolean;
  /** The last packet ending on its logical bitstream's EOS page. */
  readonly eos: boolean;
}

/**
 * Demuxes every logical bitstream of a physical Ogg stream, in page order. Validates each page (capture pattern,
 * CRC), page sequence numbers, and continuation flags. Throws `VoiceConversionError` (`INVALID_OGG`) otherwise.
 */
export function demuxOgg(data: Uint8Array): OggPacket[] {
  const pages = readOggPages(data);
  const streams = new Map<number, { nextSequence: number; pending: Uint8Array[]; ended: boolean; packetCount: number }>();
  const packets: OggPacket[] = [];

  for (const page of pages) {
    let stream = streams.get(page.serial);
    if (stream === undefined) {
      if (!page.bos) throw invalid(`stream ${page.serial} starts without a BOS page`);
      stream = { nextSequence: page.sequence, pending: [], ended: false, packetCount: 0 };
      streams.set(page.serial, stream);
    } else if (page.bos) {
      throw invalid(`stream ${page.serial} has a second BOS page`);
    }
    if (stream.ended) throw invalid(`stream ${page.serial} has pages after its EOS page`);
    if (page.sequence !== stream.nextSequence) {
      throw invalid(`stream ${page.serial} skips from page ${stream.nextSequence} to ${page.sequence} (lost pages)`);
    }
    stream.nextSequence = (page.sequence + 1) >>> 0;
    if (page.continued !== stream.pending.length > 0) {
      throw invalid(
        page.continued
          ? `page ${page.sequence} of stream ${page.serial} continues a packet that was never started`
          : `page ${page.sequence} of stream ${page.serial} drops the unfinished packet of the previous page`,
      );
    }

    const endingPackets: Uint8Array[] = [];
    let offset = 0;
    let start = 0;
    for (const lace of page.segments) {
      offset += lace;
      if (lace < 255) {
        stream.pending.push(page.body.subarray(start, offset));
        endingPackets.push(joinParts(stream.pending));
        stream.pending = [];
        start = offset;
      }
    }
    if (start < offset) stream.pending.push(page.body.subarray(start, offset));

    endingPackets.forEach((packet, index) => {
      const last = index === endingPackets.length - 1;
      packets.push({
        serial: page.serial,
        data: packet,
        granulePosition: last ? page.granulePosition : OGG_NO_GRANULE,
        bos: stream.packetCount === 0,
        eos: last && page.eos,
      });
      stream.packetCount++;
    });
    if (page.eos) {
      if (stream.pending.length > 0) throw invalid(`stream ${page.serial} ends inside a packet`);
      stream.ended = true;
    }
  }
  for (const [serial, stream] of streams) {
    if (stream.pending.length > 0) throw invalid(`stream ${serial} is truncated inside a packet`);
  }
  return packets;
}

function joinParts(parts: readonly Uint8Array[]): Uint8Array {
  if (parts.length === 1) return parts[0]!.slice();
  const out = new Uint8Array(parts.reduce((sum, part) => sum + part.length, 0));
  let offset = 0;
  for (const part of parts) {
    out.set(part, offset);
    offset += part.length;
  }
  return out;
}

function invalid(detail: string): VoiceConversionError {
  return new VoiceConversionError('INVALID_OGG', `Invalid Ogg data: ${detail}.`);
}
