import { createProviderRegistry, WechatConfigValidationError } from '@wechat/provider-api';
import { describe, expect, it } from 'vitest';
import { testProvider } from '../testing/test-provider.ts';
import { validateProviderSections } from './provider-sections.ts';

const registry = createProviderRegistry([testProvider]);

function issuesOf(run: () => unknown) {
  try {
    run();
  } catch (error) {
    if (WechatConfigValidationError.isInstance(error)) return error.issues;
    throw error;
  }
  throw new Error('expected a config validation error');
}

describe('validateProviderSections', () => {
  it("validates an enabled section with its provider's schema and keeps the result", () => {
    const sections = validateProviderSections(
      { failover: { enabled: true }, wecom: { enabled: true, corp_id: 'ww1', app_secret: 's' } },
      registry,
    );
    expect(sections.disabled).toEqual([]);
    expect(sections.enabled).toEqual([
      { provider: testProvider, config: { enabled: true, corp_id: 'ww1', app_secret: 's', agent_id: 1_000_002 }, tier: 1 },
    ]);
  });

  it('takes the failover tier from the section (kept from the provider) or the default for the id', () => {
    const sections = validateProviderSections({ wecom: { enabled: true, corp_id: 'ww1', app_secret: 's', tier: 7 } }, registry);
    expect(sections.enabled[0]?.tier).toBe(7);
    expect(sections.enabled[0]?.config).not.toHaveProperty('tier');
    expect(() =>
      validateProviderSections({ wecom: { enabled: true, corp_id: 'ww1', app_secret: 's', tier: 0 } }, registry),
    ).toThrow(/providers\.wecom\.tier/);
  });

  it('leaves disabled sections alone, even for providers that are not installed', () => {
    const sections = validateProviderSections({ wecom: { corp_id: '' }, ipad: { enabled: false, anything: 1 } }, registry);
    expect(sections).toEqual({ enabled: [], disabled: ['wecom', 'ipad'] });
  });

  it('reports the full key path of every problem in every section', () => {
    const issues = issuesOf(() =>
      validateProviderSections(
        {
          wecom: { enabled: true, app_secret: '', agent_id: 1.5 },
          pchook: { enabled: true },
          ipad: { enabled: 'yes' },
          matrix: 'on',
        },
        registry,
      ),
    );
    expect(issues).toEqual([
      { path: 'providers.wecom.corp_id', message: 'Invalid key: Expected "corp_id" but received undefined' },
      { path: 'providers.wecom.app_secret', message: 'is required' },
      { path: 'providers.wecom.agent_id', message: 'Invalid integer: Received 1.5' },
      { path: 'providers.pchook', message: "No provider with id 'pchook'. Available providers: wecom." },
      { path: 'providers.ipad.enabled', message: 'Invalid type: Expected boolean but received "yes"' },
      { path: 'providers.matrix', message: 'Invalid type: Expected Object but received "on"' },
    ]);
  });
});
