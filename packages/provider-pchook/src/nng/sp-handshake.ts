import type { Socket } from 'node:net';
import { NngError } from './nng-error.ts';
import { checkPair1Peer, decodeSpHeader, encodeSpHeader, pair1Protocol, spHeaderLength } from './sp-header.ts';

export interface HandshakeResult {
  readonly peerProtocol: number;
  /** Whatever the peer sent after its header in the same chunk (its first frame, maybe). */
  readonly leftover: Uint8Array;
}

/**
 * Both sides of nng's TCP transport send their 8-byte header at once and read the other's; neither waits.
 * Resolves with the socket paused; rejects with a typed `NngError` and leaves closing the socket to the caller.
 */
export function exchangeSpHeaders(socket: Socket, options: { readonly timeoutMs: number }): Promise<HandshakeResult> {
  return new Promise<HandshakeResult>((resolve, reject) => {
    let received = new Uint8Array(0);
    const finish = (outcome: () => void) => {
      clearTimeout(timer);
      socket.off('data', onData);
      socket.off('close', onClose);
      socket.off('error', onError);
      outcome();
    };
    const onData = (chunk: Uint8Array) => {
      const joined = new Uint8Array(received.byteLength + chunk.byteLength);
      joined.set(received);
      joined.set(chunk, received.byteLength);
      received = joined;
      if (received.byteLength < spHeaderLength) return;
      socket.pause();
      try {
        const peerProtocol = decodeSpHeader(received.subarray(0, spHeaderLength));
        checkPair1Peer(peerProtocol);
        const leftover = received.slice(spHeaderLength);
        finish(() => resolve({ peerProtocol, leftover }));
      } catch (error) {
        finish(() => reject(error));
      }
    };
    const onClose = () => finish(() => reject(new NngError('closed', 'The peer closed the connection during the SP handshake')));
    const onError = (error: Error) =>
      finish(() => reject(new NngError('connect-failed', `The SP handshake failed: ${error.message}`, { cause: error })));
    const timer = setTimeout(
      () => finish(() => reject(new NngError('timeout', `No SP handshake within ${options.timeoutMs} ms`))),
      options.timeoutMs,
    );
    socket.on('data', onData);
    socket.once('close', onClose);
    socket.once('error', onError);
    socket.write(encodeSpHeader(pair1Protocol));
  });
}
