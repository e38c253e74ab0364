import { once } from 'node:events';
import { connect, createServer, type Server, type Socket } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { encodePair1Frame } from './frame-codec.ts';
import type { Pair1Connection } from './pair1-connection.ts';
import { dialPair1 } from './pair1-dialer.ts';
import { listenPair1, type Pair1Listener } from './pair1-listener.ts';
import { encodeSpHeader, toHex } from './sp-header.ts';

const cleanups: (() => Promise<void> | void)[] = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

async function listener(): Promise<Pair1Listener> {
  const created = await listenPair1({ host: '127.0.0.1', port: 0 });
  cleanups.push(() => created.close());
  return created;
}

async function dial(port: number): Promise<Pair1Connection> {
  const connection = await dialPair1({ host: '127.0.0.1', port, timeoutMs: 2_000 });
  cleanups.push(async () => {
    connection.close();
    await connection.closed;
  });
  return connection;
}

/** A raw TCP client, to look at and forge bytes. */
async function rawClient(port: number): Promise<{ socket: Socket; received: () => Uint8Array }> {
  const socket = connect({ host: '127.0.0.1', port });
  const chunks: Uint8Array[] = [];
  socket.on('data', chunk => chunks.push(chunk));
  socket.on('error', () => {});
  cleanups.push(async () => {
    if (!socket.destroyed) {
      socket.destroy();
      await once(socket, 'close');
    }
  });
  await once(socket, 'connect');
  return { socket, received: () => new Uint8Array(Buffer.concat(chunks)) };
}

/** A raw TCP server, to see exactly what the dialer sends. */
async function rawServer(onSocket: (socket: Socket) => void): Promise<Server & { port: number }> {
  const sockets = new Set<Socket>();
  const server = createServer(socket => {
    sockets.add(socket);
    socket.on('error', () => {});
    onSocket(socket);
  });
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  cleanups.push(async () => {
    for (const socket of sockets) socket.destroy();
    await new Promise(resolve => server.close(resolve));
  });
  const address = server.address();
  return Object.assign(server, { port: typeof address === 'object' && address ? address.port : 0 });
}

describe('pair1 over TCP', () => {
  it('sends the pair1 handshake, then frames with hop count 1', async () => {
    const received: Buffer[] = [];
    const server = await rawServer(socket => {
      socket.on('data', chunk => received.push(chunk));
      socket.write(encodeSpHeader(0x11));
    });
    const connection = await dial(server.port);
    connection.send(Uint8Array.of(0x08, 0x01));
    await expect
      .poll(() => toHex(new Uint8Array(Buffer.concat(received))))
      .toBe('00 53 50 00 00 11 00 00 00 00 00 00 00 00 00 06 00 00 00 01 08 01');
  });

  it('exchanges messages between a dialer and a listener, both ways', async () => {
    const server = await listener();
    const attached = server.waitForPeer();
    const client = await dial(server.port);
    const peer = await attached;
    const atServer: string[] = [];
    const atClient: string[] = [];
    peer.onMessage(body => atServer.push(toHex(body)));
    client.onMessage(body => atClient.push(toHex(body)));
    client.send(Uint8Array.of(0x08, 0x01));
    peer.send(Uint8Array.of(0x08, 0x01, 0x10, 0x01));
    await expect.poll(() => [atServer, atClient]).toEqual([['08 01'], ['08 01 10 01']]);
  });

  it('delivers a frame that arrived in the same chunk as the handshake', async () => {
    const server = await rawServer(socket => {
      socket.write(new Uint8Array([...encodeSpHeader(0x11), ...encodePair1Frame(Uint8Array.of(0x2a))]));
    });
    const connection = await dial(server.port);
    const bodies: string[] = [];
    connection.onMessage(body => bodies.push(toHex(body)));
    await expect.poll(() => bodies).toEqual(['2a']);
  });

  it('refuses a peer that speaks another protocol (nanomsg PAIR v0)', async () => {
    const server = await rawServer(socket => socket.write(encodeSpHeader(0x10)));
    await expect(dialPair1({ host: '127.0.0.1', port: server.port, timeoutMs: 2_000 })).rejects.toMatchObject({
      name: 'NngError',
      code: 'peer-mismatch',
    });

    const pair1 = await listener();
    const refused: string[] = [];
    pair1.onRefused(reason => refused.push(reason.code));
    const raw = await rawClient(pair1.port);
    raw.socket.write(encodeSpHeader(0x10));
    await once(raw.socket, 'close');
    expect(refused).toEqual(['peer-mismatch']);
    expect(toHex(raw.received())).toBe('00 53 50 00 00 11 00 00');
    expect(pair1.peer).toBeUndefined();
  });

  it('refuses a second peer while one is attached, and accepts one again after it left', async () => {
    const server = await listener();
    const refused: string[] = [];
    server.onRefused(reason => refused.push(reason.code));
    const first = await dial(server.port);
    await server.waitForPeer();

    const second = await dial(server.port);
    expect((await second.closed).error?.message).toMatch(/closed the connection/);
    expect(refused).toEqual(['peer-busy']);

    // The first peer is untouched.
    const bodies: string[] = [];
    (await server.waitForPeer()).onMessage(body => bodies.push(toHex(body)));
    first.send(Uint8Array.of(0x01));
    await expect.poll(() => bodies).toEqual(['01']);

    first.close();
    await first.closed;
    await expect.poll(() => server.peer).toBeUndefined();
    const third = await dial(server.port);
    await expect.poll(() => server.peer !== undefined).toBe(true);
    expect(third.isClosed).toBe(false);
  });

  it('closes the pipe on a malformed or oversized frame', async () => {
    const server = await listenPair1({ host: '127.0.0.1', port: 0, maxMessageBytes: 8 });
    cleanups.push(() => server.close());
    for (const frame of [
      Uint8Array.of(0, 0, 0, 0, 0, 0, 0, 2, 0, 0),
      encodePair1Frame(new Uint8Array(9)),
      encodePair1Frame(Uint8Array.of(1), 0x1_00),
    ]) {
      const raw = await rawClient(server.port);
      raw.socket.write(encodeSpHeader(0x11));
      const peer = await server.waitForPeer();
      raw.socket.write(frame);
      const info = await peer.closed;
      expect(info.error).toMatchObject({ name: 'NngError' });
      await once(raw.socket, 'close');
    }
  });

  it('reports a refused connection as connect-failed', async () => {
    const server = await listener();
    const port = server.port;
    await server.close();
    await expect(dialPair1({ host: '127.0.0.1', port, timeoutMs: 2_000 })).rejects.toMatchObject({ code: 'connect-failed' });
  });
});
