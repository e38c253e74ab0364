import { VoiceConversionError } from '../errors.ts';
import { oggCrc32 } from './crc32.ts';

/** Header type flags of an Ogg page (RFC 3533 §6, byte 5). */
export const OGG_FLAG_CONTINUED = 0x01;
export const OGG_FLAG_BOS = 0x02;
export const OGG_FLAG_EOS = 0x04;

/** The granule position of a page on which no packet ends. */
export const OGG_NO_GRANULE = -1n;

/** Capture pattern + version + flags + granule + serial + sequence + CRC + segment count. */
export const OGG_PAGE_HEADER_BYTES = 27;
/** A page holds at most 255 lacing values of at most 255 bytes each. */
export const OGG_MAX_SEGMENTS = 255;

const CAPTURE_PATTERN = [0x4f, 0x67, 0x67, 0x53]; // "OggS"

/** One Ogg page, decoded. */
export interface OggPage {
  /** The first packet on this page continues a packet begun on the previous page. */
  readonly continued: boolean;
  /** Beginning of stream: the first page of a logical bitstream. */
  readonly bos: boolean;
  /** End of stream: the last page of a logical bitstream. */
  readonly eos: boolean;
  /** Codec-defined position of the last packet that ends on this page; `-1n` when none ends here. */
  readonly granulePosition: bigint;
  /** Logical bitstream serial number (unsigned 32-bit). */
  readonly serial: number;
  /** Page sequence number within the logical bitstream (unsigned 32-bit). */
  readonly sequence: number;
  /** The lacing values (segment table). A value below 255 ends a packet. */
  readonly segments: readonly number[];
  /** The page body: the concatenated segments. */
  readonly body: Uint8Array;
}

/** Serialises one page, computing its CRC. Throws `RangeError` for a segment table that does not match the body. */
export function writeOggPage(page: OggPage): Uint8Array {
  const { segments, body } = page;
  if (segments.length > OGG_MAX_SEGMENTS) {
    throw new RangeError(`An Ogg page holds at most ${OGG_MAX_SEGMENTS} segments, got ${segments.length}.`);
  }
  let laced = 0;
  for (const lace of segments) {
    if (!Number.isInteger(lace) || lace < 0 || lace > 255) throw new RangeError(`Invalid lacing value ${lace}.`);
    laced += lace;
  }
  if (laced !== body.length) {
    throw new RangeError(`The segment table covers ${laced} bytes but the page body has ${body.length}.`);
  }
  const headerLength = OGG_PAGE_HEADER_BYTES + segments.length;
  const bytes = new Uint8Array(headerLength + body.length);
  const view = new DataView(bytes.buffer);
  bytes.set(CAPTURE_PATTERN, 0);
  bytes[4] = 0; // stream structure version
  bytes[5] = (page.continued ? OGG_FLAG_CONTINUED : 0) | (page.bos ? OGG_FLAG_BOS : 0) | (page.eos ? OGG_FLAG_EOS : 0);
  view.setBigInt64(6, page.granulePosition, true);
  view.setUint32(14, page.serial >>> 0, true);
  view.setUint32(18, page.sequence >>> 0, true);
  // Bytes 22..25 (the CRC) stay zero while the CRC is computed, as the format requires.
  bytes[26] = segments.length;
  bytes.set(segments, OGG_PAGE_HEADER_BYTES);
  bytes.set(body, headerLength);
  view.setUint32(22, oggCrc32(bytes), true);
  return bytes;
}

/** A parsed page and the offset just past it. */
export interface ParsedOggPage {
  readonly page: OggPage;
  readonly nextOffset: number;
}

/**
 * Parses the page at `offset`, checking the capture pattern, version, length and CRC.
 * Throws `VoiceConversionError` with code `INVALID_OGG` on any mismatch. The body is a view into `data`.
 */
export function parseOggPage(data: Uint8Array, offset = 0): ParsedOggPage {
  const remaining = data.length - offset;
  // Check the capture pattern first, so short non-Ogg input is reported as such rather than as truncated.
  for (let index = 0; index < Math.min(CAPTURE_PATTERN.length, remaining); index++) {
    if (data[offset + index] !== CAPTURE_PATTERN[index]) {
      throw invalidOgg(`no "OggS" capture pattern at byte ${offset}`);
    }
  }
  if (remaining < OGG_PAGE_HEADER_BYTES) {
    throw invalidOgg(`truncated page header at byte ${offset} (${remaining} of ${OGG_PAGE_HEADER_BYTES} bytes)`);
  }
  const version = data[offset + 4]!;
  if (version !== 0) throw invalidOgg(`unsupported stream structure version ${version} at byte ${offset}`);
  const flags = data[offset + 5]!;
  const view = new DataView(data.buffer, data.byteOffset + offset, remaining);
  const segmentCount = data[offset + 26]!;
  const headerLength = OGG_PAGE_HEADER_BYTES + segmentCount;
  if (remaining < headerLength) throw invalidOgg(`truncated segment table at byte ${offset}`);
  const segments = Array.from(data.subarray(offset + OGG_PAGE_HEADER_BYTES, offset + headerLength));
  const bodyLength = segments.reduce((sum, lace) => sum + lace, 0);
  if (remaining < headerLength + bodyLength) {
    throw invalidOgg(`truncated page body at byte ${offset} (${remaining - headerLength} of ${bodyLength} bytes)`);
  }
  const pageLength = headerLength + bodyLength;
  const storedCrc = view.getUint32(22, true);
  const pageBytes = data.subarray(offset, offset + pageLength);
  // The CRC covers the page with its CRC field zeroed: hash around the field instead of copying the page.
  let crc = oggCrc32(pageBytes.subarray(0, 22));
  crc = oggCrc32(new Uint8Array(4), crc);
  crc = oggCrc32(pageBytes.subarray(26), crc);
  if (crc !== storedCrc) {
    throw invalidOgg(
      `CRC mismatch in page at byte ${offset} (stored 0x${storedCrc.toString(16).padStart(8, '0')}, computed 0x${crc.toString(16).padStart(8, '0')})`,
    );
  }
  const page: OggPage = {
    continued: (flags & OGG_FLAG_CONTINUED) !== 0,
    bos: (flags & OGG_FLAG_BOS) !== 0,
    eos: (flags & OGG_FLAG_EOS) !== 0,
    granulePosition: view.getBigInt64(6, true),
    serial: view.getUint32(14, true),
    sequence: view.getUint32(18, true),
    segments,
    body: pageBytes.subarray(headerLength),
  };
  return { page, nextOffset: offset + pageLength };
}

/** Parses every page of a physical bitstream. Pages must follow each other with nothing in between. */
export function readOggPages(data: Uint8Array): OggPage[] {
  const pages: OggPage[] = [];
  let offset = 0;
  while (offset < data.length) {
    const parsed = parseOggPage(data, offset);
    pages.push(parsed.page);
    offset = parsed.nextOffset;
  }
  if (pages.length === 0) throw invalidOgg('the input is empty');
  return pages;
}

function invalidOgg(detail: string): VoiceConversionError {
  return new VoiceConversionError('INVALID_OGG', `Invalid Ogg data: ${detail}.`);
}
