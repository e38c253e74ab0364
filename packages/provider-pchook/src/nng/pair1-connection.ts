import type { Socket } from 'node:net';
import { createFrameParser, encodePair1Frame } from './frame-codec.ts';
import { NngError } from './nng-error.ts';

export interface Pair1CloseInfo {
  /** Why the pipe closed; absent when this side closed it. */
  readonly error?: Error;
}

/** One attached pair1 pipe (after the SP handshake): whole messages in, whole messages out. */
export interface Pair1Connection {
  /** The peer's SP protocol (always 0x11 once attached). */
  readonly peerProtocol: number;
  readonly remoteAddress: string;
  /** Queues one message; throws `NngError('closed')` once the pipe is gone. */
  send(body: Uint8Array): void;
  /**
   * Receives every message. Messages that arrived before the first listener was added are delivered to it,
   * so nothing is lost between the handshake and the caller subscribing.
   */
  onMessage(listener: (body: Uint8Array) => void): () => void;
  /** Resolves (never rejects) once the socket is fully closed. */
  readonly closed: Promise<Pair1CloseInfo>;
  readonly isClosed: boolean;
  /** Closes the pipe; idempotent. */
  close(): void;
}

export interface Pair1ConnectionOptions {
  readonly peerProtocol: number;
  /** Bytes that followed the peer's handshake in the same TCP chunk. */
  readonly leftover?: Uint8Array;
  readonly maxMessageBytes?: number;
  readonly maxHops?: number;
}

/** Takes over a socket whose handshake is done. */
export function createPair1Connection(socket: Socket, options: Pair1ConnectionOptions): Pair1Connection {
  const parser = createFrameParser({
    ...(options.maxMessageBytes === undefined ? {} : { maxMessageBytes: options.maxMessageBytes }),
    ...(options.maxHops === undefined ? {} : { maxHops: options.maxHops }),
  });
  const listeners = new Set<(body: Uint8Array) => void>();
  const early: Uint8Array[] = [];
  let closeError: Error | undefined;
  let isClosed = false;
  let resolveClosed: (info: Pair1CloseInfo) => void = () => {};
  const closed = new Promise<Pair1CloseInfo>(resolve => {
    resolveClosed = resolve;
  });

  const fail = (error: Error) => {
    closeError ??= error;
    socket.destroy();
  };

  const deliver = (body: Uint8Array) => {
    if (listeners.size === 0) {
      early.push(body);
      return;
    }
    for (const listener of [...listeners]) listener(body);
  };

  const receive = (chunk: Uint8Array) => {
    if (isClosed) return;
    try {
      for (const frame of parser.push(chunk)) {
        if (frame.type === 'message') deliver(frame.body);
      }
    } catch (error) {
      // nng closes the pipe on a frame it cannot trust; so do we.
      fail(error instanceof Error ? error : new Error(String(error)));
    }
  };

  socket.on('data', receive);
  socket.on('error', error => {
    closeError ??= new NngError('closed', `The connection failed: ${error.message}`, { cause: error });
  });
  socket.once('close', () => {
    isClosed = true;
    listeners.clear();
    resolveClosed(closeError === undefined ? {} : { error: closeError });
  });
  socket.on('end', () => {
    closeError ??= new NngError('closed', 'The peer closed the connection');
    socket.destroy();
  });

  const remoteAddress = `${socket.remoteAddress ?? '?'}:${socket.remotePort ?? '?'}`;
  if (options.leftover !== undefined && options.leftover.byteLength > 0) receive(options.leftover);
  // The handshake paused the socket so no byte slipped past between its listener and ours.
  socket.resume();

  return {
    peerProtocol: options.peerProtocol,
    remoteAddress,
    get isClosed() {
      return isClosed || socket.destroyed;
    },
    closed,
    send(body) {
      if (isClosed || socket.destroyed) throw new NngError('closed', 'The pair1 connection is closed');
      socket.write(encodePair1Frame(body));
    },
    onMessage(listener) {
      listeners.add(listener);
      while (early.length > 0 && listeners.has(listener)) listener(early.shift() as Uint8Array);
      return () => {
        listeners.delete(listener);
      };
    },
    close() {
      socket.destroy();
    },
  };
}
