import type { VoiceSampleRate } from './codecs/voice-codecs.ts';

const SAMPLE_RATES: readonly number[] = [8000, 12000, 16000, 24000, 48000];

/** Rejects rates outside the set both libopus and silk-wasm support, for callers without type checking. */
export function assertSampleRate(sampleRate: number): asserts sampleRate is VoiceSampleRate {
  if (!SAMPLE_RATES.includes(sampleRate)) {
    throw new RangeError(`Unsupported sample rate ${sampleRate}; use one of ${SAMPLE_RATES.join(', ')}.`);
  }
}
