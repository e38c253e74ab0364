// Every published package installs from its tarball and exposes its documented entry points.
import { describe, expect, it } from 'vitest';

const expectedExports: Record<string, string[]> = {
  '@wechat/provider-api': [
    'createProviderRegistry',
    'loadProvider',
    'openSession',
    'parseConfig',
    'defineProvider',
    'WechatError',
  ],
  '@wechat/provider-testkit': ['describeProviderConformance', 'runConformance', 'suites', 'createMockWorld'],
  '@wechat/provider-wecom': ['wecomConfigSchema'],
  '@wechat/provider-ipad': ['ipadConfigSchema'],
  '@wechat/provider-pchook': ['pchookConfigSchema'],
  '@wechat/bridge-core': ['bridgeConfigSchema'],
  '@wechat/failover': ['failoverConfigSchema'],
  '@wechat/metrics': ['metricsConfigSchema'],
};

describe('packed packages', () => {
  for (const [name, exports] of Object.entries(expectedExports)) {
    it(`${name} imports from its tarball with its exports`, async () => {
      const module: Record<string, unknown> = await import(name);
      for (const exported of exports) expect(module[exported], `${name} exports ${exported}`).toBeDefined();
    });
  }

  it('loads a provider by package name, as the bridge does for third-party providers', async () => {
    const { loadProvider } = await import('@wechat/provider-api');
    await expect(loadProvider('wechat-provider-not-installed')).rejects.toThrow(/pnpm add wechat-provider-not-installed/);
  });
});
