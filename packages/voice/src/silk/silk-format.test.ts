import { getDuration } from 'silk-wasm';
import { describe, expect, it } from 'vitest';
import { VoiceConversionError } from '../errors.ts';
import { synthSilk } from '../testing/synth-audio.ts';
import { hasTencentPrefix, isSilk, silkBlockCount, silkDurationMs, withTencentPrefix } from './silk-format.ts';

// The first bytes of a real WeChat voice message from the GeWe reference (base64 "AiMhU0lMS19WMxMA").
const wechatHeader = Uint8Array.from(Buffer.from('AiMhU0lMS19WMxMA', 'base64'));

/** A SILK file built by hand: header, then int16le-length-prefixed blocks. */
function silkWithBlocks(sizes: readonly number[], prefix: boolean, trailer: readonly number[] = []): Uint8Array {
  const parts: number[] = prefix ? [0x02] : [];
  parts.push(...new TextEncoder().encode('#!SILK_V3'));
  for (const size of sizes) parts.push(size & 0xff, size >> 8, ...new Array<number>(size).fill(0x33));
  parts.push(...trailer);
  return Uint8Array.from(parts);
}

describe('SILK header helpers', () => {
  it('recognises the real WeChat header bytes, prefix included', () => {
    expect(Array.from(wechatHeader)).toEqual([0x02, 0x23, 0x21, 0x53, 0x49, 0x4c, 0x4b, 0x5f, 0x56, 0x33, 0x13, 0x00]);
    expect(isSilk(wechatHeader)).toBe(true);
    expect(hasTencentPrefix(wechatHeader)).toBe(true);
    expect(withTencentPrefix(wechatHeader)).toBe(wechatHeader);
  });

  it('recognises the header without the prefix, and adds the prefix', () => {
    const stripped = wechatHeader.subarray(1);
    expect(isSilk(stripped)).toBe(true);
    expect(hasTencentPrefix(stripped)).toBe(false);
    expect(withTencentPrefix(stripped)).toEqual(wechatHeader);
  });

  it('rejects other data', () => {
    for (const data of [
      new Uint8Array(0),
      Uint8Array.of(0x02),
      new TextEncoder().encode('#!SILK_V2xx'),
      new TextEncoder().encode('OggS'),
    ]) {
      expect(isSilk(data)).toBe(false);
    }
    expect(() => withTencentPrefix(new TextEncoder().encode('RIFF....WAVE'))).toThrow(VoiceConversionError);
  });
});

describe('silkDurationMs', () => {
  it('counts 20 ms per block with and without the prefix', () => {
    for (const prefix of [true, false]) {
      const silk = silkWithBlocks([19, 40, 0, 300], prefix);
      expect(silkBlockCount(silk)).toBe(4);
      expect(silkDurationMs(silk)).toBe(80);
    }
  });

  it('stops at a negative length (the 0xFFFF end marker) and ignores a truncated last block', () => {
    expect(silkDurationMs(silkWithBlocks([10, 10], true, [0xff, 0xff, 1, 2, 3]))).toBe(40);
    const truncated = silkWithBlocks([10, 10, 50], true);
    expect(silkDurationMs(truncated.subarray(0, truncated.length - 1))).toBe(40);
    expect(silkDurationMs(silkWithBlocks([], false, [7]))).toBe(0);
  });

  it('agrees with silk-wasm for an encoded second of audio', async () => {
    const silk = await synthSilk(1);
    expect(hasTencentPrefix(silk)).toBe(true);
    expect(silkDurationMs(silk)).toBe(1000);
    expect(silkDurationMs(silk)).toBe(getDuration(silk));
    expect(silkDurationMs(silk.subarray(1))).toBe(1000);
  });

  it('throws INVALID_SILK for data without a SILK header', () => {
    try {
      silkDurationMs(new TextEncoder().encode('not silk at all'));
      expect.unreachable('silkDurationMs accepted non-SILK data');
    } catch (error) {
      expect(VoiceConversionError.isInstance(error) && error.code).toBe('INVALID_SILK');
    }
  });
});
