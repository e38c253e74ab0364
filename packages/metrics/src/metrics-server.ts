import { createServer, type Server } from 'node:http';
import type { AddressInfo, Socket } from 'node:net';
import type { Logger } from '@wechat/provider-api';
import type { Registry } from 'prom-client';

export interface MetricsServerOptions {
  readonly host: string;
  readonly port: number;
  readonly registry: Registry;
  /**
   * The body of `/health` (JSON). Answered 200 while the process works, also before anyone logged in: a
   * container health check must not call a bridge unhealthy just because it waits for its first login. It
   * is 503 only when this function fails (e.g. the database is unreachable).
   */
  readonly health: () => Promise<Record<string, unknown>>;
  readonly logger: Logger;
}

export interface MetricsServer {
  readonly url: string;
  readonly port: number;
  close(): Promise<void>;
}

/** `/metrics` (Prometheus text format) and `/health` (JSON) on `metrics.listen`. */
export async function startMetricsServer(options: MetricsServerOptions): Promise<MetricsServer> {
  const sockets = new Set<Socket>();
  const server: Server = createServer((request, response) => {
    const path = (request.url ?? '/').split('?')[0];
    if (request.method !== 'GET' && request.method !== 'HEAD') {
      response.writeHead(405, { allow: 'GET, HEAD' }).end();
      return;
    }
    if (path === '/metrics') {
      options.registry
        .metrics()
        .then(text => response.writeHead(200, { 'content-type': options.registry.contentType }).end(text))
        .catch((error: unknown) => {
          options.logger.error({ error }, 'collecting metrics failed');
          response.writeHead(500, { 'content-type': 'text/plain' }).end('collecting metrics failed');
        });
      return;
    }
    if (path === '/health') {
      options
        .health()
        .then(body => {
          response.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify({ status: 'ok', ...body }));
        })
        .catch((error: unknown) => {
          options.logger.warn({ error }, 'health check failed');
          response
            .writeHead(503, { 'content-type': 'application/json' })
            .end(JSON.stringify({ status: 'error', error: error instanceof Error ? error.message : String(error) }));
        });
      return;
    }
    response.writeHead(404, { 'content-type': 'text/plain' }).end('not found: try /metrics or /health');
  });
  server.on('connection', socket => {
    sockets.add(socket);
    socket.once('close', () => sockets.delete(socket));
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port, options.host, () => {
      server.off('error', reject);
      resolve();
    });
  });
  const { port } = server.address() as AddressInfo;
  const host = options.host.includes(':') ? `[${options.host}]` : options.host;
  return {
    url: `http://${host === '0.0.0.0' || host === '[::]' ? '127.0.0.1' : host}:${port}`,
    port,
    close: async () => {
      const closed = new Promise<void>(resolve => server.close(() => resolve()));
      for (const socket of sockets) socket.destroy();
      await closed;
    },
  };
}
