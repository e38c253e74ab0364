import { parseConfig } from '@wechat/provider-api';
import { describe } from 'vitest';
import {
  type ConformanceHarnessV1,
  createMockWorld,
  defaultMockApiToken,
  describeProviderConformance,
  type MockCapabilitiesOverride,
  type MockWorld,
} from '@wechat/provider-testkit';
import { failoverConfigSchema } from './failover-config.ts';
import { createFailoverProvider } from './failover-provider.ts';

// The conformance kit against failover groups over the mock world: the members share one world (one WeChat
// account reached through two services), so every message reaches both members and the group must emit it once.
// The group uses the real clock with the default intervals (30 s, 120 s): no check runs within a case.

const invalidConfigs = [null, 'failover', { members: [] }, { health_check_interval_s: 30 }];

type MemberSpec = { readonly id: string; readonly capabilities?: MockCapabilitiesOverride };

function groupOn(world: MockWorld, members: readonly MemberSpec[]) {
  return createFailoverProvider({
    members: members.map(({ id, capabilities }, index) => ({
      provider: world.createProvider({ id, ...(capabilities ? { capabilities } : {}) }),
      config: world.config,
      tier: index + 1,
    })),
    failover: parseConfig(failoverConfigSchema, { enabled: true }),
  });
}

/** A fresh world per case; the group's own section is empty (the members' sections went to the group). */
const harnessFor = (members: readonly MemberSpec[]) => async (): Promise<ConformanceHarnessV1> => {
  const world = createMockWorld();
  return { ...world.harness({ provider: groupOn(world, members) }), config: {} };
};

/** The descriptor the kit reads capabilities from; each harness brings its own group, wired to its world. */
const descriptor = (members: readonly MemberSpec[]) => groupOn(createMockWorld(), members);

describe('a group of two QR-login members (the second awaits its own login, unused)', () => {
  const members = [{ id: 'mock-ipad' }, { id: 'mock-pchook' }];
  describeProviderConformance({
    provider: descriptor(members),
    createHarness: harnessFor(members),
    invalidConfigs,
    secrets: [defaultMockApiToken],
  });
});

describe('a group of two connected credential members that differ in what they can do', () => {
  // Sends are checked by level (`partial` needs a warning), so both members send alike; they differ in recall,
  // history and contact remarks, which the group then offers as `partial` and routes to the serving member.
  const members = [
    { id: 'mock-wecom', capabilities: { login: 'credentials' } },
    {
      id: 'mock-pchook',
      capabilities: { login: 'credentials', recall: 'none', history: 'none', contacts: { setRemark: 'none' } },
    },
  ] as const satisfies readonly { id: string; capabilities: MockCapabilitiesOverride }[];
  describeProviderConformance({
    provider: descriptor(members),
    createHarness: harnessFor(members),
    invalidConfigs,
    secrets: [defaultMockApiToken],
  });
});
