import { VoiceConversionError } from '../errors.ts';
import { ascii, startsWith } from './magic.ts';

const MAGIC = 'OpusHead';

/** The Ogg Opus identification header (RFC 7845 §5.1). */
export interface OpusHead {
  /** Encapsulation version; 1 for RFC 7845. Versions 2-15 are compatible, 16+ are not. */
  readonly version: number;
  readonly channelCount: number;
  /** Samples at 48 kHz to drop from the start of the decoded audio (encoder delay). */
  readonly preSkip: number;
  /** The original input rate in Hz, informational only (0 = unknown). */
  readonly inputSampleRate: number;
  /** Gain to apply on decode, in Q7.8 dB (signed 16-bit; 256 = +1 dB). */
  readonly outputGain: number;
  /** 0 = mono/stereo, 1 = Vorbis surround order, 255 = undefined order. */
  readonly mappingFamily: number;
  /** Present for mapping families other than 0. */
  readonly channelMapping?: { readonly streamCount: number; readonly coupledCount: number; readonly mapping: readonly number[] };
}

/** Serialises an `OpusHead` packet. Only mapping family 0 (mono or stereo) is written. */
export function writeOpusHead(head: Omit<OpusHead, 'version' | 'mappingFamily' | 'channelMapping'>): Uint8Array {
  if (head.channelCount !== 1 && head.channelCount !== 2) {
    throw new RangeError(`Mapping family 0 carries 1 or 2 channels, not ${head.channelCount}.`);
  }
  const bytes = new Uint8Array(19);
  const view = new DataView(bytes.buffer);
  bytes.set(ascii(MAGIC), 0);
  bytes[8] = 1;
  bytes[9] = head.channelCount;
  view.setUint16(10, head.preSkip, true);
  view.setUint32(12, head.inputSampleRate, true);
  view.setInt16(16, head.outputGain, true);
  bytes[18] = 0;
  return bytes;
}

/** Whether a packet starts with the `OpusHead` magic. */
export function isOpusHead(packet: Uint8Array): boolean {
  return startsWith(packet, MAGIC);
}

/**
 * Parses an `OpusHead` packet. Throws `VoiceConversionError`: `INVALID_OGG` for a malformed header,
 * `UNSUPPORTED_OPUS` for an incompatible major version.
 */
export function parseOpusHead(packet: Uint8Array): OpusHead {
  if (!isOpusHead(packet)) throw invalid('the first packet is not an OpusHead header');
  if (packet.length < 19) throw invalid(`the OpusHead header is ${packet.length} bytes, shorter than 19`);
  const view = new DataView(packet.buffer, packet.byteOffset, packet.byteLength);
  const version = packet[8]!;
  if (version === 0 || version >= 16) {
    throw new VoiceConversionError('UNSUPPORTED_OPUS', `Unsupported Ogg Opus encapsulation version ${version}.`);
  }
  const channelCount = packet[9]!;
  if (channelCount === 0) throw invalid('the OpusHead header declares 0 channels');
  const mappingFamily = packet[18]!;
  const base = {
    version,
    channelCount,
    preSkip: view.getUint16(10, true),
    inputSampleRate: view.getUint32(12, true),
    outputGain: view.getInt16(16, true),
    mappingFamily,
  };
  if (mappingFamily === 0) {
    if (channelCount > 2) throw invalid(`mapping family 0 allows 1 or 2 channels, the header declares ${channelCount}`);
    return base;
  }
  if (packet.length < 21 + channelCount) throw invalid('the OpusHead channel mapping table is truncated');
  const streamCount = packet[19]!;
  const coupledCount = packet[20]!;
  if (streamCount === 0 || coupledCount > streamCount) throw invalid('the OpusHead channel mapping table is inconsistent');
  return { ...base, channelMapping: { streamCount, coupledCount, mapping: Array.from(packet.subarray(21, 21 + channelCount)) } };
}

function invalid(detail: string): VoiceConversionError {
  return new VoiceConversionError('INVALID_OGG', `Invalid Ogg Opus data: ${detail}.`);
}
