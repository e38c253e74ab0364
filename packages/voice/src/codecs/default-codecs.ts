import OpusScript from 'opusscript';
import { decode as silkDecode, encode as silkEncode } from 'silk-wasm';
import { VoiceConversionError } from '../errors.ts';
import type { OpusDecoderHandle, OpusEncoderHandle, VoiceCodecs } from './voice-codecs.ts';

// libopus's lookahead is Fs/400 + Fs/250 (2.5 ms + 4 ms) for the VOIP and AUDIO applications: 312 samples at 48 kHz.
// opusscript cannot read OPUS_GET_LOOKAHEAD (its CTL wrapper only passes integers, not pointers).
const LIBOPUS_PRE_SKIP = 312;
const OPUS_SET_GAIN = 4034;

/** The default codecs: opusscript (libopus 1.4, WASM) for Opus, silk-wasm for SILK. Instances are created per call. */
export function createDefaultVoiceCodecs(): VoiceCodecs {
  return {
    createOpusEncoder({ sampleRate, channels, bitrate }): OpusEncoderHandle {
      const encoder = new OpusScript(sampleRate, channels, OpusScript.Application.VOIP);
      try {
        if (bitrate !== undefined) encoder.setBitrate(bitrate);
      } catch (error) {
        encoder.delete();
        throw error;
      }
      return {
        preSkip: LIBOPUS_PRE_SKIP,
        encode: (pcm, frameSize) => encoder.encode(asBuffer(pcm), frameSize),
        delete: () => encoder.delete(),
      };
    },

    createOpusDecoder({ sampleRate, channels, outputGain }): OpusDecoderHandle {
      const decoder = new OpusScript(sampleRate, channels);
      try {
        if (outputGain !== 0) decoder.decoderCTL(OPUS_SET_GAIN, outputGain);
      } catch (error) {
        decoder.delete();
        throw error;
      }
      return {
        decode: packet => {
          // opusscript copies packets into a fixed WASM buffer and would throw a bare RangeError past it.
          if (packet.length > OpusScript.MAX_PACKET_SIZE) {
            throw new VoiceConversionError(
              'UNSUPPORTED_OPUS',
              `An Opus packet of ${packet.length} bytes exceeds the decoder's ${OpusScript.MAX_PACKET_SIZE}-byte limit.`,
            );
          }
          return decoder.decode(asBuffer(packet));
        },
        delete: () => decoder.delete(),
      };
    },

    decodeSilk: async (silk, sampleRate) => (await silkDecode(silk, sampleRate)).data,
    encodeSilk: async (pcm, sampleRate) => (await silkEncode(pcm, sampleRate)).data,
  };
}

function asBuffer(bytes: Uint8Array): Buffer {
  return Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);
}
