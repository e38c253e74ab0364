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
