import { describe, expect, it } from 'vitest';
import { createFrameParser, encodePair1Frame } from './frame-codec.ts';
import { NngError } from './nng-error.ts';
import { decodeSpHeader, encodeSpHeader, pair1Protocol, toHex } from './sp-header.ts';

const hex = (text: string) => Uint8Array.from(text.split(' ').filter(Boolean), byte => Number.parseInt(byte, 16));
const isLogin = hex('08 01');

describe('SP header', () => {
  it('is 00 53 50 00 00 11 00 00 for pair1', () => {
    expect(toHex(encodeSpHeader(pair1Protocol))).toBe('00 53 50 00 00 11 00 00');
  });

  it('reads the peer protocol and rejects what is not an SP header', () => {
    expect(decodeSpHeader(hex('00 53 50 00 00 10 00 00'))).toBe(0x10);
    expect(() => decodeSpHeader(hex('47 45 54 20 2f 20 48 54'))).toThrow(NngError);
    expect(() => decodeSpHeader(hex('00 53 50 00 00 11 00 01'))).toThrow(/Not an SP/);
  });
});

describe('pair1 frames', () => {
  it('encode FUNC_IS_LOGIN as 00 00 00 00 00 00 00 06 | 00 00 00 01 | 08 01', () => {
    expect(toHex(encodePair1Frame(isLogin))).toBe('00 00 00 00 00 00 00 06 00 00 00 01 08 01');
  });

  it('parse a frame delivered one byte at a time', () => {
    const parser = createFrameParser();
    const frame = encodePair1Frame(isLogin);
    const frames = [];
    for (const byte of frame) frames.push(...parser.push(Uint8Array.of(byte)));
    expect(frames).toEqual([{ type: 'message', body: isLogin, hops: 1 }]);
    expect(parser.buffered).toBe(0);
  });

  it('parse several frames from one chunk, and a frame split across chunks', () => {
    const parser = createFrameParser();
    const one = encodePair1Frame(hex('0a 0b'));
    const two = encodePair1Frame(new Uint8Array(0));
    const three = encodePair1Frame(hex('01 02 03 04 05'));
    const joined = new Uint8Array([...one, ...two, ...three.subarray(0, 10)]);
    expect(parser.push(joined).map(frame => frame.type === 'message' && toHex(frame.body))).toEqual(['0a 0b', '']);
    expect(parser.buffered).toBe(10);
    expect(parser.push(three.subarray(10))).toEqual([{ type: 'message', body: hex('01 02 03 04 05'), hops: 1 }]);
  });

  it('drop frames that exceeded the TTL (hop > 8) but keep parsing', () => {
    const parser = createFrameParser();
    const frames = parser.push(new Uint8Array([...encodePair1Frame(isLogin, 9), ...encodePair1Frame(isLogin, 8)]));
    expect(frames).toEqual([
      { type: 'dropped', hops: 9 },
      { type: 'message', body: isLogin, hops: 8 },
    ]);
  });

  it('refuse frames shorter than the hop count, and hop counts above 0xff', () => {
    expect(() => createFrameParser().push(hex('00 00 00 00 00 00 00 03 00 00 00'))).toThrow(
      expect.objectContaining({ code: 'frame-malformed' }),
    );
    expect(() => createFrameParser().push(encodePair1Frame(isLogin, 0x100))).toThrow(
      expect.objectContaining({ code: 'frame-malformed' }),
    );
  });

  it('refuse an oversized frame from its header, before its payload arrives', () => {
    const parser = createFrameParser({ maxMessageBytes: 16 });
    expect(() => parser.push(hex('00 00 00 00 00 00 00 15'))).toThrow(expect.objectContaining({ code: 'message-too-large' }));
    // 16 MiB by default, as WeChatFerry's buffers; a u64 length far beyond it is refused the same way.
    expect(() => createFrameParser().push(hex('00 00 00 01 00 00 00 00'))).toThrow(
      expect.objectContaining({ code: 'message-too-large' }),
    );
    expect(createFrameParser({ maxMessageBytes: 16 }).push(encodePair1Frame(new Uint8Array(16)))).toHaveLength(1);
  });
});
