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
  '@wechat/provider-wecom': ['wecomConfigSchema', 'wecomProvider', 'createWecomProvider'],
  '@wechat/provider-wecom/testing': ['startFakeWecomServer', 'createCallbackSender'],
  '@wechat/provider-ipad': ['ipadConfigSchema', 'ipadProvider', 'createIpadProvider'],
  '@wechat/provider-ipad/testing': ['createGewechatSimulator', 'callGewechatApi'],
  '@wechat/provider-pchook': ['pchookConfigSchema', 'pchookProvider', 'createPchookProvider'],
  '@wechat/provider-pchook/testing': ['startWcfHostSimulator'],
  '@wechat/voice': ['silkToOggOpus', 'oggOpusToSilk', 'isSilk'],
  '@wechat/bridge-core': ['bridgeConfigSchema', 'createBridge'],
  '@wechat/failover': ['failoverConfigSchema', 'createFailoverProvider', 'isFailoverSession'],
  '@wechat/metrics': ['metricsConfigSchema', 'createBridgeMetrics', 'createMetricsObserver', 'withMetrics', 'startMetricsServer'],
};

describe('packed packages', () => {
  for (const [name, exports] of Object.entries(expectedExports)) {
    it(`${name} imports from its tarball with its exports`, async () => {
      const module: Record<string, unknown> = await import(name);
      for (const exported of exports) expect(module[exported], `${name} exports ${exported}`).toBeDefined();
    });
  }

  it('converts voice with the WASM codecs shipped in the tarballs (no native downloads)', async () => {
    const { encode } = await import('silk-wasm');
    const { oggOpusToSilk, silkToOggOpus } = await import('@wechat/voice');
    const pcm = new Int16Array(24_000);
    for (let index = 0; index < pcm.length; index++)
      pcm[index] = Math.round(8000 * Math.sin((2 * Math.PI * 440 * index) / 24_000));
    const silk = await encode(new Uint8Array(pcm.buffer), 24_000);
    const ogg = await silkToOggOpus(silk.data);
    expect(Buffer.from(ogg.data.subarray(0, 4)).toString('latin1')).toBe('OggS');
    const back = await oggOpusToSilk(ogg.data);
    expect(Math.abs(back.durationMs - silk.duration)).toBeLessThan(silk.duration * 0.05);
  });

  it('loads a provider by package name, as the bridge does for third-party providers', async () => {
    const { loadProvider } = await import('@wechat/provider-api');
    await expect(loadProvider('wechat-provider-not-installed')).rejects.toThrow(/pnpm add wechat-provider-not-installed/);
  });
});
