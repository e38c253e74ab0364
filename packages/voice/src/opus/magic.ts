// Header packets are identified by an 8-byte ASCII magic signature.

export function ascii(text: string): Uint8Array {
  return Uint8Array.from(text, char => char.charCodeAt(0));
}

export function startsWith(packet: Uint8Array, magic: string): boolean {
  if (packet.length < magic.length) return false;
  for (let index = 0; index < magic.length; index++) {
    if (packet[index] !== magic.charCodeAt(index)) return false;
  }
  return true;
}
