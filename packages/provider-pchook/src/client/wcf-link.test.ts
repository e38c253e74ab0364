import { noopLogger, type WechatError } from '@wechat/provider-api';
import { afterEach, describe, expect, it } from 'vitest';
import { startWcfHostSimulator, type WcfHostSimulator } from '../testing/wcf-host-simulator.ts';
import { backoffDelay } from './backoff.ts';
import { connectWcfClient, type WcfClient } from './wcf-client.ts';
import { createWcfLink, type WcfLink } from './wcf-link.ts';

const cleanups: (() => Promise<unknown> | unknown)[] = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

describe('backoffDelay', () => {
  it('doubles from the initial delay up to the cap, half of it jittered', () => {
    const options = { initialMs: 100, maxMs: 1_000, factor: 2 };
    expect([0, 1, 2, 3, 4, 10].map(attempt => backoffDelay(attempt, options, () => 0))).toEqual([50, 100, 200, 400, 500, 500]);
    expect([0, 1, 2, 3, 4, 10].map(attempt => backoffDelay(attempt, options, () => 0.999_999))).toEqual([
      100, 200, 400, 800, 1_000, 1_000,
    ]);
  });
});

describe('createWcfLink', () => {
  async function setup(host: WcfHostSimulator) {
    const events: string[] = [];
    const downs: WechatError[] = [];
    const link: WcfLink = createWcfLink({
      connect: signal => connectWcfClient({ host: '127.0.0.1', port: host.port, logger: noopLogger, signal }),
      logger: noopLogger,
      backoff: { initialMs: 10, maxMs: 40 },
      heartbeatIntervalMs: 20,
      onUp: async (client: WcfClient) => {
        events.push(`up:${await client.isLogin()}`);
        await client.startReceiving(() => {});
      },
      onDown: error => {
        events.push('down');
        downs.push(error);
      },
      onHeartbeat: loggedIn => {
        events.push(`beat:${loggedIn}`);
      },
    });
    cleanups.push(() => link.stop());
    return { link, events, downs };
  }

  it('reconnects after the host restarts, and heartbeats meanwhile', async () => {
    const host = await startWcfHostSimulator();
    cleanups.push(() => host.close());
    const { link, events, downs } = await setup(host);
    link.start();
    await expect.poll(() => events.includes('beat:true')).toBe(true);
    expect(events[0]).toBe('up:true');

    await host.stop();
    await expect.poll(() => events.includes('down')).toBe(true);
    expect(downs[0]).toMatchObject({ code: 'PROVIDER_UNAVAILABLE', retryable: true });
    expect(link.client).toBeUndefined();

    host.setLoggedIn(false);
    await host.restart();
    await expect.poll(() => events.filter(event => event.startsWith('up:'))).toEqual(['up:true', 'up:false']);
    await expect.poll(() => events.at(-1)).toBe('beat:false');
    await expect.poll(() => host.receiving).toBe(true);
    expect(host.crashReason).toBeUndefined();
  });

  it('keeps trying while the host is away and stops cleanly', async () => {
    const host = await startWcfHostSimulator();
    cleanups.push(() => host.close());
    await host.stop();
    const { link, events } = await setup(host);
    link.start();
    await expect.poll(() => events.filter(event => event === 'down').length).toBeGreaterThan(2);
    await host.restart();
    await expect.poll(() => events.includes('up:true')).toBe(true);
    await link.stop();
    expect(link.client).toBeUndefined();
    await expect.poll(() => host.clientAttached).toEqual({ commands: false, messages: false });
  });
});
