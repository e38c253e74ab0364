import { describe, expect, it } from 'vitest';
import { oggCrc32 } from './crc32.ts';

describe('oggCrc32', () => {
  it('matches the CRC-32/OGG check value (poly 0x04C11DB7, init 0, no reflection, no final xor)', () => {
    expect(oggCrc32(new TextEncoder().encode('123456789'))).toBe(0x89a1897f);
  });

  it('is 0 for no data and continues across chunks', () => {
    const bytes = new TextEncoder().encode('OggS page body split in two');
    expect(oggCrc32(new Uint8Array(0))).toBe(0);
    expect(oggCrc32(bytes.subarray(10), oggCrc32(bytes.subarray(0, 10)))).toBe(oggCrc32(bytes));
  });

  it('differs from the zlib CRC-32 of the same input', () => {
    // zlib's CRC-32 of "123456789" is 0xcbf43926; Ogg's must not be mistaken for it.
    expect(oggCrc32(new TextEncoder().encode('123456789'))).not.toBe(0xcbf43926);
  });
});
