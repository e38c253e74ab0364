import { VoiceConversionError } from '../errors.ts';
import { demuxOgg, type OggPacket } from '../ogg/ogg-demux.ts';
import { OGG_NO_GRANULE } from '../ogg/ogg-page.ts';
import { isOpusHead, type OpusHead, parseOpusHead } from './opus-head.ts';
import { opusPacketSampleCount } from './opus-packet.ts';
import { type OpusTags, parseOpusTags } from './opus-tags.ts';

/** The first Opus logical bitstream of an Ogg file. */
export interface OggOpusStream {
  readonly serial: number;
  readonly head: OpusHead;
  readonly tags: OpusTags;
  /** The audio packets, in order. */
  readonly packets: readonly Uint8Array[];
  /** Samples per audio packet at 48 kHz, from each packet's TOC. */
  readonly packetSampleCounts: readonly number[];
  /** Granule position of the last page that ends a packet. */
  readonly finalGranulePosition: bigint;
  /** Playable samples at 48 kHz: final granule minus pre-skip, clamped to what the packets hold. */
  readonly sampleCount: number;
  /** `sampleCount` in milliseconds, rounded. */
  readonly durationMs: number;
}

/**
 * Reads the first Opus stream of an Ogg file (other multiplexed streams are ignored): parses `OpusHead` and
 * `OpusTags`, checks every audio packet's TOC, and computes the duration from the final granule.
 * Throws `VoiceConversionError` (`INVALID_OGG`, or `UNSUPPORTED_OPUS` for an incompatible header version).
 */
export function readOggOpus(data: Uint8Array): OggOpusStream {
  const all = demuxOgg(data);
  const first = all.find(packet => packet.bos && isOpusHead(packet.data));
  if (first === undefined) {
    throw new VoiceConversionError('INVALID_OGG', 'Invalid Ogg Opus data: no logical stream starts with an OpusHead header.');
  }
  const stream = all.filter(packet => packet.serial === first.serial);
  const head = parseOpusHead(stream[0]!.data);
  const tagsPacket = stream[1];
  if (tagsPacket === undefined) throw invalid('the stream has no OpusTags header');
  const tags = parseOpusTags(tagsPacket.data);

  const audio: readonly OggPacket[] = stream.slice(2);
  const packetSampleCounts = audio.map((packet, index) => {
    const samples = opusPacketSampleCount(packet.data);
    if (samples === undefined) throw invalid(`audio packet ${index} (${packet.data.length} bytes) is not a valid Opus packet`);
    return samples;
  });
  const total = packetSampleCounts.reduce((sum, samples) => sum + samples, 0);
  const lastGranule = audio.findLast(packet => packet.granulePosition !== OGG_NO_GRANULE)?.granulePosition;
  if (lastGranule === undefined && audio.length > 0) throw invalid('no audio page carries a granule position');
  const finalGranulePosition = lastGranule ?? BigInt(head.preSkip);
  if (finalGranulePosition < 0n) throw invalid(`negative final granule position ${finalGranulePosition}`);
  const playable = Math.max(0, total - head.preSkip);
  const sampleCount = Math.min(playable, Math.max(0, Number(finalGranulePosition) - head.preSkip));
  return {
    serial: first.serial,
    head,
    tags,
    packets: audio.map(packet => packet.data),
    packetSampleCounts,
    finalGranulePosition,
    sampleCount,
    durationMs: Math.round(sampleCount / 48),
  };
}

function invalid(detail: string): VoiceConversionError {
  return new VoiceConversionError('INVALID_OGG', `Invalid Ogg Opus data: ${detail}.`);
}
