import { OggOpusDecoder } from 'ogg-opus-decoder';
import OpusScript from 'opusscript';
import { decode as silkDecode } from 'silk-wasm';
import { describe, expect, it } from 'vitest';
import { createDefaultVoiceCodecs } from './codecs/default-codecs.ts';
import type { VoiceCodecs } from './codecs/voice-codecs.ts';
import { VoiceConversionError, type VoiceConversionErrorCode } from './errors.ts';
import { muxOggPackets } from './ogg/ogg-mux.ts';
import { readOggPages, writeOggPage } from './ogg/ogg-page.ts';
import { oggOpusToSilk } from './ogg-opus-to-silk.ts';
import { readOggOpus } from './opus/ogg-opus-reader.ts';
import { muxOggOpus } from './opus/ogg-opus-writer.ts';
import { writeOpusHead } from './opus/opus-head.ts';
import { writeOpusTags } from './opus/opus-tags.ts';
import { hasTencentPrefix, silkDurationMs } from './silk/silk-format.ts';
import { silkToOggOpus } from './silk-to-ogg-opus.ts';
import { pcmToFloat, pseudoRandomBytes, rms, synthSilk, synthVoicePcm } from './testing/synth-audio.ts';

/** Decodes with ogg-opus-decoder, an independent implementation, to prove the file is valid Ogg Opus. */
async function decodeIndependently(ogg: Uint8Array) {
  const decoder = new OggOpusDecoder();
  try {
    await decoder.ready;
    return await decoder.decodeFile(ogg);
  } finally {
    decoder.free();
  }
}

async function expectCode(run: () => Promise<unknown>, code: VoiceConversionErrorCode, message?: RegExp): Promise<void> {
  const error = await run().then(
    () => undefined,
    (caught: unknown) => caught,
  );
  expect(VoiceConversionError.isInstance(error), `expected a ${code} error, got ${String(error)}`).toBe(true);
  expect((error as VoiceConversionError).code).toBe(code);
  expect(error).toBeInstanceOf(VoiceConversionError);
  if (message !== undefined) expect((error as Error).message).toMatch(message);
}

/** Builds an Ogg Opus file from PCM with opusscript directly, e.g. stereo or 48 kHz as Matrix clients send. */
function encodeOggOpus(pcm: Uint8Array, sampleRate: 24000 | 48000, channels: 1 | 2): Uint8Array {
  const encoder = new OpusScript(sampleRate, channels, OpusScript.Application.AUDIO);
  try {
    const frameBytes = (sampleRate / 50) * 2 * channels;
    const packets: Uint8Array[] = [];
    for (let offset = 0; offset < pcm.length + 312 * 2 * channels; offset += frameBytes) {
      const frame = new Uint8Array(frameBytes);
      frame.set(pcm.subarray(offset, offset + frameBytes));
      packets.push(encoder.encode(Buffer.from(frame), sampleRate / 50));
    }
    const sampleCount = (pcm.length / 2 / channels) * (48000 / sampleRate);
    return muxOggOpus(packets, { channelCount: channels, preSkip: 312, inputSampleRate: sampleRate, sampleCount });
  } finally {
    encoder.delete();
  }
}

/** Interleaves the same mono signal into both channels of a stereo s16le buffer. */
function monoToStereo(mono: Uint8Array): Uint8Array {
  const stereo = new Uint8Array(mono.length * 2);
  for (let index = 0; index < mono.length; index += 2) {
    stereo.set(mono.subarray(index, index + 2), index * 2);
    stereo.set(mono.subarray(index, index + 2), index * 2 + 2);
  }
  return stereo;
}

/** Default codecs wrapped to count how many Opus instances are created and deleted. */
function countingCodecs(overrides: Partial<VoiceCodecs> = {}) {
  const base = createDefaultVoiceCodecs();
  const counts = { created: 0, deleted: 0 };
  const codecs: VoiceCodecs = {
    ...base,
    createOpusEncoder: options => {
      const encoder = (overrides.createOpusEncoder ?? base.createOpusEncoder)(options);
      counts.created++;
      return {
        preSkip: encoder.preSkip,
        encode: (pcm, frameSize) => encoder.encode(pcm, frameSize),
        delete: () => {
          counts.deleted++;
          encoder.delete();
        },
      };
    },
    createOpusDecoder: options => {
      const decoder = base.createOpusDecoder(options);
      counts.created++;
      return {
        decode: packet => decoder.decode(packet),
        delete: () => {
          counts.deleted++;
          decoder.delete();
        },
      };
    },
  };
  return { codecs, counts };
}

describe('silkToOggOpus → oggOpusToSilk', () => {
  for (const seconds of [1, 3.7, 10]) {
    it(`round-trips ${seconds} s, and the Ogg decodes with an independent decoder`, async () => {
      const silk = await synthSilk(seconds);
      const expectedMs = seconds * 1000;
      expect(silkDurationMs(silk)).toBe(expectedMs);

      const ogg = await silkToOggOpus(silk);
      expect(ogg.mimeType).toBe('audio/ogg');
      expect(Math.abs(ogg.durationMs - expectedMs)).toBeLessThanOrEqual(expectedMs * 0.05);

      const decoded = await decodeIndependently(ogg.data);
      expect(decoded.errors).toEqual([]);
      expect(decoded.sampleRate).toBe(48000);
      expect(Math.abs(decoded.samplesDecoded - (ogg.durationMs * 48000) / 1000)).toBeLessThanOrEqual(960);
      expect(rms(decoded.channelData[0]!)).toBeGreaterThan(0.05);

      const back = await oggOpusToSilk(ogg.data);
      expect(hasTencentPrefix(back.data)).toBe(true);
      expect(back.durationMs).toBe(silkDurationMs(back.data));
      expect(Math.abs(back.durationMs - expectedMs)).toBeLessThanOrEqual(expectedMs * 0.05);
      const pcm = pcmToFloat((await silkDecode(back.data, 24000)).data);
      expect(rms(pcm)).toBeGreaterThan(0.05);
    });
  }

  it('writes the final granule as pre-skip + decoded samples at 48 kHz, and EOS on the last page only', async () => {
    const silk = await synthSilk(3.7);
    const pcm = (await silkDecode(silk, 24000)).data;
    const ogg = await silkToOggOpus(silk);
    const stream = readOggOpus(ogg.data);
    expect(stream.head).toMatchObject({ version: 1, channelCount: 1, preSkip: 312, inputSampleRate: 24000, mappingFamily: 0 });
    expect(stream.finalGranulePosition).toBe(BigInt(312 + (pcm.length / 2) * 2));
    expect(stream.sampleCount).toBe((pcm.length / 2) * 2); // 24 kHz samples × 2 = 48 kHz samples
    const pages = readOggPages(ogg.data);
    expect(pages.map(page => page.eos)).toEqual(pages.map((_, index) => index === pages.length - 1));
    expect(stream.packetSampleCounts.every(samples => samples === 960)).toBe(true);
  });

  it('aligns the audio: the pre-skip removes exactly the encoder delay', async () => {
    const silk = await synthSilk(2);
    const source = pcmToFloat((await silkDecode(silk, 24000)).data);
    const decoded = (await decodeIndependently((await silkToOggOpus(silk)).data)).channelData[0]!;
    // Compare at 24 kHz. Without the pre-skip the lag would be about 156 samples (6.5 ms); the codecs' phase
    // response shifts the correlation peak by a few samples, so allow a fraction of a millisecond.
    const output = decoded.filter((_, index) => index % 2 === 0);
    let bestLag = 0;
    let bestScore = Number.NEGATIVE_INFINITY;
    for (let lag = -40; lag <= 40; lag++) {
      let score = 0;
      for (let index = 2000; index < 20_000; index++) score += source[index]! * (output[index + lag] ?? 0);
      if (score > bestScore) [bestScore, bestLag] = [score, lag];
    }
    expect(Math.abs(bestLag)).toBeLessThanOrEqual(8);
  });

  it('accepts SILK without the 0x02 prefix and produces the same Ogg', async () => {
    const silk = await synthSilk(1);
    expect(silk[0]).toBe(0x02);
    const withPrefix = await silkToOggOpus(silk, { serial: 1 });
    const withoutPrefix = await silkToOggOpus(silk.subarray(1), { serial: 1 });
    expect(withoutPrefix.data).toEqual(withPrefix.data);
  });

  it('supports other sample rates', async () => {
    for (const sampleRate of [16000, 48000] as const) {
      const silk = await synthSilk(1, sampleRate);
      const ogg = await silkToOggOpus(silk, { sampleRate });
      expect(readOggOpus(ogg.data).head.inputSampleRate).toBe(sampleRate);
      expect(Math.abs(ogg.durationMs - 1000)).toBeLessThanOrEqual(50);
      const back = await oggOpusToSilk(ogg.data, { sampleRate });
      expect(Math.abs(back.durationMs - 1000)).toBeLessThanOrEqual(50);
    }
  });
});

describe('oggOpusToSilk with Ogg from elsewhere', () => {
  it('converts 48 kHz mono Ogg Opus (as Matrix clients record it)', async () => {
    const ogg = encodeOggOpus(synthVoicePcm(2, 48000), 48000, 1);
    const silk = await oggOpusToSilk(ogg);
    expect(hasTencentPrefix(silk.data)).toBe(true);
    expect(Math.abs(silk.durationMs - 2000)).toBeLessThanOrEqual(100);
  });

  it('downmixes stereo Ogg Opus to mono', async () => {
    const ogg = encodeOggOpus(monoToStereo(synthVoicePcm(1.5)), 24000, 2);
    expect(readOggOpus(ogg).head.channelCount).toBe(2);
    const silk = await oggOpusToSilk(ogg);
    expect(Math.abs(silk.durationMs - 1500)).toBeLessThanOrEqual(75);
    expect(rms(pcmToFloat((await silkDecode(silk.data, 24000)).data))).toBeGreaterThan(0.05);
  });

  it('applies the OpusHead output gain', async () => {
    const ogg = encodeOggOpus(synthVoicePcm(1), 24000, 1);
    const stream = readOggOpus(ogg);
    const quieter = muxOggOpus(stream.packets, {
      channelCount: 1,
      preSkip: stream.head.preSkip,
      inputSampleRate: 24000,
      sampleCount: stream.sampleCount,
      outputGain: -12 * 256,
    });
    const loud = rms(pcmToFloat((await silkDecode((await oggOpusToSilk(ogg)).data, 24000)).data));
    const quiet = rms(pcmToFloat((await silkDecode((await oggOpusToSilk(quieter)).data, 24000)).data));
    // -12 dB is a factor of about 0.25; SILK re-encoding blurs it a little.
    expect(quiet / loud).toBeGreaterThan(0.15);
    expect(quiet / loud).toBeLessThan(0.4);
  });
});

describe('long packets', () => {
  it('decodes 120 ms packets at 24 kHz, and refuses to truncate them at 48 kHz', async () => {
    const encoder = new OpusScript(24000, 1, OpusScript.Application.VOIP);
    const pcm = synthVoicePcm(1.2);
    const packets: Uint8Array[] = [];
    try {
      for (let offset = 0; offset < pcm.length; offset += 5760)
        packets.push(encoder.encode(Buffer.from(pcm.subarray(offset, offset + 5760)), 2880));
    } finally {
      encoder.delete();
    }
    const ogg = muxOggOpus(packets, { channelCount: 1, preSkip: 312, inputSampleRate: 24000 });
    expect(readOggOpus(ogg).packetSampleCounts).toEqual(Array(10).fill(5760));
    expect(Math.abs((await oggOpusToSilk(ogg)).durationMs - 1200)).toBeLessThanOrEqual(40);
    await expectCode(() => oggOpusToSilk(ogg, { sampleRate: 48000 }), 'CODEC_FAILURE', /decoded to 2880 samples instead of 5760/);
  });
});

describe('errors', () => {
  it('rejects random bytes, empty input and header-only SILK as INVALID_SILK', async () => {
    await expectCode(() => silkToOggOpus(pseudoRandomBytes(2000, 1)), 'INVALID_SILK', /#!SILK_V3/);
    await expectCode(() => silkToOggOpus(new Uint8Array(0)), 'INVALID_SILK');
    await expectCode(() => silkToOggOpus(new TextEncoder().encode('\u0002#!SILK_V3')), 'INVALID_SILK', /no audio blocks/);
    // silk-wasm decodes most garbage blocks to noise, so simulate its "silk decoding failure".
    const codecs: VoiceCodecs = {
      ...createDefaultVoiceCodecs(),
      decodeSilk: () => Promise.reject(new Error('silk decoding failure')),
    };
    await expectCode(
      async () => silkToOggOpus(await synthSilk(1), { codecs }),
      'INVALID_SILK',
      /decoder rejected it \(silk decoding failure\)/,
    );
  });

  it('never throws anything but VoiceConversionError for SILK headers followed by garbage or truncation', async () => {
    const silk = await synthSilk(1);
    const inputs = [
      silk.subarray(0, 11),
      silk.subarray(0, silk.length / 2),
      ...Array.from({ length: 10 }, (_, seed) => new Uint8Array([...silk.subarray(0, 10), ...pseudoRandomBytes(400, seed + 1)])),
    ];
    for (const input of inputs) {
      const outcome = await silkToOggOpus(input).then(
        result => result,
        (error: unknown) => error,
      );
      if (VoiceConversionError.isInstance(outcome)) expect(outcome.code).toBe('INVALID_SILK');
      else expect((await decodeIndependently((outcome as { data: Uint8Array }).data)).errors).toEqual([]);
    }
  });

  it('rejects random bytes, truncated files and a wrong CRC as INVALID_OGG', async () => {
    const ogg = (await silkToOggOpus(await synthSilk(1))).data;
    await expectCode(() => oggOpusToSilk(pseudoRandomBytes(2000, 2)), 'INVALID_OGG', /capture pattern/);
    await expectCode(() => oggOpusToSilk(new Uint8Array(0)), 'INVALID_OGG', /empty/);
    await expectCode(() => oggOpusToSilk(new Uint8Array(10)), 'INVALID_OGG', /capture pattern/);
    await expectCode(() => oggOpusToSilk(ogg.subarray(0, ogg.length - 100)), 'INVALID_OGG', /truncated/);
    const corrupted = ogg.slice();
    corrupted[corrupted.length - 50]! ^= 0xff;
    await expectCode(() => oggOpusToSilk(corrupted), 'INVALID_OGG', /CRC mismatch/);
    await expectCode(async () => oggOpusToSilk(await synthSilk(1)), 'INVALID_OGG', /capture pattern/);
  });

  it('rejects surround channel mappings as UNSUPPORTED_OPUS', async () => {
    const head = new Uint8Array(21 + 3);
    head.set(writeOpusHead({ channelCount: 1, preSkip: 312, inputSampleRate: 48000, outputGain: 0 }));
    head[9] = 3;
    head[18] = 1;
    head.set([2, 1, 0, 2, 1], 19);
    const ogg = muxOggPackets(
      [
        { data: head, granulePosition: 0n, flushPage: true },
        { data: writeOpusTags({ vendor: 'x', comments: [] }), granulePosition: 0n, flushPage: true },
        { data: Uint8Array.of(1 << 3, 0), granulePosition: 960n },
      ],
      { serial: 1 },
    );
    await expectCode(() => oggOpusToSilk(ogg), 'UNSUPPORTED_OPUS', /mapping family 1/);
  });

  it('rejects a stream with no audio as INVALID_OGG', async () => {
    const ogg = muxOggOpus([], { channelCount: 1, preSkip: 312, inputSampleRate: 24000 });
    await expectCode(() => oggOpusToSilk(ogg), 'INVALID_OGG', /no audio/);
  });

  it('reports a packet libopus rejects as CODEC_FAILURE and still frees the decoder', async () => {
    const good = readOggOpus((await silkToOggOpus(await synthSilk(1))).data);
    // Code 2 (two CELT frames) with a first-frame length that overruns the packet.
    const broken = [...good.packets.slice(0, 5), Uint8Array.of((19 << 3) | 2, 0xff, 1, 2), ...good.packets.slice(5)];
    const ogg = muxOggOpus(broken, { channelCount: 1, preSkip: 312, inputSampleRate: 24000 });
    const { codecs, counts } = countingCodecs();
    await expectCode(() => oggOpusToSilk(ogg, { codecs }), 'CODEC_FAILURE', /packet 5 failed to decode/);
    expect(counts).toEqual({ created: 1, deleted: 1 });
  });

  it('frees the encoder when encoding fails part-way', async () => {
    const { codecs, counts } = countingCodecs({
      createOpusEncoder: options => {
        const encoder = createDefaultVoiceCodecs().createOpusEncoder(options);
        let calls = 0;
        return {
          preSkip: encoder.preSkip,
          encode: (pcm, frameSize) => {
            if (++calls === 3) throw new Error('simulated encoder fault');
            return encoder.encode(pcm, frameSize);
          },
          delete: () => encoder.delete(),
        };
      },
    });
    await expectCode(async () => silkToOggOpus(await synthSilk(1), { codecs }), 'CODEC_FAILURE', /simulated encoder fault/);
    expect(counts).toEqual({ created: 1, deleted: 1 });
  });

  it('frees every Opus instance on success too', async () => {
    const { codecs, counts } = countingCodecs();
    const ogg = await silkToOggOpus(await synthSilk(1), { codecs });
    await oggOpusToSilk(ogg.data, { codecs });
    expect(counts).toEqual({ created: 2, deleted: 2 });
  });

  it('rejects sample rates the codecs do not support', async () => {
    await expect(silkToOggOpus(await synthSilk(1), { sampleRate: 44100 as never })).rejects.toThrow(RangeError);
    const ogg = (await silkToOggOpus(await synthSilk(1))).data;
    await expect(oggOpusToSilk(ogg, { sampleRate: 32000 as never })).rejects.toThrow(RangeError);
  });

  it('keeps the CRC check when the page is otherwise well formed', async () => {
    const ogg = (await silkToOggOpus(await synthSilk(1))).data;
    const pages = readOggPages(ogg);
    const rewritten = new Uint8Array(pages.flatMap(page => Array.from(writeOggPage(page))));
    expect(rewritten).toEqual(ogg);
  });
});
