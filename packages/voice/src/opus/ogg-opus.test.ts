import { describe, expect, it } from 'vitest';
import { VoiceConversionError, type VoiceConversionErrorCode } from '../errors.ts';
import { muxOggPackets } from '../ogg/ogg-mux.ts';
import { OGG_NO_GRANULE, readOggPages } from '../ogg/ogg-page.ts';
import { readOggOpus } from './ogg-opus-reader.ts';
import { muxOggOpus } from './ogg-opus-writer.ts';
import { parseOpusHead, writeOpusHead } from './opus-head.ts';
import { opusPacketSampleCount } from './opus-packet.ts';
import { parseOpusTags, writeOpusTags } from './opus-tags.ts';

/** A fake 20 ms packet: TOC config 1 (SILK narrowband, 20 ms), one frame. The muxer only reads the TOC. */
function packet20ms(payloadBytes = 40): Uint8Array {
  const bytes = new Uint8Array(1 + payloadBytes).fill(0x5a);
  bytes[0] = 1 << 3;
  return bytes;
}

function expectCode(run: () => unknown, code: VoiceConversionErrorCode, message?: RegExp): void {
  try {
    run();
  } catch (error) {
    expect(VoiceConversionError.isInstance(error)).toBe(true);
    expect((error as VoiceConversionError).code).toBe(code);
    if (message !== undefined) expect((error as Error).message).toMatch(message);
    return;
  }
  throw new Error(`expected a ${code} error`);
}

describe('opusPacketSampleCount', () => {
  it('reads frame size and count from the TOC byte (RFC 6716 §3.1)', () => {
    expect(opusPacketSampleCount(Uint8Array.of(1 << 3))).toBe(960); // SILK 20 ms, 1 frame
    expect(opusPacketSampleCount(Uint8Array.of((3 << 3) | 1))).toBe(5760); // SILK 60 ms, 2 frames
    expect(opusPacketSampleCount(Uint8Array.of(13 << 3))).toBe(960); // hybrid 20 ms
    expect(opusPacketSampleCount(Uint8Array.of(16 << 3))).toBe(120); // CELT 2.5 ms
    expect(opusPacketSampleCount(Uint8Array.of((19 << 3) | 2))).toBe(1920); // CELT 20 ms, 2 frames
    expect(opusPacketSampleCount(Uint8Array.of((19 << 3) | 3, 6))).toBe(5760); // CELT 20 ms, 6 frames (code 3)
  });

  it('rejects empty packets, a missing frame count, zero frames and more than 120 ms', () => {
    expect(opusPacketSampleCount(new Uint8Array(0))).toBeUndefined();
    expect(opusPacketSampleCount(Uint8Array.of((19 << 3) | 3))).toBeUndefined();
    expect(opusPacketSampleCount(Uint8Array.of((19 << 3) | 3, 0))).toBeUndefined();
    expect(opusPacketSampleCount(Uint8Array.of((19 << 3) | 3, 7))).toBeUndefined();
  });
});

describe('OpusHead', () => {
  it('writes the 19-byte family-0 header and parses it back', () => {
    const bytes = writeOpusHead({ channelCount: 2, preSkip: 312, inputSampleRate: 24000, outputGain: -256 });
    expect(bytes).toHaveLength(19);
    expect(new TextDecoder().decode(bytes.subarray(0, 8))).toBe('OpusHead');
    expect(bytes[8]).toBe(1);
    expect(parseOpusHead(bytes)).toEqual({
      version: 1,
      channelCount: 2,
      preSkip: 312,
      inputSampleRate: 24000,
      outputGain: -256,
      mappingFamily: 0,
    });
  });

  it('parses a channel mapping table for other families', () => {
    const bytes = new Uint8Array(21 + 3);
    bytes.set(writeOpusHead({ channelCount: 1, preSkip: 0, inputSampleRate: 0, outputGain: 0 }));
    bytes[9] = 3;
    bytes[18] = 1;
    bytes.set([2, 1, 0, 2, 1], 19);
    expect(parseOpusHead(bytes).channelMapping).toEqual({ streamCount: 2, coupledCount: 1, mapping: [0, 2, 1] });
  });

  it('rejects bad magic, short headers, zero channels and incompatible versions', () => {
    const good = writeOpusHead({ channelCount: 1, preSkip: 312, inputSampleRate: 48000, outputGain: 0 });
    expectCode(() => parseOpusHead(new TextEncoder().encode('OpusTags')), 'INVALID_OGG', /not an OpusHead/);
    expectCode(() => parseOpusHead(good.subarray(0, 18)), 'INVALID_OGG', /shorter than 19/);
    const noChannels = good.slice();
    noChannels[9] = 0;
    expectCode(() => parseOpusHead(noChannels), 'INVALID_OGG', /0 channels/);
    const threeChannelsFamily0 = good.slice();
    threeChannelsFamily0[9] = 3;
    expectCode(() => parseOpusHead(threeChannelsFamily0), 'INVALID_OGG', /1 or 2 channels/);
    const version16 = good.slice();
    version16[8] = 16;
    expectCode(() => parseOpusHead(version16), 'UNSUPPORTED_OPUS', /version 16/);
    const version2 = good.slice();
    version2[8] = 2;
    expect(parseOpusHead(version2).version).toBe(2);
  });
});

describe('OpusTags', () => {
  it('round-trips the vendor string and UTF-8 comments', () => {
    const tags = { vendor: 'test vendor', comments: ['TITLE=语音', 'ENCODER=@wechat/voice'] };
    expect(parseOpusTags(writeOpusTags(tags))).toEqual(tags);
  });

  it('rejects lengths that run past the packet', () => {
    const bytes = writeOpusTags({ vendor: 'v', comments: ['A=b'] });
    expectCode(() => parseOpusTags(bytes.subarray(0, bytes.length - 1)), 'INVALID_OGG', /comment 0 runs past/);
    expectCode(() => parseOpusTags(bytes.subarray(0, 10)), 'INVALID_OGG', /vendor string length is truncated/);
    const hugeCount = bytes.slice();
    new DataView(hugeCount.buffer).setUint32(13, 0xffffffff, true);
    expectCode(() => parseOpusTags(hugeCount), 'INVALID_OGG', /claims 4294967295 comments/);
  });
});

describe('muxOggOpus', () => {
  const packets = Array.from({ length: 120 }, () => packet20ms());

  it('puts OpusHead alone on the BOS page, OpusTags on the next, then audio pages', () => {
    const pages = readOggPages(muxOggOpus(packets, { channelCount: 1, preSkip: 312, inputSampleRate: 24000, serial: 77 }));
    expect(pages[0]!.bos).toBe(true);
    expect(pages[0]!.segments).toEqual([19]);
    expect(pages[0]!.granulePosition).toBe(0n);
    expect(new TextDecoder().decode(pages[1]!.body.subarray(0, 8))).toBe('OpusTags');
    expect(pages[1]!.granulePosition).toBe(0n);
    expect(pages.every(page => page.serial === 77)).toBe(true);
    expect(pages.slice(0, -1).every(page => !page.eos)).toBe(true);
    expect(pages.at(-1)!.eos).toBe(true);
    // Audio granules count 48 kHz samples including pre-skip and never decrease.
    const granules = pages.slice(2).map(page => page.granulePosition);
    expect(granules.every((granule, index) => index === 0 || granule >= granules[index - 1]!)).toBe(true);
    expect(granules.slice(0, -1).every(granule => granule !== OGG_NO_GRANULE && (granule - 312n) % 960n === 0n)).toBe(true);
    expect(granules.at(-1)).toBe(BigInt(120 * 960));
  });

  it('writes the exact final granule: pre-skip + samples at 48 kHz', () => {
    const sampleCount = 120 * 960 - 1000;
    const ogg = muxOggOpus(packets, { channelCount: 1, preSkip: 312, inputSampleRate: 24000, sampleCount });
    expect(readOggPages(ogg).at(-1)!.granulePosition).toBe(BigInt(312 + sampleCount));
    const stream = readOggOpus(ogg);
    expect(stream.finalGranulePosition).toBe(BigInt(312 + sampleCount));
    expect(stream.sampleCount).toBe(sampleCount);
    expect(stream.durationMs).toBe(Math.round(sampleCount / 48));
  });

  it('defaults to every sample after the pre-skip', () => {
    const stream = readOggOpus(muxOggOpus(packets, { channelCount: 1, preSkip: 312, inputSampleRate: 24000 }));
    expect(stream.finalGranulePosition).toBe(BigInt(120 * 960));
    expect(stream.sampleCount).toBe(120 * 960 - 312);
  });

  it('refuses a final granule outside the last packet and packets without a valid TOC', () => {
    const options = { channelCount: 1, preSkip: 312, inputSampleRate: 24000 } as const;
    expect(() => muxOggOpus(packets, { ...options, sampleCount: 120 * 960 })).toThrow(RangeError);
    expect(() => muxOggOpus(packets, { ...options, sampleCount: 100 * 960 })).toThrow(RangeError);
    expect(() => muxOggOpus([new Uint8Array(0)], options)).toThrow(/Packet 0 is not a valid Opus packet/);
    expect(() => muxOggOpus(packets, { ...options, preSkip: 70_000 })).toThrow(RangeError);
  });
});

describe('readOggOpus', () => {
  it('returns the header fields, tags and audio packets', () => {
    const audio = [packet20ms(10), packet20ms(20), packet20ms(30)];
    const ogg = muxOggOpus(audio, {
      channelCount: 2,
      preSkip: 100,
      inputSampleRate: 16000,
      outputGain: 512,
      vendor: 'me',
      comments: ['A=1'],
      serial: 5,
    });
    const stream = readOggOpus(ogg);
    expect(stream.serial).toBe(5);
    expect(stream.head).toMatchObject({ channelCount: 2, preSkip: 100, inputSampleRate: 16000, outputGain: 512 });
    expect(stream.tags).toEqual({ vendor: 'me', comments: ['A=1'] });
    expect(stream.packets).toEqual(audio);
    expect(stream.packetSampleCounts).toEqual([960, 960, 960]);
    expect(stream.durationMs).toBe(Math.round((3 * 960 - 100) / 48));
  });

  it('finds the Opus stream among other streams', () => {
    const other = muxOggPackets([{ data: new TextEncoder().encode('\u0001vorbis...'), granulePosition: 0n }], { serial: 1 });
    const opus = muxOggOpus([packet20ms()], { channelCount: 1, preSkip: 0, inputSampleRate: 48000, serial: 2 });
    expect(readOggOpus(new Uint8Array([...other, ...opus])).serial).toBe(2);
  });

  it('rejects streams without OpusHead, without OpusTags, or with invalid audio packets', () => {
    const vorbis = muxOggPackets([{ data: new TextEncoder().encode('\u0001vorbis...'), granulePosition: 0n }], { serial: 1 });
    expectCode(() => readOggOpus(vorbis), 'INVALID_OGG', /no logical stream starts with an OpusHead/);
    const head = writeOpusHead({ channelCount: 1, preSkip: 0, inputSampleRate: 0, outputGain: 0 });
    const headOnly = muxOggPackets([{ data: head, granulePosition: 0n }], { serial: 1 });
    expectCode(() => readOggOpus(headOnly), 'INVALID_OGG', /no OpusTags/);
    const tags = writeOpusTags({ vendor: 'x', comments: [] });
    const badAudio = muxOggPackets(
      [
        { data: head, granulePosition: 0n, flushPage: true },
        { data: tags, granulePosition: 0n, flushPage: true },
        { data: new Uint8Array(0), granulePosition: 960n },
      ],
      { serial: 1 },
    );
    expectCode(() => readOggOpus(badAudio), 'INVALID_OGG', /audio packet 0 \(0 bytes\) is not a valid Opus packet/);
  });
});
