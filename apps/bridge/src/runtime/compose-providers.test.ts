import { failoverConfigSchema } from '@wechat/failover';
import { parseConfig } from '@wechat/provider-api';
import { ipadProvider } from '@wechat/provider-ipad';
import { pchookProvider } from '@wechat/provider-pchook';
import { describe, expect, it } from 'vitest';
import { composeProviders } from './compose-providers.ts';

const enabled = [
  { provider: ipadProvider, config: { api_endpoint: 'http://gewe:2531/v2/api' }, tier: 2 },
  { provider: pchookProvider, config: { rpc_endpoint: 'tcp://host:10086' }, tier: 3 },
];

describe('composeProviders', () => {
  it('keeps every provider on its own without failover', () => {
    const composed = composeProviders(enabled, parseConfig(failoverConfigSchema, {}));
    expect(composed.providers.map(provider => provider.id)).toEqual(['ipad', 'pchook']);
    expect(composed.configs.get('pchook')).toEqual({ rpc_endpoint: 'tcp://host:10086' });
  });

  it('serves logins through one failover group over the enabled providers when failover is on', () => {
    const composed = composeProviders(enabled, parseConfig(failoverConfigSchema, { enabled: true }));
    expect(composed.providers.map(provider => provider.id)).toEqual(['failover']);
    expect(composed.providers[0]?.capabilities.login).toBe('interactive');
    expect(composed.configs.get('failover')).toEqual({});
  });

  it('needs at least two providers for a group', () => {
    const composed = composeProviders(enabled.slice(0, 1), parseConfig(failoverConfigSchema, { enabled: true }));
    expect(composed.providers.map(provider => provider.id)).toEqual(['ipad']);
  });
});
