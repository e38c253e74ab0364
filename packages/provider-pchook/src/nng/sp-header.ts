import { NngError } from './nng-error.ts';

/** NNG's SP protocol number for pair1 (pair v0, legacy nanomsg's PAIR, is 0x10). */
export const pair1Protocol = 0x11;
export const spHeaderLength = 8;

/** The 8 bytes each side sends first: `00 'S' 'P' 00`, the protocol as u16 big-endian, two reserved zeros. */
export function encodeSpHeader(protocol: number): Uint8Array {
  return Uint8Array.of(0x00, 0x53, 0x50, 0x00, (protocol >> 8) & 0xff, protocol & 0xff, 0x00, 0x00);
}

/** The peer's protocol number; throws `handshake-invalid` for anything that is not an SP header. */
export function decodeSpHeader(header: Uint8Array): number {
  const valid =
    header.byteLength === spHeaderLength &&
    header[0] === 0x00 &&
    header[1] === 0x53 &&
    header[2] === 0x50 &&
    header[3] === 0x00 &&
    header[6] === 0x00 &&
    header[7] === 0x00;
  if (!valid) {
    throw new NngError('handshake-invalid', `Not an SP (nng) peer: its header is ${toHex(header)}`);
  }
  return ((header[4] ?? 0) << 8) | (header[5] ?? 0);
}

/** pair1 only talks to pair1. */
export function checkPair1Peer(protocol: number): void {
  if (protocol !== pair1Protocol) {
    throw new NngError(
      'peer-mismatch',
      `The peer speaks SP protocol 0x${protocol.toString(16).padStart(2, '0')}, not pair1 (0x11)${
        protocol === 0x10 ? ': legacy nanomsg PAIR v0 cannot talk to WeChatFerry' : ''
      }`,
    );
  }
}

export function toHex(bytes: Uint8Array): string {
  return Array.from(bytes, byte => byte.toString(16).padStart(2, '0')).join(' ');
}
