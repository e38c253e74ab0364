import { describe, expect, it } from 'vitest';
import { decodeDatImage, detectDatImage, xorBytes } from './dat-image.ts';

describe('WeChat .dat images (XOR)', () => {
  it('finds key 0x1E for a JPEG FF D8 FF stored as E1 C6 E1', () => {
    const stored = Uint8Array.of(0xe1, 0xc6, 0xe1);
    expect(detectDatImage(stored)).toEqual({ key: 0x1e, extension: 'jpg', mimeType: 'image/jpeg' });
    expect(decodeDatImage(stored)?.data).toEqual(Uint8Array.of(0xff, 0xd8, 0xff));
  });

  it.each([
    ['PNG', Uint8Array.of(0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a), 'png', 'image/png'],
    ['GIF', new TextEncoder().encode('GIF89a'), 'gif', 'image/gif'],
    ['JPEG', Uint8Array.of(0xff, 0xd8, 0xff, 0xe0, 0x00, 0x10), 'jpg', 'image/jpeg'],
  ])('decodes a %s whatever the key', (_name, image, extension, mimeType) => {
    for (const key of [0x00, 0x1e, 0x7f, 0xa5, 0xff]) {
      const decoded = decodeDatImage(xorBytes(image, key));
      expect(decoded).toEqual({ key, extension, mimeType, data: image });
    }
  });

  it('recognises nothing else', () => {
    expect(detectDatImage(Uint8Array.of(0x07, 0x08, 0x56, 0x31))).toBeUndefined();
    expect(detectDatImage(Uint8Array.of(0x01))).toBeUndefined();
    expect(decodeDatImage(new TextEncoder().encode('plain text'))).toBeUndefined();
  });
});
