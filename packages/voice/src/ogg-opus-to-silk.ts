import { createDefaultVoiceCodecs } from './codecs/default-codecs.ts';
import type { OpusDecoderHandle, VoiceCodecs, VoiceSampleRate } from './codecs/voice-codecs.ts';
import { describeCause, VoiceConversionError } from './errors.ts';
import { type OggOpusStream, readOggOpus } from './opus/ogg-opus-reader.ts';
import { assertSampleRate } from './sample-rate.ts';
import { hasTencentPrefix, silkDurationMs } from './silk/silk-format.ts';

export interface OggOpusToSilkOptions {
  /** The rate Opus decodes at and SILK encodes at. Default 24000 (WeChat's customary rate). */
  readonly sampleRate?: VoiceSampleRate;
  /** Codec implementations. Default `createDefaultVoiceCodecs()`. */
  readonly codecs?: VoiceCodecs;
}

export interface SilkResult {
  /** SILK v3 in WeChat's form, starting `0x02 #!SILK_V3`. */
  readonly data: Uint8Array;
  /** The SILK duration: blocks × 20 ms. */
  readonly durationMs: number;
}

/**
 * Converts Ogg Opus (e.g. a Matrix voice message) to WeChat SILK v3. Stereo is downmixed to mono, the OpusHead
 * output gain is applied, and pre-skip and end padding are trimmed per the granule positions.
 * Throws `VoiceConversionError`: `INVALID_OGG`, `UNSUPPORTED_OPUS` (channel mapping families other than 0), or
 * `CODEC_FAILURE` when libopus or silk-wasm rejects the data.
 */
export async function oggOpusToSilk(ogg: Uint8Array, options: OggOpusToSilkOptions = {}): Promise<SilkResult> {
  const sampleRate = options.sampleRate ?? 24000;
  assertSampleRate(sampleRate);
  const stream = readOggOpus(ogg);
  const { head } = stream;
  if (head.mappingFamily !== 0) {
    throw new VoiceConversionError(
      'UNSUPPORTED_OPUS',
      `Unsupported Ogg Opus channel mapping family ${head.mappingFamily} (${head.channelCount} channels); only mono and stereo (family 0) are supported.`,
    );
  }
  if (stream.sampleCount === 0)
    throw new VoiceConversionError('INVALID_OGG', 'Invalid Ogg Opus data: the stream holds no audio.');
  const codecs = options.codecs ?? createDefaultVoiceCodecs();

  const mono = decodeToMono(codecs, stream, sampleRate);
  const skip = Math.round((head.preSkip * sampleRate) / 48000);
  const keep = Math.round((stream.sampleCount * sampleRate) / 48000);
  const pcm = mono.subarray(skip * 2, Math.min(mono.length, (skip + keep) * 2));
  if (pcm.length === 0) throw new VoiceConversionError('INVALID_OGG', 'Invalid Ogg Opus data: the stream holds no audio.');

  let silk: Uint8Array;
  try {
    silk = await codecs.encodeSilk(pcm, sampleRate);
  } catch (cause) {
    throw new VoiceConversionError('CODEC_FAILURE', `SILK encoding failed: ${describeCause(cause)}.`, { cause });
  }
  if (!hasTencentPrefix(silk)) {
    throw new VoiceConversionError(
      'CODEC_FAILURE',
      'SILK encoding failed: the encoder output lacks the 0x02 "#!SILK_V3" header.',
    );
  }
  return { data: silk, durationMs: silkDurationMs(silk) };
}

/** Decodes every packet and mixes it down to mono s16le at `sampleRate`. */
function decodeToMono(codecs: VoiceCodecs, stream: OggOpusStream, sampleRate: VoiceSampleRate): Uint8Array {
  const channels = stream.head.channelCount === 2 ? 2 : 1;
  const totalSamples = stream.packetSampleCounts.reduce((sum, samples) => sum + (samples * sampleRate) / 48000, 0);
  const mono = new Uint8Array(totalSamples * 2);
  const out = new DataView(mono.buffer);
  let decoder: OpusDecoderHandle;
  try {
    decoder = codecs.createOpusDecoder({ sampleRate, channels, outputGain: stream.head.outputGain });
  } catch (cause) {
    throw new VoiceConversionError('CODEC_FAILURE', `Could not create the Opus decoder: ${describeCause(cause)}.`, { cause });
  }
  let written = 0;
  try {
    stream.packets.forEach((packet, index) => {
      let pcm: Uint8Array;
      try {
        pcm = decoder.decode(packet);
      } catch (cause) {
        if (VoiceConversionError.isInstance(cause)) throw cause;
        throw new VoiceConversionError('CODEC_FAILURE', `Opus packet ${index} failed to decode: ${describeCause(cause)}.`, {
          cause,
        });
      }
      // opusscript silently truncates output past 2880 samples per channel (a 120 ms packet at 48 kHz).
      const expected = (stream.packetSampleCounts[index]! * sampleRate) / 48000;
      const frames = Math.floor(pcm.length / (2 * channels));
      if (frames !== expected) {
        throw new VoiceConversionError(
          'CODEC_FAILURE',
          `Opus packet ${index} decoded to ${frames} samples instead of ${expected}; decode at a lower sampleRate.`,
        );
      }
      const view = new DataView(pcm.buffer, pcm.byteOffset, pcm.byteLength);
      for (let frame = 0; frame < frames; frame++) {
        const sample =
          channels === 1
            ? view.getInt16(frame * 2, true)
            : (view.getInt16(frame * 4, true) + view.getInt16(frame * 4 + 2, true)) >> 1;
        out.setInt16((written + frame) * 2, sample, true);
      }
      written += frames;
    });
  } finally {
    decoder.delete();
  }
  return mono.subarray(0, written * 2);
}
