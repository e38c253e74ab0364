import { connect } from 'node:net';
import { NngError } from './nng-error.ts';
import { createPair1Connection, type Pair1Connection } from './pair1-connection.ts';
import { exchangeSpHeaders } from './sp-handshake.ts';

export interface DialPair1Options {
  readonly host: string;
  readonly port: number;
  /** For the TCP connect and the SP handshake together. Default 5000 ms. */
  readonly timeoutMs?: number;
  readonly maxMessageBytes?: number;
  /** Aborting cancels a dial in progress. */
  readonly signal?: AbortSignal;
}

/** Connects as pair1 to an nng listener (WeChatFerry's `tcp://host:port`); resolves once the handshake is done. */
export function dialPair1(options: DialPair1Options): Promise<Pair1Connection> {
  const timeoutMs = options.timeoutMs ?? 5_000;
  return new Promise<Pair1Connection>((resolve, reject) => {
    if (options.signal?.aborted) {
      reject(new NngError('closed', 'The dial was aborted'));
      return;
    }
    const socket = connect({ host: options.host, port: options.port, noDelay: true });
    // A pair1 pipe is otherwise silent while idle; keep-alive lets the OS notice a vanished host.
    socket.setKeepAlive(true, 10_000);
    let settled = false;
    const settle = (outcome: () => void) => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      options.signal?.removeEventListener('abort', onAbort);
      outcome();
    };
    const failWith = (error: NngError) =>
      settle(() => {
        socket.destroy();
        reject(error);
      });
    const onAbort = () => failWith(new NngError('closed', 'The dial was aborted'));
    const onConnectError = (error: Error) =>
      failWith(
        new NngError('connect-failed', `Cannot connect to ${options.host}:${options.port}: ${error.message}`, { cause: error }),
      );
    const timer = setTimeout(
      () => failWith(new NngError('timeout', `No pair1 connection to ${options.host}:${options.port} within ${timeoutMs} ms`)),
      timeoutMs,
    );
    options.signal?.addEventListener('abort', onAbort, { once: true });
    socket.once('error', onConnectError);
    socket.once('connect', () => {
      socket.off('error', onConnectError);
      exchangeSpHeaders(socket, { timeoutMs }).then(
        ({ peerProtocol, leftover }) =>
          settle(() =>
            resolve(
              createPair1Connection(socket, {
                peerProtocol,
                leftover,
                ...(options.maxMessageBytes === undefined ? {} : { maxMessageBytes: options.maxMessageBytes }),
              }),
            ),
          ),
        (error: unknown) =>
          failWith(NngError.is(error) ? error : new NngError('connect-failed', String(error), { cause: error })),
      );
    });
  });
}
