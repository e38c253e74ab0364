import { describe, expect, it } from 'vitest';
import { describeProviderConformance } from '../runner/describe-provider-conformance.ts';
import { runConformance } from '../runner/run-conformance.ts';
import type { MockCapabilitiesOverride } from './mock-capabilities.ts';
import { createMockWorld } from './mock-world.ts';

const invalidConfigs = [{}, { token: '' }, { token: 42 }, null, 'mock-api-token-0001'];

// The full mock, through vitest: every case of every suite is a test of its own.
describeProviderConformance({
  provider: createMockWorld().provider,
  createHarness: async () => createMockWorld().harness(),
  invalidConfigs,
});

/** Runs every suite on a narrowed mock; resolves with the failures (key: message) and the skipped keys. */
async function runNarrowed(capabilities: MockCapabilitiesOverride, cannotSimulate?: Record<string, string>) {
  const report = await runConformance({
    provider: createMockWorld().createProvider({ capabilities }),
    createHarness: async () => {
      const world = createMockWorld();
      const harness = world.harness({ provider: world.createProvider({ capabilities }) });
      return cannotSimulate === undefined ? harness : { ...harness, cannotSimulate };
    },
    invalidConfigs,
  });
  return {
    failures: report.results
      .filter(result => result.status === 'failed')
      .map(result => `${result.key}: ${result.error?.message}`),
    skipped: Object.fromEntries(
      report.results.filter(result => result.status === 'skipped').map(result => [result.key, result.skipReason]),
    ),
  };
}

describe('the conformance kit on narrowed mock providers', () => {
  it('passes a mock that logs in with credentials, skipping only what needs an interactive login', async () => {
    const { failures, skipped } = await runNarrowed({ login: 'credentials' });
    expect(failures).toEqual([]);
    const reason = "capabilities.login is 'credentials': there is no interactive login to persist";
    expect(skipped).toEqual({
      'lifecycle › keeps the login for the next session': reason,
      'lifecycle › logout() forgets the persisted login': reason,
      'hygiene › emits nothing after stop() while a login is pending':
        "capabilities.login is 'credentials': no login can be pending",
    });
  });

  it('passes a mock whose kinds and features are partial or missing, checking each against its level', async () => {
    const { failures, skipped } = await runNarrowed({
      send: { voice: 'none', video: 'partial', link: 'none', 'mini-program': 'partial' },
      receive: { voice: 'none', sticker: 'partial' },
      mentions: 'none',
      replies: 'partial',
      recall: 'none',
      history: 'none',
      contacts: { setRemark: 'none' },
      rooms: { create: 'none', leave: 'none' },
    });
    expect(failures).toEqual([]);
    expect(skipped).toEqual({
      'inbound › receives voice and downloads it': "capabilities.receive.voice is 'none'",
      'inbound › reports recalls': "capabilities.recall is 'none'",
    });
  });

  it('passes a text-only mock, skipping what needs media', async () => {
    const textOnly = { text: 'full' } as const;
    const none = { image: 'none', file: 'none', voice: 'none', video: 'none', sticker: 'none' } as const;
    const { failures, skipped } = await runNarrowed({
      send: { ...none, ...textOnly, link: 'none', location: 'none', 'contact-card': 'none', 'mini-program': 'none' },
      receive: { ...none, ...textOnly },
    });
    expect(failures).toEqual([]);
    expect(Object.keys(skipped)).toEqual([
      'inbound › receives image and downloads it',
      'inbound › receives file and downloads it',
      'inbound › receives voice and downloads it',
      'inbound › receives video and downloads it',
      'inbound › receives sticker and downloads it',
    ]);
  });

  it('skips, with the harness’s reason, what the harness cannot simulate', async () => {
    const { failures, skipped } = await runNarrowed(
      {},
      { recall: 'the fake server has no recall callback', mentions: 'no @ support' },
    );
    expect(failures).toEqual([]);
    expect(skipped).toEqual({
      'inbound › reports mentions in a room': 'the harness cannot simulate mentions: no @ support',
      'inbound › reports recalls': 'the harness cannot simulate recall: the fake server has no recall callback',
    });
  });
});
