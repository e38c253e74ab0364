// Ogg's CRC-32 (RFC 3533 §6): polynomial 0x04C11DB7, MSB first (no reflection), initial value 0, no final XOR.
// It is not the zlib CRC-32, so node:zlib's crc32 cannot be used.

function buildTable(): Uint32Array {
  const table = new Uint32Array(256);
  for (let index = 0; index < 256; index++) {
    let remainder = index << 24;
    for (let bit = 0; bit < 8; bit++) {
      remainder = remainder & 0x80000000 ? (remainder << 1) ^ 0x04c11db7 : remainder << 1;
    }
    table[index] = remainder >>> 0;
  }
  return table;
}

// Built once and only ever read: a constant, not state.
const CRC_TABLE = buildTable();

/** The Ogg CRC-32 of `data`. Pass a previous result as `crc` to continue over several buffers. */
export function oggCrc32(data: Uint8Array, crc = 0): number {
  let value = crc >>> 0;
  for (let index = 0; index < data.length; index++) {
    value = ((value << 8) ^ CRC_TABLE[((value >>> 24) ^ data[index]!) & 0xff]!) >>> 0;
  }
  return value;
}
