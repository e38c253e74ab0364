// An end-to-end test: the app runs in a process of its own, WeChat is a mock world in the test's process.
import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';
import { createMockWorld } from '@wechat/provider-testkit';
import { startRemoteMockServer } from '@wechat/provider-testkit/remote-mock';
import { expect, it, vi } from 'vitest';

it('answers ding with dong from another process', async () => {
  const world = createMockWorld();
  const server = await startRemoteMockServer({ world, token: 'e2e-secret' });
  // The app's provider config is { module: '@wechat/provider-testkit/remote-mock', url, token }; this one
  // reads url and token from its environment. (`dev-source` only because this repository runs from sources.)
  const app = spawn(process.execPath, [fileURLToPath(new URL('./__fixtures__/ding-dong-app.ts', import.meta.url))], {
    env: { ...process.env, MOCK_URL: server.url, MOCK_TOKEN: 'e2e-secret', NODE_OPTIONS: '--conditions=dev-source' },
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  const lines = createInterface({ input: app.stdout })[Symbol.asyncIterator]();
  try {
    expect((await lines.next()).value).toMatch(/^scan https:\/\/mock\.wechat\.invalid\/login\//);
    world.completeLogin(); // the phone scans the QR code and confirms
    expect((await lines.next()).value).toBe('ready as mock-self');

    await world.contact('alice').says('ding');
    await vi.waitFor(() =>
      expect(world.sent()).toEqual([
        { kind: 'text', text: 'dong', chat: { type: 'direct', contactId: 'alice' }, messageId: expect.any(String) },
      ]),
    );
    // The app stops its session on SIGTERM; with no socket or timer left, it exits by itself.
    app.kill('SIGTERM');
    expect(await once(app, 'exit')).toEqual([0, null]);
  } finally {
    app.kill();
    await server.close();
  }
}, 20_000);
