import { createServer, type Socket } from 'node:net';
import { NngError } from './nng-error.ts';
import { createPair1Connection, type Pair1Connection } from './pair1-connection.ts';
import { exchangeSpHeaders } from './sp-handshake.ts';

export interface ListenPair1Options {
  /** Default `127.0.0.1`. */
  readonly host?: string;
  /** Default 0: an ephemeral port (read it back from `listener.port`). */
  readonly port?: number;
  readonly maxMessageBytes?: number;
  readonly handshakeTimeoutMs?: number;
}

/** A pair1 listener, as WeChatFerry's host runs on its two ports: one peer at a time. */
export interface Pair1Listener {
  readonly host: string;
  readonly port: number;
  /** The attached peer, if any. */
  readonly peer: Pair1Connection | undefined;
  /** Called for each peer that attaches. */
  onPeer(listener: (peer: Pair1Connection) => void): () => void;
  /** Called for each connection refused: another peer was attached (`peer-busy`) or the handshake failed. */
  onRefused(listener: (reason: NngError) => void): () => void;
  /** Resolves once a peer is attached (at once if one is). Rejects when `signal` aborts or the listener closes. */
  waitForPeer(signal?: AbortSignal): Promise<Pair1Connection>;
  /** Stops listening and closes every connection, the peer's included. */
  close(): Promise<void>;
}

export async function listenPair1(options: ListenPair1Options = {}): Promise<Pair1Listener> {
  const host = options.host ?? '127.0.0.1';
  const sockets = new Set<Socket>();
  const peerListeners = new Set<(peer: Pair1Connection) => void>();
  const refusedListeners = new Set<(reason: NngError) => void>();
  let peer: Pair1Connection | undefined;
  let closing = false;

  const refuse = (socket: Socket, reason: NngError) => {
    socket.destroy();
    for (const listener of [...refusedListeners]) listener(reason);
  };

  const server = createServer({ noDelay: true }, socket => {
    if (closing) {
      socket.destroy();
      return;
    }
    sockets.add(socket);
    socket.once('close', () => sockets.delete(socket));
    socket.on('error', () => {
      // Reported through 'close'; an unhandled 'error' would crash the process.
    });
    exchangeSpHeaders(socket, { timeoutMs: options.handshakeTimeoutMs ?? 5_000 }).then(
      ({ peerProtocol, leftover }) => {
        if (closing) {
          socket.destroy();
          return;
        }
        // nng's pair1 runs the transport handshake first and only then refuses a second pipe.
        if (peer !== undefined && !peer.isClosed) {
          refuse(socket, new NngError('peer-busy', 'pair1 takes one peer and one is attached (NNG-PAIR-BUSY)'));
          return;
        }
        const connection = createPair1Connection(socket, {
          peerProtocol,
          leftover,
          ...(options.maxMessageBytes === undefined ? {} : { maxMessageBytes: options.maxMessageBytes }),
        });
        peer = connection;
        void connection.closed.then(() => {
          if (peer === connection) peer = undefined;
        });
        for (const listener of [...peerListeners]) listener(connection);
      },
      (error: unknown) =>
        refuse(socket, NngError.is(error) ? error : new NngError('handshake-invalid', String(error), { cause: error })),
    );
  });

  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen({ host, port: options.port ?? 0 }, () => {
      server.off('error', reject);
      resolve();
    });
  });
  const address = server.address();
  const port = typeof address === 'object' && address !== null ? address.port : (options.port ?? 0);

  return {
    host,
    port,
    get peer() {
      return peer !== undefined && !peer.isClosed ? peer : undefined;
    },
    onPeer(listener) {
      peerListeners.add(listener);
      return () => {
        peerListeners.delete(listener);
      };
    },
    onRefused(listener) {
      refusedListeners.add(listener);
      return () => {
        refusedListeners.delete(listener);
      };
    },
    waitForPeer(signal) {
      const current = peer !== undefined && !peer.isClosed ? peer : undefined;
      if (current) return Promise.resolve(current);
      return new Promise<Pair1Connection>((resolve, reject) => {
        const cleanup = () => {
          peerListeners.delete(onPeer);
          signal?.removeEventListener('abort', onAbort);
          server.off('close', onClose);
        };
        const onPeer = (connection: Pair1Connection) => {
          cleanup();
          resolve(connection);
        };
        const onAbort = () => {
          cleanup();
          reject(new NngError('timeout', 'No peer attached in time'));
        };
        const onClose = () => {
          cleanup();
          reject(new NngError('closed', 'The listener closed'));
        };
        if (signal?.aborted) return onAbort();
        peerListeners.add(onPeer);
        signal?.addEventListener('abort', onAbort, { once: true });
        server.once('close', onClose);
      });
    },
    async close() {
      if (closing) return;
      closing = true;
      const closed = new Promise<void>(resolve => server.close(() => resolve()));
      // A socket leaves `sockets` on 'close', so every one still in it has a 'close' to wait for.
      const socketsClosed = [...sockets].map(
        socket =>
          new Promise<void>(resolve => {
            socket.once('close', () => resolve());
            socket.destroy();
          }),
      );
      await Promise.all([closed, ...socketsClosed]);
      peerListeners.clear();
      refusedListeners.clear();
    },
  };
}
