import { getRandomValues } from 'node:crypto';
import { muxOggPackets, type OggPacketInput } from '../ogg/ogg-mux.ts';
import { writeOpusHead } from './opus-head.ts';
import { opusPacketSampleCount } from './opus-packet.ts';
import { writeOpusTags } from './opus-tags.ts';

export interface OggOpusWriteOptions {
  readonly channelCount: 1 | 2;
  /** Encoder delay in 48 kHz samples, dropped by decoders (libopus: 312 for the VOIP and AUDIO applications). */
  readonly preSkip: number;
  /** The rate the audio was captured at, in Hz (informational). */
  readonly inputSampleRate: number;
  /** Output gain in Q7.8 dB. Default 0. */
  readonly outputGain?: number;
  /** Default `@wechat/voice`. */
  readonly vendor?: string;
  /** `NAME=value` strings. Default none. */
  readonly comments?: readonly string[];
  /**
   * Samples of real audio at 48 kHz, excluding pre-skip, when the last packet was padded. Sets the final granule
   * to `preSkip + sampleCount` so decoders trim the padding; that must fall within the last packet.
   * Default: every packet sample after the pre-skip.
   */
  readonly sampleCount?: number;
  /** Logical bitstream serial. Default random. */
  readonly serial?: number;
  /** Soft page size limit, see `muxOggPackets`. Default 4096. */
  readonly targetPageBytes?: number;
}

/**
 * Wraps Opus packets in an Ogg Opus file (RFC 7845): an `OpusHead` page, an `OpusTags` page, then audio pages whose
 * granule positions count 48 kHz samples including pre-skip; the last page is flagged EOS and carries the exact
 * final granule. Throws `RangeError` for packets without a valid TOC or an impossible `sampleCount`.
 */
export function muxOggOpus(packets: readonly Uint8Array[], options: OggOpusWriteOptions): Uint8Array {
  const { preSkip } = options;
  if (!Number.isInteger(preSkip) || preSkip < 0 || preSkip > 0xffff) throw new RangeError(`Invalid pre-skip ${preSkip}.`);
  const durations = packets.map((packet, index) => {
    const samples = opusPacketSampleCount(packet);
    if (samples === undefined) throw new RangeError(`Packet ${index} is not a valid Opus packet.`);
    return samples;
  });
  const total = durations.reduce((sum, samples) => sum + samples, 0);
  const sampleCount = options.sampleCount ?? Math.max(0, total - preSkip);
  const finalGranule = preSkip + sampleCount;
  const lastDuration = durations.at(-1) ?? 0;
  // The final granule may trim the end of the last packet, but not claim samples the packets do not hold.
  if (
    !Number.isInteger(sampleCount) ||
    sampleCount < 0 ||
    (packets.length > 0 && (finalGranule > total || finalGranule < total - lastDuration))
  ) {
    throw new RangeError(
      `preSkip + sampleCount (${finalGranule}) must lie within the last packet (${total - lastDuration}..${total} samples at 48 kHz).`,
    );
  }

  const inputs: OggPacketInput[] = [
    {
      data: writeOpusHead({
        channelCount: options.channelCount,
        preSkip,
        inputSampleRate: options.inputSampleRate,
        outputGain: options.outputGain ?? 0,
      }),
      granulePosition: 0n,
      flushPage: true,
    },
    {
      data: writeOpusTags({ vendor: options.vendor ?? '@wechat/voice', comments: options.comments ?? [] }),
      granulePosition: 0n,
      flushPage: true,
    },
  ];
  let position = preSkip;
  packets.forEach((packet, index) => {
    position += durations[index]!;
    const last = index === packets.length - 1;
    inputs.push({ data: packet, granulePosition: BigInt(last ? finalGranule : position) });
  });
  return muxOggPackets(inputs, {
    serial: options.serial ?? getRandomValues(new Uint32Array(1))[0]!,
    ...(options.targetPageBytes === undefined ? {} : { targetPageBytes: options.targetPageBytes }),
  });
}
