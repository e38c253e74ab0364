import { NngError } from './nng-error.ts';

/** WeChatFerry allocates 16 MiB buffers for both sockets; nothing larger can be a real message. */
export const defaultMaxMessageBytes = 16 * 1024 * 1024;
/** nng's default maximum TTL for pair1: frames that travelled further are dropped, not delivered. */
export const defaultMaxHops = 8;

const lengthBytes = 8;
const hopBytes = 4;

/**
 * One message as a cooked pair1 sender puts it on TCP: `u64_be(4 + body length) ‖ u32_be(hops) ‖ body`.
 * The sender appends hop count 0 and increments it before sending, so the wire carries 1.
 */
export function encodePair1Frame(body: Uint8Array, hops = 1): Uint8Array {
  const frame = new Uint8Array(lengthBytes + hopBytes + body.byteLength);
  const view = new DataView(frame.buffer);
  view.setBigUint64(0, BigInt(hopBytes + body.byteLength));
  view.setUint32(lengthBytes, hops);
  frame.set(body, lengthBytes + hopBytes);
  return frame;
}

export type ParsedFrame =
  | { readonly type: 'message'; readonly body: Uint8Array; readonly hops: number }
  /** Valid, but it exceeded the TTL: nng drops it silently and keeps the pipe. */
  | { readonly type: 'dropped'; readonly hops: number };

export interface FrameParser {
  /**
   * Feeds bytes as TCP delivers them (any split: half a length, three frames at once). Returns the frames that
   * are now complete. Throws `NngError` (`message-too-large`, `frame-malformed`) when the pipe must be closed.
   */
  push(chunk: Uint8Array): ParsedFrame[];
  /** Bytes received but not yet part of a complete frame. */
  readonly buffered: number;
}

export function createFrameParser(options: { maxMessageBytes?: number; maxHops?: number } = {}): FrameParser {
  const maxMessageBytes = options.maxMessageBytes ?? defaultMaxMessageBytes;
  const maxHops = options.maxHops ?? defaultMaxHops;
  // Chunks are kept as they came and joined only once a whole frame is there: a 16 MiB message arriving in
  // 64 KiB pieces is copied once, not once per piece.
  const chunks: Uint8Array[] = [];
  let size = 0;

  const take = (count: number): Uint8Array => {
    const first = chunks[0];
    if (first !== undefined && first.byteLength >= count) {
      const taken = first.subarray(0, count);
      if (first.byteLength === count) chunks.shift();
      else chunks[0] = first.subarray(count);
      size -= count;
      return taken;
    }
    const taken = new Uint8Array(count);
    let filled = 0;
    while (filled < count) {
      const chunk = chunks[0] as Uint8Array;
      const part = Math.min(chunk.byteLength, count - filled);
      taken.set(chunk.subarray(0, part), filled);
      filled += part;
      if (part === chunk.byteLength) chunks.shift();
      else chunks[0] = chunk.subarray(part);
    }
    size -= count;
    return taken;
  };

  const peekHeader = (): DataView => {
    const header = new Uint8Array(lengthBytes + hopBytes);
    let filled = 0;
    for (const chunk of chunks) {
      const part = Math.min(chunk.byteLength, header.byteLength - filled);
      header.set(chunk.subarray(0, part), filled);
      filled += part;
      if (filled === header.byteLength) break;
    }
    return new DataView(header.buffer);
  };

  return {
    get buffered() {
      return size;
    },
    push(chunk) {
      if (chunk.byteLength > 0) {
        // Copied: the caller (a net.Socket) may reuse its buffer.
        chunks.push(Uint8Array.from(chunk));
        size += chunk.byteLength;
      }
      const frames: ParsedFrame[] = [];
      while (size >= lengthBytes) {
        const header = peekHeader();
        const length = header.getBigUint64(0);
        // Checked before waiting for the payload, so a bogus length cannot make us buffer gigabytes.
        if (length < BigInt(hopBytes)) {
          throw new NngError('frame-malformed', `A frame of ${length} bytes cannot hold the 4-byte hop count`);
        }
        if (length - BigInt(hopBytes) > BigInt(maxMessageBytes)) {
          throw new NngError('message-too-large', `A frame announces ${length} bytes; the limit is ${maxMessageBytes} + 4`);
        }
        const total = lengthBytes + Number(length);
        if (size < total) break;
        const hops = header.getUint32(lengthBytes);
        if (hops > 0xff) {
          throw new NngError('frame-malformed', `A frame carries hop count 0x${hops.toString(16)}, above 0xff`);
        }
        take(lengthBytes + hopBytes);
        const body = take(total - lengthBytes - hopBytes);
        if (hops > maxHops) frames.push({ type: 'dropped', hops });
        else frames.push({ type: 'message', body, hops });
      }
      return frames;
    },
  };
}
