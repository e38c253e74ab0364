import {
  asProviderV1,
  createMemorySessionStorage,
  findCapabilityMismatchesV1,
  noopLogger,
  optionalMethodsV1,
  parseConfig,
  type ProviderEventV1,
  WechatInvalidArgumentError,
} from '@wechat/provider-api';
import { createMockWorld, createRecordingLogger, type RecordedLogEntry } from '@wechat/provider-testkit';
import { describe, expect, it } from 'vitest';
import { failoverConfigSchema } from './failover-config.ts';
import { createFailoverProvider } from './failover-provider.ts';
import { isFailoverSession } from './failover-types.ts';
import { failoverVersion } from './version.ts';

const failover = parseConfig(failoverConfigSchema, { enabled: true });

describe('createFailoverProvider', () => {
  it('is a valid provider named failover', () => {
    const world = createMockWorld();
    const provider = createFailoverProvider({ members: [{ provider: world.provider, config: world.config, tier: 1 }], failover });
    expect(asProviderV1(provider)).toBe(provider);
    expect(provider).toMatchObject({
      specificationVersion: 'v1',
      id: 'failover',
      displayName: 'Failover group',
      version: failoverVersion,
    });
    expect(parseConfig(provider.configSchema, {})).toEqual({});
    expect(() => parseConfig(provider.configSchema, { tier: 1 }, { path: 'providers.failover' })).toThrow(
      'providers.failover.tier',
    );
  });

  it('rejects a group without members, or with one member twice', () => {
    const world = createMockWorld();
    const member = { provider: world.provider, config: world.config, tier: 1 };
    for (const members of [[], [member, { ...member, tier: 2 }], [{ ...member, tier: Number.NaN }]]) {
      expect(() => createFailoverProvider({ members, failover })).toThrow(expect.objectContaining({ code: 'INVALID_ARGUMENT' }));
    }
    let error: unknown;
    try {
      createFailoverProvider({ members: [], failover });
    } catch (caught) {
      error = caught;
    }
    expect(error).toSatisfy(WechatInvalidArgumentError.isInstance);
  });

  it('offers the union of the members’ capabilities, with methods to match', () => {
    const world = createMockWorld();
    const full = world.createProvider({ id: 'full' });
    const narrow = world.createProvider({
      id: 'narrow',
      capabilities: {
        login: 'credentials',
        multipleSessions: false,
        send: { voice: 'none', video: 'partial' },
        recall: 'none',
        rooms: { create: 'none' },
        limits: { maxTextLength: 2000 },
      },
    });
    const provider = createFailoverProvider({
      members: [
        { provider: narrow, config: world.config, tier: 1 },
        { provider: full, config: world.config, tier: 2 },
      ],
      failover,
    });
    expect(provider.capabilities).toMatchObject({
      login: 'interactive',
      multipleSessions: false,
      send: { text: 'full', voice: 'partial', video: 'partial' },
      recall: 'partial',
      rooms: { create: 'partial', list: 'full' },
      limits: { maxTextLength: 2000 },
    });
    const session = provider.createSession({
      config: {},
      logger: noopLogger,
      storage: createMemorySessionStorage(),
      emit: () => {},
    });
    expect(findCapabilityMismatchesV1(provider.capabilities, session)).toEqual([]);
    expect(typeof session.login).toBe('function');
    expect(typeof session.recallMessage).toBe('function');

    // No member recalls and none logs in interactively: the group has neither method.
    const credentialsOnly = createFailoverProvider({ members: [{ provider: narrow, config: world.config, tier: 1 }], failover });
    const narrowSession = credentialsOnly.createSession({
      config: {},
      logger: noopLogger,
      storage: createMemorySessionStorage(),
      emit: () => {},
    });
    expect(findCapabilityMismatchesV1(credentialsOnly.capabilities, narrowSession)).toEqual([]);
    expect(narrowSession.login).toBeUndefined();
    expect(narrowSession.recallMessage).toBeUndefined();
    // Methods without a capability are always there.
    for (const rule of optionalMethodsV1.filter(candidate => candidate.promised === undefined)) {
      expect(typeof narrowSession[rule.method]).toBe('function');
    }
  });

  it('creates one session per member, with its own storage namespace and logger, and does no IO', async () => {
    const world = createMockWorld();
    const logs: RecordedLogEntry[] = [];
    const events: ProviderEventV1[] = [];
    const storage = createMemorySessionStorage();
    const provider = createFailoverProvider({
      members: [
        { provider: world.createProvider({ id: 'ipad' }), config: world.config, tier: 2 },
        { provider: world.createProvider({ id: 'pchook' }), config: world.config, tier: 3 },
      ],
      failover,
    });
    const session = provider.createSession({
      config: {},
      logger: createRecordingLogger(logs).child({ provider: 'failover' }),
      storage,
      emit: event => events.push(event),
    });
    expect(session).toMatchObject({
      specificationVersion: 'v1',
      providerId: 'failover',
      state: 'stopped',
      activeProviderId: undefined,
    });
    expect(isFailoverSession(session)).toBe(true);
    expect(isFailoverSession(world.openSession())).toBe(false);
    expect(events).toEqual([]);
    expect(world.sent()).toEqual([]);

    await session.start();
    for (const member of ['ipad', 'pchook']) {
      // Both members store their login under the same key; the prefixes keep them apart.
      const login = await session.login!();
      let step = await login.start();
      world.completeLogin();
      while (step.type !== 'complete') step = await login.next();
      expect(await storage.get(`${member}:mock.login-token`)).toEqual(expect.any(String));
    }
    expect(session.members().map(member => member.state)).toEqual(['connected', 'connected']);
    expect(await storage.get('mock.login-token')).toBeUndefined();
    const connectedLogs = logs.filter(entry => entry.message === 'mock session connected');
    expect(connectedLogs.map(entry => entry.bindings)).toEqual([
      expect.objectContaining({ provider: 'failover', member: 'ipad' }),
      expect.objectContaining({ provider: 'failover', member: 'pchook' }),
    ]);
    await session.stop();
  });
});
