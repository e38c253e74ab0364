import { VoiceConversionError } from '../errors.ts';

const MAGIC = '#!SILK_V3';
/** The byte Tencent (WeChat, QQ) puts before the magic. silk-wasm's decoder refuses streams without it. */
export const TENCENT_PREFIX = 0x02;
/** SILK frames are 20 ms unless the encoder was told otherwise; WeChat uses 20 ms. */
export const SILK_FRAME_MS = 20;

function hasMagicAt(data: Uint8Array, offset: number): boolean {
  if (data.length < offset + MAGIC.length) return false;
  for (let index = 0; index < MAGIC.length; index++) {
    if (data[offset + index] !== MAGIC.charCodeAt(index)) return false;
  }
  return true;
}

/** Whether `data` starts with a SILK v3 header: `#!SILK_V3`, or `0x02 #!SILK_V3` (the Tencent form). */
export function isSilk(data: Uint8Array): boolean {
  return hasMagicAt(data, 0) || (data[0] === TENCENT_PREFIX && hasMagicAt(data, 1));
}

/** Whether `data` starts with the Tencent form `0x02 #!SILK_V3`. */
export function hasTencentPrefix(data: Uint8Array): boolean {
  return data[0] === TENCENT_PREFIX && hasMagicAt(data, 1);
}

/** The offset of the first block: after the magic, and after the prefix if present. */
function firstBlockOffset(data: Uint8Array): number {
  if (hasTencentPrefix(data)) return 1 + MAGIC.length;
  if (hasMagicAt(data, 0)) return MAGIC.length;
  throw new VoiceConversionError('INVALID_SILK', 'Invalid SILK data: no "#!SILK_V3" header (with or without the 0x02 prefix).');
}

/**
 * The number of SILK blocks: each is an int16le byte length and that many payload bytes. A negative length
 * (the `0xFFFF` end marker some encoders write) or a block running past the end of the data ends the stream.
 * Throws `VoiceConversionError` (`INVALID_SILK`) if the header is missing.
 */
export function silkBlockCount(data: Uint8Array): number {
  const view = new DataView(data.buffer, data.byteOffset, data.byteLength);
  let offset = firstBlockOffset(data);
  let blocks = 0;
  while (offset + 2 <= data.length) {
    const size = view.getInt16(offset, true);
    if (size < 0 || offset + 2 + size > data.length) break;
    blocks++;
    offset += 2 + size;
  }
  return blocks;
}

/** Duration in milliseconds: blocks × 20 ms. Throws `VoiceConversionError` (`INVALID_SILK`) if the header is missing. */
export function silkDurationMs(data: Uint8Array): number {
  return silkBlockCount(data) * SILK_FRAME_MS;
}

/**
 * Returns SILK data in the Tencent form `0x02 #!SILK_V3…`, which WeChat sends and silk-wasm's decoder requires.
 * Data already prefixed is returned as is; throws `VoiceConversionError` (`INVALID_SILK`) if it is not SILK.
 */
export function withTencentPrefix(data: Uint8Array): Uint8Array {
  if (hasTencentPrefix(data)) return data;
  firstBlockOffset(data);
  const out = new Uint8Array(data.length + 1);
  out[0] = TENCENT_PREFIX;
  out.set(data, 1);
  return out;
}
