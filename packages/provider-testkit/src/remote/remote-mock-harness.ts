import type { ConformanceHarnessV1 } from '../harness/conformance-harness.ts';
import { createMockWorld, type MockWorld } from '../mock/mock-world.ts';
import { remoteMockProvider } from './remote-mock-provider.ts';
import { type RemoteMockServer, startRemoteMockServer } from './remote-mock-server.ts';

export interface RemoteMockHarness extends ConformanceHarnessV1 {
  readonly world: MockWorld;
  readonly server: RemoteMockServer;
}

/**
 * A fresh world behind a fresh server on 127.0.0.1, as a conformance harness for `remoteMockProvider`. The
 * remote side is the world's own harness (deliver, sent, failNext, completeLogin act on the world); only the
 * config and the provider differ, and disposing of it closes the server too.
 */
export async function createRemoteMockHarness(world: MockWorld = createMockWorld()): Promise<RemoteMockHarness> {
  const token = 'remote-mock-token-0001';
  const server = await startRemoteMockServer({ world, token });
  const local = world.harness();
  return {
    ...local,
    world,
    server,
    config: { url: server.url, token },
    provider: remoteMockProvider,
    dispose: async () => {
      await server.close();
      await local.dispose();
    },
  };
}
