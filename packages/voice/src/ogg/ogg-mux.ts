import { OGG_MAX_SEGMENTS, OGG_NO_GRANULE, type OggPage, writeOggPage } from './ogg-page.ts';

/** A packet to place in a logical bitstream. */
export interface OggPacketInput {
  readonly data: Uint8Array;
  /** Granule position after this packet; written on the page where the packet ends, if it is the last to end there. */
  readonly granulePosition: bigint;
  /** End the page after this packet, so the next packet starts a fresh page (Ogg Opus needs this after each header). */
  readonly flushPage?: boolean;
}

export interface OggMuxOptions {
  /** Logical bitstream serial number (unsigned 32-bit). */
  readonly serial: number;
  /** Start a new page once a page body reaches this many bytes at a packet boundary. Default 4096. */
  readonly targetPageBytes?: number;
}

/**
 * Muxes one logical bitstream: the first page is flagged BOS and the last EOS, packets longer than a page
 * span pages (continued flag), and a packet whose length is a multiple of 255 gets its terminating 0 lace.
 * Returns an empty array for no packets.
 */
export function muxOggPackets(packets: readonly OggPacketInput[], options: OggMuxOptions): Uint8Array {
  const targetPageBytes = options.targetPageBytes ?? 4096;
  const drafts: Omit<OggPage, 'bos' | 'eos' | 'serial' | 'sequence'>[] = [];

  let segments: number[] = [];
  let chunks: Uint8Array[] = [];
  let bodyBytes = 0;
  let continued = false;
  let granulePosition = OGG_NO_GRANULE;

  const emitPage = (nextContinued: boolean) => {
    drafts.push({ continued, granulePosition, segments, body: concat(chunks, bodyBytes) });
    segments = [];
    chunks = [];
    bodyBytes = 0;
    continued = nextContinued;
    granulePosition = OGG_NO_GRANULE;
  };

  for (const packet of packets) {
    const { data } = packet;
    const laceCount = Math.floor(data.length / 255) + 1;
    let offset = 0;
    for (let lace = 0; lace < laceCount; lace++) {
      if (segments.length === OGG_MAX_SEGMENTS) emitPage(true);
      const size = lace < laceCount - 1 ? 255 : data.length % 255;
      segments.push(size);
      chunks.push(data.subarray(offset, offset + size));
      bodyBytes += size;
      offset += size;
    }
    granulePosition = packet.granulePosition;
    if (packet.flushPage === true || bodyBytes >= targetPageBytes) emitPage(false);
  }
  if (segments.length > 0) emitPage(false);

  const pages = drafts.map((draft, index) =>
    writeOggPage({ ...draft, bos: index === 0, eos: index === drafts.length - 1, serial: options.serial, sequence: index }),
  );
  return concat(
    pages,
    pages.reduce((sum, page) => sum + page.length, 0),
  );
}

function concat(parts: readonly Uint8Array[], totalLength: number): Uint8Array {
  const out = new Uint8Array(totalLength);
  let offset = 0;
  for (const part of parts) {
    out.set(part, offset);
    offset += part.length;
  }
  return out;
}
