import { createServer, type Server } from 'node:http';
import type { AddressInfo, Socket } from 'node:net';

/** Stands in for WeChat's emoji CDN: `GET /stodownload?m=<md5>` serves the bytes of a pushed sticker. */
export interface EmojiCdn {
  /** The URL a `<emoji cdnurl="…">` carries for these bytes. */
  add(md5: string, data: Uint8Array, mimeType: string): string;
  close(): Promise<void>;
}

export async function startEmojiCdn(host: string): Promise<EmojiCdn> {
  const files = new Map<string, { data: Uint8Array; mimeType: string }>();
  const sockets = new Set<Socket>();
  const server: Server = createServer((request, response) => {
    const url = new URL(request.url ?? '/', 'http://cdn.invalid');
    const file = url.pathname === '/stodownload' ? files.get(url.searchParams.get('m') ?? '') : undefined;
    if (file === undefined) {
      response.writeHead(404).end();
      return;
    }
    response.writeHead(200, { 'content-type': file.mimeType, 'content-length': file.data.byteLength }).end(file.data);
  });
  server.on('connection', socket => {
    sockets.add(socket);
    socket.once('close', () => sockets.delete(socket));
  });
  await new Promise<void>(resolve => server.listen(0, host, resolve));
  const { port } = server.address() as AddressInfo;
  return {
    add(md5, data, mimeType) {
      files.set(md5, { data, mimeType });
      return `http://${host}:${port}/stodownload?m=${md5}&filekey=${md5}`;
    },
    async close() {
      for (const socket of sockets) socket.destroy();
      await new Promise<void>(resolve => server.close(() => resolve()));
    },
  };
}
