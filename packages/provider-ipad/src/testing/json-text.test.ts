import { inflateSync } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import { idText, parseJsonText, writeJsonText } from './json-text.ts';
import { imageSize, placeholderJpeg, solidPng } from './placeholder-images.ts';
import { createSimIds } from './sim-ids.ts';

describe('json-text', () => {
  it('writes bigint as a bare JSON number and parses it back exactly', () => {
    const text = writeJsonText({ NewMsgId: 7773749793478223190n, MsgId: 1040356095, skip: undefined, s: '朝夕。' });
    expect(text).toBe('{"NewMsgId":7773749793478223190,"MsgId":1040356095,"s":"朝夕。"}');
    expect(parseJsonText(text)).toEqual({ NewMsgId: 7773749793478223190n, MsgId: 1040356095, s: '朝夕。' });
  });

  it('reads ids given as bigint, number or decimal string', () => {
    expect(idText(8449132831264840264n)).toBe('8449132831264840264');
    expect(idText(42)).toBe('42');
    expect(idText(' 8449132831264840264 ')).toBe('8449132831264840264');
    expect(idText('abc')).toBeUndefined();
  });
});

describe('sim ids', () => {
  it('mints NewMsgIds above 2^53 that never repeat, and GeWe-shaped appIds', () => {
    const ids = createSimIds();
    const newMsgIds = Array.from({ length: 200 }, () => ids.newMsgId());
    expect(new Set(newMsgIds).size).toBe(200);
    for (const id of newMsgIds) {
      expect(id > 2n ** 53n).toBe(true);
      expect(id < 2n ** 63n).toBe(true);
    }
    expect(ids.appId()).toMatch(/^wx_[A-Za-z0-9_-]{21}$/);
    expect(ids.roomId()).toMatch(/^\d{11}@chatroom$/);
    expect(ids.ticket('v3')).toMatch(/^v3_[0-9a-f]+@stranger$/);
    expect(ids.msgId()).toBeLessThan(2 ** 32);
  });
});

describe('placeholder images', () => {
  it('generates a valid PNG', () => {
    const png = Buffer.from(solidPng(4, 3, [10, 20, 30]));
    expect(png.subarray(0, 8)).toEqual(Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]));
    expect(imageSize(png)).toEqual({ width: 4, height: 3 });
    const idatLength = png.readUInt32BE(33);
    const pixels = inflateSync(png.subarray(41, 41 + idatLength));
    expect(pixels.length).toBe(3 * (1 + 4 * 3));
    expect([...pixels.subarray(1, 4)]).toEqual([10, 20, 30]);
  });

  it('generates a baseline JPEG whose size reads back as 8×8', () => {
    const jpeg = placeholderJpeg();
    expect([...jpeg.subarray(0, 2)]).toEqual([0xff, 0xd8]);
    expect([...jpeg.subarray(-2)]).toEqual([0xff, 0xd9]);
    expect(imageSize(jpeg)).toEqual({ width: 8, height: 8 });
  });
});
