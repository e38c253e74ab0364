/** Sample rates libopus can run at; silk-wasm supports all of them too. */
export type VoiceSampleRate = 8000 | 12000 | 16000 | 24000 | 48000;

/** One Opus encoder instance. Must be `delete()`d: it holds WASM memory. */
export interface OpusEncoderHandle {
  /** The encoder's delay in 48 kHz samples, written as the Ogg Opus pre-skip. */
  readonly preSkip: number;
  /** Encodes exactly `frameSize` samples per channel of interleaved s16le PCM into one packet. */
  encode(pcm: Uint8Array, frameSize: number): Uint8Array;
  delete(): void;
}

/** One Opus decoder instance. Must be `delete()`d: it holds WASM memory. */
export interface OpusDecoderHandle {
  /** Decodes one packet to interleaved s16le PCM. */
  decode(packet: Uint8Array): Uint8Array;
  delete(): void;
}

/**
 * The codecs the conversions use, injectable so callers can substitute implementations (or count instances).
 * `createDefaultVoiceCodecs()` provides opusscript (libopus 1.4) and silk-wasm.
 */
export interface VoiceCodecs {
  createOpusEncoder(options: { sampleRate: VoiceSampleRate; channels: 1 | 2; bitrate?: number }): OpusEncoderHandle;
  /** `outputGain` is the OpusHead gain in Q7.8 dB, applied while decoding. */
  createOpusDecoder(options: { sampleRate: VoiceSampleRate; channels: 1 | 2; outputGain: number }): OpusDecoderHandle;
  /** SILK (with the 0x02 prefix) to mono s16le PCM at `sampleRate`. */
  decodeSilk(silk: Uint8Array, sampleRate: VoiceSampleRate): Promise<Uint8Array>;
  /** Mono s16le PCM at `sampleRate` to SILK. */
  encodeSilk(pcm: Uint8Array, sampleRate: VoiceSampleRate): Promise<Uint8Array>;
}
