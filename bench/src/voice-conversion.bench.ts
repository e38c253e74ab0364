// SILK → Ogg Opus for a 10 s WeChat voice message, against decoding the SILK alone (the baseline, measured in
// the same run), so the ratio shows what Opus encoding and Ogg muxing add on top of the unavoidable SILK decode.
// After the run it prints the conversion speed as × real time: seconds of audio per second of process CPU time.
import { createDefaultVoiceCodecs, oggOpusToSilk, silkToOggOpus } from '@wechat/voice';
import { bench, describe } from 'vitest';

const SECONDS = 10;
const SAMPLE_RATE = 24000;

/** A voice-like 10 s signal (a harmonic sweep, amplitude-modulated at syllable rate) as mono s16le PCM. */
function voicePcm(): Uint8Array {
  const samples = SECONDS * SAMPLE_RATE;
  const view = new DataView(new ArrayBuffer(samples * 2));
  let phase = 0;
  for (let index = 0; index < samples; index++) {
    const time = index / SAMPLE_RATE;
    phase += (2 * Math.PI * (150 + 45 * time)) / SAMPLE_RATE;
    const tone = Math.sin(phase) + 0.5 * Math.sin(2 * phase) + 0.25 * Math.sin(3 * phase);
    view.setInt16(index * 2, Math.round(7000 * (0.55 + 0.45 * Math.sin(2 * Math.PI * 4 * time)) * tone), true);
  }
  return new Uint8Array(view.buffer);
}

const codecs = createDefaultVoiceCodecs();
const silk = await codecs.encodeSilk(voicePcm(), SAMPLE_RATE);
const ogg = (await silkToOggOpus(silk)).data;

describe(`convert a ${SECONDS} s voice message`, () => {
  /** CPU time and audio converted per case, to report × real time (audio seconds per CPU second). */
  const cpu = new Map<string, { cpuMicros: number; audioSeconds: number }>();
  async function timed(name: string, run: () => Promise<unknown>): Promise<void> {
    const start = process.cpuUsage();
    await run();
    const used = process.cpuUsage(start);
    const entry = cpu.get(name) ?? { cpuMicros: 0, audioSeconds: 0 };
    entry.cpuMicros += used.user + used.system;
    entry.audioSeconds += SECONDS;
    cpu.set(name, entry);
  }

  /** Prints a case's × real time once its measured run (not the warm-up) ends. */
  function report(name: string) {
    return (_task: unknown, mode?: 'run' | 'warmup') => {
      const entry = cpu.get(name);
      if (mode === 'warmup') cpu.delete(name);
      else if (entry !== undefined) {
        const cpuSeconds = entry.cpuMicros / 1e6;
        console.log(
          `${name}: ${(entry.audioSeconds / cpuSeconds).toFixed(1)}× real time (${entry.audioSeconds} s of audio in ${cpuSeconds.toFixed(2)} s CPU)`,
        );
      }
    };
  }

  const options = { time: 3000, iterations: 10 };

  bench('baseline: silk-wasm decode to PCM alone', () => timed('silk decode', () => codecs.decodeSilk(silk, SAMPLE_RATE)), {
    ...options,
    teardown: report('silk decode'),
  });
  bench('silkToOggOpus (decode + Opus encode + Ogg mux)', () => timed('silkToOggOpus', () => silkToOggOpus(silk)), {
    ...options,
    teardown: report('silkToOggOpus'),
  });
  bench('oggOpusToSilk (Ogg demux + Opus decode + SILK encode)', () => timed('oggOpusToSilk', () => oggOpusToSilk(ogg)), {
    ...options,
    teardown: report('oggOpusToSilk'),
  });
});
