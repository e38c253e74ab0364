import { createProviderRegistry, noopLogger, type ProviderSessionV1 } from '@wechat/provider-api';
import { createMockWorld } from '@wechat/provider-testkit';
import * as v from 'valibot';
import { afterEach, describe, expect, it } from 'vitest';
import { bridgeConfigSchema } from '../bridge-config.ts';
import { createFakeMatrix } from '../testing/fake-matrix.ts';
import { openTestStore } from '../testing/open-test-store.ts';
import { createBridge } from './bridge.ts';
import type { BridgeObserver } from './bridge-observer.ts';

const user = '@alice:example.org';
const cleanups: (() => Promise<void>)[] = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

async function waitFor(condition: () => boolean | Promise<boolean>, timeoutMs = 5000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await condition())) {
    if (Date.now() > deadline) throw new Error('condition not met in time');
    await new Promise(resolve => setTimeout(resolve, 10));
  }
}

describe('the bridge observer and health', () => {
  it('reports received, bridged and failed messages, state changes and closed sessions; health shows the login', async () => {
    const calls: { method: string; event: Record<string, unknown> }[] = [];
    const observer = Object.fromEntries(
      ['messageReceived', 'messageBridged', 'messageFailed', 'sessionStateChanged', 'sessionClosed', 'failoverSwitched'].map(
        method => [method, (event: Record<string, unknown>) => calls.push({ method, event })],
      ),
    ) as unknown as BridgeObserver;
    const decorated: ProviderSessionV1[] = [];
    const world = createMockWorld({ startTime: Date.now() });
    const matrix = createFakeMatrix();
    const store = await openTestStore();
    cleanups.push(() => store.close());
    const bridge = createBridge({
      config: v.parse(bridgeConfigSchema, { permissions: { 'example.org': 'user' } }),
      matrix,
      store,
      providers: createProviderRegistry([world.provider]),
      providerConfigs: new Map([[world.provider.id, world.config]]),
      logger: noopLogger,
      renderQrCode: async text => ({ data: new TextEncoder().encode(text), mimeType: 'image/png', width: 1, height: 1 }),
      retryBaseMs: 10,
      maxAttempts: 1,
      observer,
      decorateSession: session => {
        decorated.push(session);
        return session;
      },
    });
    cleanups.push(() => bridge.stop());
    await bridge.start();
    matrix.registerHuman(user);
    let txn = 0;
    const send = async (roomId: string, type: string, content: Record<string, unknown>, stateKey?: string) => {
      await bridge.acceptTransaction(`t-${++txn}`, {
        events: [matrix.humanSends(user, roomId, type, content, stateKey === undefined ? {} : { stateKey })],
      });
      await bridge.idle();
    };
    const management = await matrix.createRoom(user, { invite: [matrix.botUserId], isDirect: true });
    await send(management, 'm.room.member', { membership: 'invite', is_direct: true }, matrix.botUserId);
    await send(management, 'm.room.message', { msgtype: 'm.text', body: 'login' });
    await waitFor(() => matrix.events(management).some(event => event.content.msgtype === 'm.image'));
    world.completeLogin();
    await waitFor(() => calls.some(call => call.method === 'sessionStateChanged' && call.event.state === 'connected'));
    expect(decorated).toHaveLength(1);

    await world.contact('alice').says('hello');
    await bridge.idle();
    await waitFor(() => calls.some(call => call.method === 'messageBridged'));
    expect(calls.find(call => call.method === 'messageReceived')?.event).toEqual({ providerId: 'mock', kind: 'text' });
    expect(calls.find(call => call.method === 'messageBridged')?.event).toMatchObject({
      providerId: 'mock',
      direction: 'wechat-to-matrix',
      kind: 'text',
      latencyMs: expect.any(Number),
    });
    const portal = (await store.portals.get(`mock:${user}`, 'direct:alice'))?.roomId as string;
    await matrix.join(user, portal);
    await send(portal, 'm.room.message', { msgtype: 'm.text', body: 'reply' });
    await waitFor(() => calls.some(call => call.method === 'messageBridged' && call.event.direction === 'matrix-to-wechat'));
    world.failNext('server');
    await send(portal, 'm.room.message', { msgtype: 'm.text', body: 'fails' });
    await waitFor(() => calls.some(call => call.method === 'messageFailed'));
    expect(calls.find(call => call.method === 'messageFailed')?.event).toEqual({
      providerId: 'mock',
      direction: 'matrix-to-wechat',
      kind: 'text',
    });

    const health = await bridge.health();
    expect(health).toMatchObject({ inboxDepth: 0, outboxDepth: 0 });
    expect(health.logins).toEqual([
      expect.objectContaining({
        provider: 'mock',
        activeProvider: 'mock',
        state: 'connected',
        outboxDepth: 0,
        lastMessageReceivedAt: expect.stringMatching(/^\d{4}-/),
        lastMessageSentAt: expect.stringMatching(/^\d{4}-/),
      }),
    ]);
    // No Matrix or WeChat ids in what /health shows.
    expect(JSON.stringify(health)).not.toContain(user);

    await bridge.stop();
    expect(calls.at(-1)).toEqual({ method: 'sessionClosed', event: { loginId: `mock:${user}` } });
  });
});
