import { createServer, type Server } from 'node:net';

function listen(host: string, port: number): Promise<Server> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen({ host, port }, () => {
      server.off('error', reject);
      resolve(server);
    });
  });
}

const close = (server: Server) => new Promise<void>(resolve => server.close(() => resolve()));

/**
 * Two consecutive free ports, as WeChatFerry needs (commands on N, pushes on N+1): N is ephemeral (port 0),
 * N+1 is checked free. Someone may still take either before the caller binds them; callers retry on EADDRINUSE.
 */
export async function findPortPair(host = '127.0.0.1'): Promise<number> {
  for (let attempt = 0; attempt < 20; attempt++) {
    const first = await listen(host, 0);
    const address = first.address();
    const port = typeof address === 'object' && address !== null ? address.port : 0;
    try {
      if (port >= 65_535) continue;
      await close(await listen(host, port + 1));
      return port;
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'EADDRINUSE') throw error;
    } finally {
      await close(first);
    }
  }
  throw new Error('Found no two consecutive free ports');
}
