// Test-only audio synthesis, so no binary fixtures are needed. Not exported from the package.
import { encode as silkEncode } from 'silk-wasm';

/**
 * A voice-like test signal as mono s16le PCM: a 150→600 Hz sweep with a few harmonics, amplitude-modulated at 4 Hz
 * (syllable rate), so it exercises the codecs' voice paths and is clearly not silence.
 */
export function synthVoicePcm(seconds: number, sampleRate = 24000): Uint8Array {
  const samples = Math.round(seconds * sampleRate);
  const pcm = new Uint8Array(samples * 2);
  const view = new DataView(pcm.buffer);
  let phase = 0;
  for (let index = 0; index < samples; index++) {
    const time = index / sampleRate;
    const frequency = 150 + (450 * time) / Math.max(seconds, 1e-9);
    phase += (2 * Math.PI * frequency) / sampleRate;
    const tone = Math.sin(phase) + 0.5 * Math.sin(2 * phase) + 0.25 * Math.sin(3 * phase);
    const envelope = 0.55 + 0.45 * Math.sin(2 * Math.PI * 4 * time);
    view.setInt16(index * 2, Math.round(7000 * envelope * tone), true);
  }
  return pcm;
}

/** SILK (with the 0x02 prefix, as silk-wasm writes it) for `seconds` of the test signal. */
export async function synthSilk(seconds: number, sampleRate = 24000): Promise<Uint8Array> {
  return (await silkEncode(synthVoicePcm(seconds, sampleRate), sampleRate)).data;
}

/** Root mean square of float samples in [-1, 1]. */
export function rms(samples: Float32Array): number {
  let sum = 0;
  for (const sample of samples) sum += sample * sample;
  return samples.length === 0 ? 0 : Math.sqrt(sum / samples.length);
}

/** Reads s16le PCM as floats in [-1, 1]. */
export function pcmToFloat(pcm: Uint8Array): Float32Array {
  const view = new DataView(pcm.buffer, pcm.byteOffset, pcm.byteLength);
  const out = new Float32Array(Math.floor(pcm.length / 2));
  for (let index = 0; index < out.length; index++) out[index] = view.getInt16(index * 2, true) / 32768;
  return out;
}

/** Deterministic pseudo-random bytes (xorshift32), so garbage-input tests are reproducible. */
export function pseudoRandomBytes(length: number, seed: number): Uint8Array {
  const out = new Uint8Array(length);
  let state = seed >>> 0 || 1;
  for (let index = 0; index < length; index++) {
    state ^= state << 13;
    state ^= state >>> 17;
    state ^= state << 5;
    state >>>= 0;
    out[index] = state & 0xff;
  }
  return out;
}
