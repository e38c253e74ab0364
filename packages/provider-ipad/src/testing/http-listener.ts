import { createServer, type IncomingMessage, type RequestListener, type ServerResponse } from 'node:http';

export interface HttpListener {
  readonly port: number;
  /** Stops listening and destroys every open connection (keep-alive ones included). */
  close(): Promise<void>;
}

/** Listens on 127.0.0.1 only; port 0 picks a free port. */
export function listenHttp(port: number, handler: RequestListener): Promise<HttpListener> {
  const server = createServer(handler);
  return new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, '127.0.0.1', () => {
      server.off('error', reject);
      const address = server.address();
      const bound = typeof address === 'object' && address !== null ? address.port : port;
      resolve({
        port: bound,
        close: () =>
          new Promise<void>(done => {
            server.close(() => done());
            server.closeAllConnections();
          }),
      });
    });
  });
}

export async function readBody(request: IncomingMessage, limit: number): Promise<Buffer> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of request) {
    const buffer = chunk as Buffer;
    size += buffer.length;
    if (size > limit) throw new Error(`request body over ${limit} bytes`);
    chunks.push(buffer);
  }
  return Buffer.concat(chunks);
}

export function sendBytes(response: ServerResponse, status: number, body: Uint8Array | string, contentType: string): void {
  const data = typeof body === 'string' ? Buffer.from(body, 'utf8') : Buffer.from(body.buffer, body.byteOffset, body.byteLength);
  response.writeHead(status, { 'content-type': contentType, 'content-length': data.length });
  response.end(data);
}
