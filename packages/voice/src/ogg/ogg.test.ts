import { describe, expect, it } from 'vitest';
import { VoiceConversionError } from '../errors.ts';
import { pseudoRandomBytes } from '../testing/synth-audio.ts';
import { oggCrc32 } from './crc32.ts';
import { demuxOgg } from './ogg-demux.ts';
import { muxOggPackets, type OggPacketInput } from './ogg-mux.ts';
import { OGG_NO_GRANULE, type OggPage, parseOggPage, readOggPages, writeOggPage } from './ogg-page.ts';

function bytesOf(length: number, seed: number): Uint8Array {
  return pseudoRandomBytes(length, seed);
}

function expectInvalidOgg(run: () => unknown, message?: RegExp): void {
  try {
    run();
  } catch (error) {
    expect(VoiceConversionError.isInstance(error)).toBe(true);
    expect((error as VoiceConversionError).code).toBe('INVALID_OGG');
    if (message !== undefined) expect((error as Error).message).toMatch(message);
    return;
  }
  throw new Error('expected an INVALID_OGG error');
}

const samplePage: OggPage = {
  continued: false,
  bos: true,
  eos: false,
  granulePosition: 0x0102030405060708n,
  serial: 0xdeadbeef,
  sequence: 7,
  segments: [3, 0],
  body: Uint8Array.of(0x61, 0x62, 0x63),
};

describe('Ogg pages', () => {
  it('lays out the header as RFC 3533 specifies, with the CRC over the page with a zeroed CRC field', () => {
    const bytes = writeOggPage(samplePage);
    const view = new DataView(bytes.buffer);
    expect(new TextDecoder().decode(bytes.subarray(0, 4))).toBe('OggS');
    expect(bytes[4]).toBe(0);
    expect(bytes[5]).toBe(0x02);
    expect(view.getBigUint64(6, true)).toBe(0x0102030405060708n);
    expect(view.getUint32(14, true)).toBe(0xdeadbeef);
    expect(view.getUint32(18, true)).toBe(7);
    expect(bytes[26]).toBe(2);
    expect(Array.from(bytes.subarray(27, 29))).toEqual([3, 0]);
    expect(Array.from(bytes.subarray(29))).toEqual([0x61, 0x62, 0x63]);
    const zeroed = bytes.slice();
    zeroed.fill(0, 22, 26);
    expect(view.getUint32(22, true)).toBe(oggCrc32(zeroed));
  });

  it('round-trips every field through parseOggPage', () => {
    const page: OggPage = { ...samplePage, continued: true, bos: false, eos: true, granulePosition: OGG_NO_GRANULE };
    const bytes = writeOggPage(page);
    const parsed = parseOggPage(bytes);
    expect(parsed.nextOffset).toBe(bytes.length);
    expect({ ...parsed.page, body: Array.from(parsed.page.body) }).toEqual({ ...page, body: Array.from(page.body) });
  });

  it('rejects a flipped byte anywhere in the page with a CRC mismatch', () => {
    const bytes = writeOggPage(samplePage);
    for (const index of [5, 6, 14, 18, 22, 27, bytes.length - 1]) {
      const corrupted = bytes.slice();
      corrupted[index]! ^= 0x01;
      expectInvalidOgg(() => parseOggPage(corrupted), /CRC mismatch|truncated/);
    }
  });

  it('rejects a missing capture pattern, a wrong version and truncation', () => {
    const bytes = writeOggPage(samplePage);
    const noCapture = bytes.slice();
    noCapture[0] = 0x6f;
    expectInvalidOgg(() => parseOggPage(noCapture), /capture pattern/);
    const version = bytes.slice();
    version[4] = 1;
    expectInvalidOgg(() => parseOggPage(version), /version 1/);
    expectInvalidOgg(() => parseOggPage(bytes.subarray(0, 20)), /truncated page header/);
    expectInvalidOgg(() => parseOggPage(bytes.subarray(0, 28)), /truncated segment table/);
    expectInvalidOgg(() => parseOggPage(bytes.subarray(0, bytes.length - 1)), /truncated page body/);
    expectInvalidOgg(() => readOggPages(new Uint8Array(0)), /empty/);
  });

  it('refuses to write a segment table that does not match the body', () => {
    expect(() => writeOggPage({ ...samplePage, segments: [4] })).toThrow(RangeError);
    expect(() => writeOggPage({ ...samplePage, segments: Array(256).fill(0), body: new Uint8Array(0) })).toThrow(RangeError);
  });
});

describe('muxOggPackets / demuxOgg', () => {
  it('round-trips packets of awkward sizes with their granule positions', () => {
    const sizes = [0, 1, 254, 255, 256, 510, 4000, 70_000, 3];
    const packets: OggPacketInput[] = sizes.map((size, index) => ({
      data: bytesOf(size, index + 1),
      granulePosition: BigInt(index * 960),
    }));
    const ogg = muxOggPackets(packets, { serial: 42 });
    const demuxed = demuxOgg(ogg);
    expect(demuxed.map(packet => packet.data)).toEqual(packets.map(packet => packet.data));
    expect(demuxed.every(packet => packet.serial === 42)).toBe(true);
    expect(demuxed[0]!.bos).toBe(true);
    expect(demuxed.filter(packet => packet.bos)).toHaveLength(1);
    expect(demuxed.at(-1)!.eos).toBe(true);
    expect(demuxed.at(-1)!.granulePosition).toBe(BigInt(8 * 960));
    // Each granule that is reported belongs to the last packet ending on its page.
    for (const [index, packet] of demuxed.entries()) {
      if (packet.granulePosition !== OGG_NO_GRANULE) expect(packet.granulePosition).toBe(BigInt(index * 960));
    }
  });

  it('flags BOS on the first page, EOS on the last, and numbers pages from 0', () => {
    const packets = Array.from({ length: 10 }, (_, index) => ({
      data: bytesOf(1000, index + 1),
      granulePosition: BigInt(index),
    }));
    const pages = readOggPages(muxOggPackets(packets, { serial: 9, targetPageBytes: 2500 }));
    expect(pages.length).toBeGreaterThan(2);
    expect(pages.map(page => page.sequence)).toEqual(pages.map((_, index) => index));
    expect(pages.map(page => page.bos)).toEqual(pages.map((_, index) => index === 0));
    expect(pages.map(page => page.eos)).toEqual(pages.map((_, index) => index === pages.length - 1));
    expect(pages.every(page => page.body.length >= 2500 || page.eos)).toBe(true);
  });

  it('terminates packets of exactly 255 and 510 bytes with a 0 lace', () => {
    const pages = readOggPages(
      muxOggPackets(
        [
          { data: bytesOf(255, 1), granulePosition: 1n },
          { data: bytesOf(510, 2), granulePosition: 2n },
          { data: new Uint8Array(0), granulePosition: 3n },
        ],
        { serial: 1 },
      ),
    );
    expect(pages).toHaveLength(1);
    expect(pages[0]!.segments).toEqual([255, 0, 255, 255, 0, 0]);
    expect(pages[0]!.granulePosition).toBe(3n);
  });

  it('spans a packet larger than 255 × 255 bytes over pages with the continued flag', () => {
    const big = bytesOf(255 * 255 + 1000, 7);
    const pages = readOggPages(muxOggPackets([{ data: big, granulePosition: 5n }], { serial: 3 }));
    expect(pages).toHaveLength(2);
    expect(pages[0]!.segments).toHaveLength(255);
    expect(pages[0]!.continued).toBe(false);
    // No packet ends on the first page, so it carries no granule position.
    expect(pages[0]!.granulePosition).toBe(OGG_NO_GRANULE);
    expect(pages[1]!.continued).toBe(true);
    expect(pages[1]!.granulePosition).toBe(5n);
    expect(pages[1]!.segments).toEqual([255, 255, 255, 1000 - 3 * 255]);
    expect(demuxOgg(muxOggPackets([{ data: big, granulePosition: 5n }], { serial: 3 }))[0]!.data).toEqual(big);
  });

  it('puts the terminating 0 lace of a packet of exactly 255 × 255 bytes on a continued page of its own', () => {
    const exact = bytesOf(255 * 255, 8);
    const ogg = muxOggPackets([{ data: exact, granulePosition: 1n }], { serial: 3 });
    const pages = readOggPages(ogg);
    expect(pages).toHaveLength(2);
    expect(pages[1]!.continued).toBe(true);
    expect(pages[1]!.segments).toEqual([0]);
    expect(pages[1]!.eos).toBe(true);
    expect(demuxOgg(ogg)[0]!.data).toEqual(exact);
  });

  it('starts a fresh page after a packet flagged flushPage', () => {
    const pages = readOggPages(
      muxOggPackets(
        [
          { data: bytesOf(19, 1), granulePosition: 0n, flushPage: true },
          { data: bytesOf(20, 2), granulePosition: 10n },
          { data: bytesOf(20, 3), granulePosition: 20n },
        ],
        { serial: 1 },
      ),
    );
    expect(pages.map(page => page.segments)).toEqual([[19], [20, 20]]);
    expect(pages.map(page => page.granulePosition)).toEqual([0n, 20n]);
  });

  it('returns nothing for no packets', () => {
    expect(muxOggPackets([], { serial: 1 })).toHaveLength(0);
  });

  it('demuxes chained streams by serial', () => {
    const first = muxOggPackets([{ data: bytesOf(10, 1), granulePosition: 1n }], { serial: 1 });
    const second = muxOggPackets([{ data: bytesOf(20, 2), granulePosition: 2n }], { serial: 2 });
    const chained = new Uint8Array([...first, ...second]);
    const packets = demuxOgg(chained);
    expect(packets.map(packet => [packet.serial, packet.data.length, packet.bos, packet.eos])).toEqual([
      [1, 10, true, true],
      [2, 20, true, true],
    ]);
  });

  it('rejects lost pages, orphan continuations, truncation and pages after EOS', () => {
    const packets = Array.from({ length: 6 }, (_, index) => ({ data: bytesOf(3000, index + 1), granulePosition: BigInt(index) }));
    const ogg = muxOggPackets(packets, { serial: 5 });
    const pages = readOggPages(ogg).map(page => writeOggPage(page));
    const join = (parts: Uint8Array[]) => new Uint8Array(parts.flatMap(part => Array.from(part)));

    expectInvalidOgg(() => demuxOgg(join([pages[0]!, pages[2]!])), /skips from page 1 to 2/);
    expectInvalidOgg(() => demuxOgg(join(pages.slice(1))), /without a BOS page/);
    expectInvalidOgg(() => demuxOgg(join([...pages, pages.at(-1)!])), /after its EOS page|skips/);
    expectInvalidOgg(() => demuxOgg(ogg.subarray(0, ogg.length - 10)), /truncated/);

    const spanning = readOggPages(muxOggPackets([{ data: bytesOf(70_000, 1), granulePosition: 1n }], { serial: 6 }));
    expectInvalidOgg(() => demuxOgg(writeOggPage({ ...spanning[0]!, eos: true })), /ends inside a packet/);
    expectInvalidOgg(() => demuxOgg(writeOggPage(spanning[0]!)), /truncated inside a packet/);
    const notContinued = writeOggPage({ ...spanning[1]!, continued: false });
    expectInvalidOgg(() => demuxOgg(join([writeOggPage(spanning[0]!), notContinued])), /drops the unfinished packet/);
    const orphan = writeOggPage({ ...spanning[1]!, bos: true, sequence: 0 });
    expectInvalidOgg(() => demuxOgg(orphan), /never started/);
  });

  it('rejects random bytes', () => {
    for (let seed = 1; seed <= 20; seed++) expectInvalidOgg(() => demuxOgg(bytesOf(500, seed)));
  });
});
