import { createMockWorld, runConformance } from '@wechat/provider-testkit';
import { describe, expect, it } from 'vitest';
import { roomSuite } from './room-suite.ts';
import { createTextGatewayHarness } from './text-gateway-harness.ts';

describe('the custom room suite', () => {
  it('passes on the mock and does not apply to the text gateway', async () => {
    const mock = await runConformance({
      provider: createMockWorld().provider,
      createHarness: async () => createMockWorld().harness(),
      suites: [roomSuite],
    });
    expect(mock.results.map(result => result.status)).toEqual(['passed']);
    const gateway = await runConformance({
      provider: (await createTextGatewayHarness()).provider!,
      createHarness: createTextGatewayHarness,
      suites: [roomSuite],
    });
    expect(gateway.results.map(result => result.skipReason)).toEqual(["capabilities.rooms.rename is 'none'"]);
  });
});
