import { createDefaultVoiceCodecs } from './codecs/default-codecs.ts';
import type { VoiceCodecs, VoiceSampleRate } from './codecs/voice-codecs.ts';
import { describeCause, VoiceConversionError } from './errors.ts';
import { muxOggOpus } from './opus/ogg-opus-writer.ts';
import { assertSampleRate } from './sample-rate.ts';
import { isSilk, silkBlockCount, withTencentPrefix } from './silk/silk-format.ts';

export interface SilkToOggOpusOptions {
  /** The rate SILK is decoded at and Opus encodes at. Default 24000 (WeChat's customary rate). */
  readonly sampleRate?: VoiceSampleRate;
  /** Opus bitrate in bit/s. Default: libopus's choice (about 32 kbit/s for 24 kHz mono). */
  readonly bitrate?: number;
  /** Ogg logical bitstream serial. Default random. */
  readonly serial?: number;
  /** Codec implementations. Default `createDefaultVoiceCodecs()`. */
  readonly codecs?: VoiceCodecs;
}

export interface OggOpusResult {
  /** An Ogg Opus file: mono, 20 ms packets. */
  readonly data: Uint8Array;
  /** The audio duration, rounded to the millisecond. */
  readonly durationMs: number;
  readonly mimeType: 'audio/ogg';
}

/** 20 ms frames: the common choice for voice, and a size every Opus mode supports. */
const FRAMES_PER_SECOND = 50;

/**
 * Converts WeChat SILK v3 voice (with or without the 0x02 prefix) to Ogg Opus, as Matrix clients play voice messages.
 * Throws `VoiceConversionError`: `INVALID_SILK` for input silk-wasm cannot decode, `CODEC_FAILURE` if Opus fails.
 */
export async function silkToOggOpus(silk: Uint8Array, options: SilkToOggOpusOptions = {}): Promise<OggOpusResult> {
  const sampleRate = options.sampleRate ?? 24000;
  assertSampleRate(sampleRate);
  if (!isSilk(silk)) {
    throw new VoiceConversionError('INVALID_SILK', 'Invalid SILK data: no "#!SILK_V3" header (with or without the 0x02 prefix).');
  }
  // silk-wasm "decodes" a header with no blocks to 40 ms of silence; an empty voice message is an error instead.
  if (silkBlockCount(silk) === 0) throw new VoiceConversionError('INVALID_SILK', 'Invalid SILK data: it holds no audio blocks.');
  const codecs = options.codecs ?? createDefaultVoiceCodecs();

  let pcm: Uint8Array;
  try {
    pcm = await codecs.decodeSilk(withTencentPrefix(silk), sampleRate);
  } catch (cause) {
    throw new VoiceConversionError('INVALID_SILK', `Invalid SILK data: the decoder rejected it (${describeCause(cause)}).`, {
      cause,
    });
  }
  const sampleCount = Math.floor(pcm.length / 2);
  if (sampleCount === 0) throw new VoiceConversionError('INVALID_SILK', 'Invalid SILK data: it decodes to no audio.');

  const { packets, preSkip } = encodeOpus(codecs, pcm.subarray(0, sampleCount * 2), sampleRate, options.bitrate);
  const sampleCount48k = (sampleCount * 48000) / sampleRate;
  let data: Uint8Array;
  try {
    data = muxOggOpus(packets, {
      channelCount: 1,
      preSkip,
      inputSampleRate: sampleRate,
      sampleCount: sampleCount48k,
      ...(options.serial === undefined ? {} : { serial: options.serial }),
    });
  } catch (cause) {
    throw new VoiceConversionError('CODEC_FAILURE', `Could not mux the Opus packets: ${describeCause(cause)}.`, { cause });
  }
  return { data, durationMs: Math.round(sampleCount48k / 48), mimeType: 'audio/ogg' };
}

function encodeOpus(
  codecs: VoiceCodecs,
  pcm: Uint8Array,
  sampleRate: VoiceSampleRate,
  bitrate: number | undefined,
): { packets: Uint8Array[]; preSkip: number } {
  const frameSamples = sampleRate / FRAMES_PER_SECOND;
  const frameBytes = frameSamples * 2;
  let encoder: ReturnType<VoiceCodecs['createOpusEncoder']>;
  try {
    encoder = codecs.createOpusEncoder({ sampleRate, channels: 1, ...(bitrate === undefined ? {} : { bitrate }) });
  } catch (cause) {
    throw new VoiceConversionError('CODEC_FAILURE', `Could not create the Opus encoder: ${describeCause(cause)}.`, { cause });
  }
  try {
    const { preSkip } = encoder;
    // The encoder delays its output by the pre-skip, so keep feeding silence until the delayed end is flushed out.
    const samplesToEncode = pcm.length / 2 + Math.ceil((preSkip * sampleRate) / 48000);
    const frameCount = Math.ceil(samplesToEncode / frameSamples);
    const packets: Uint8Array[] = [];
    for (let frame = 0; frame < frameCount; frame++) {
      const start = frame * frameBytes;
      let chunk = pcm.subarray(start, start + frameBytes);
      if (chunk.length < frameBytes) {
        const padded = new Uint8Array(frameBytes);
        padded.set(chunk);
        chunk = padded;
      }
      packets.push(encoder.encode(chunk, frameSamples));
    }
    return { packets, preSkip };
  } catch (cause) {
    throw new VoiceConversionError('CODEC_FAILURE', `Opus encoding failed: ${describeCause(cause)}.`, { cause });
  } finally {
    encoder.delete();
  }
}
