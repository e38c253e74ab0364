import { once } from 'node:events';
import { createServer } from 'node:net';

/**
 * A TCP port on 127.0.0.1 that nothing listens on right now: the kernel picks one for a throw-away listener,
 * which is closed again before the port is handed out. Another process could take it in between; the ports
 * come from the kernel's ephemeral range, where that is unlikely enough for tests.
 */
export async function freePort(): Promise<number> {
  const server = createServer();
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  const address = server.address();
  server.close();
  await once(server, 'close');
  if (address === null || typeof address === 'string') throw new Error(`unexpected listener address ${String(address)}`);
  return address.port;
}

/**
 * `count` distinct free ports: every throw-away listener stays open until all are picked, so the kernel cannot
 * hand out the same port twice (sequential `freePort()` calls can, since each port is free again at once).
 */
export async function freePorts(count: number): Promise<number[]> {
  const servers = Array.from({ length: count }, () => createServer().listen(0, '127.0.0.1'));
  try {
    await Promise.all(servers.map(server => once(server, 'listening')));
    return servers.map(server => {
      const address = server.address();
      if (address === null || typeof address === 'string') throw new Error(`unexpected listener address ${String(address)}`);
      return address.port;
    });
  } finally {
    await Promise.all(servers.map(server => new Promise(resolve => server.close(resolve))));
  }
}
