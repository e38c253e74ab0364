import { createFailoverProvider, type FailoverConfig } from '@wechat/failover';
import type { ProviderV1 } from '@wechat/provider-api';
import type { EnabledProvider } from '../config/provider-sections.ts';

export interface ComposedProviders {
  /** What the bridge runs: the enabled providers, or one failover group over them. */
  readonly providers: readonly ProviderV1[];
  readonly configs: ReadonlyMap<string, unknown>;
}

/**
 * With `providers.failover.enabled` and at least two enabled providers, the bridge serves each login through
 * one failover group (the members ordered by tier); otherwise every enabled provider stands alone.
 */
export function composeProviders(enabled: readonly EnabledProvider[], failover: FailoverConfig): ComposedProviders {
  if (!failover.enabled || enabled.length < 2) {
    return {
      providers: enabled.map(section => section.provider),
      configs: new Map(enabled.map(section => [section.provider.id, section.config])),
    };
  }
  const group = createFailoverProvider({
    members: enabled.map(section => ({ provider: section.provider, config: section.config, tier: section.tier })),
    failover,
  });
  return { providers: [group], configs: new Map([[group.id, {}]]) };
}
