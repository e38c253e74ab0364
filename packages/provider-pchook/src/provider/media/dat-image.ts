/** The image formats WeChat 3.x stores XOR-ed in `.dat` files, by their first two bytes. */
const imageMagics = [
  { first: 0x89, second: 0x50, extension: 'png', mimeType: 'image/png' },
  { first: 0xff, second: 0xd8, extension: 'jpg', mimeType: 'image/jpeg' },
  { first: 0x47, second: 0x49, extension: 'gif', mimeType: 'image/gif' },
] as const;

export interface DatImageFormat {
  readonly key: number;
  readonly extension: 'png' | 'jpg' | 'gif';
  readonly mimeType: 'image/png' | 'image/jpeg' | 'image/gif';
}

/**
 * The XOR key of a WeChat 3.x image `.dat`: the byte that turns its first two bytes into a known magic
 * (PNG 89 50, JPEG FF D8, GIF 47 49). Undefined when none fits (WeChat 4.x's `07 08 56 31` files among others).
 */
export function detectDatImage(bytes: Uint8Array): DatImageFormat | undefined {
  if (bytes.byteLength < 2) return undefined;
  const [b0, b1] = bytes as unknown as [number, number];
  for (const magic of imageMagics) {
    const key = magic.first ^ b0;
    if ((magic.second ^ key) === b1) return { key, extension: magic.extension, mimeType: magic.mimeType };
  }
  return undefined;
}

/** XORs every byte with `key` (encoding and decoding are the same operation). */
export function xorBytes(bytes: Uint8Array, key: number): Uint8Array {
  const out = new Uint8Array(bytes.byteLength);
  for (let index = 0; index < bytes.byteLength; index++) out[index] = (bytes[index] as number) ^ key;
  return out;
}

/** Decodes a WeChat 3.x image `.dat`; undefined when its format is not recognised. */
export function decodeDatImage(bytes: Uint8Array): (DatImageFormat & { readonly data: Uint8Array }) | undefined {
  const format = detectDatImage(bytes);
  return format === undefined ? undefined : { ...format, data: xorBytes(bytes, format.key) };
}
