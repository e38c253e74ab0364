import {
  type ConfigIssue,
  type ProviderRegistry,
  type ProviderV1,
  parseConfig,
  WechatConfigValidationError,
  WechatNoSuchProviderError,
} from '@wechat/provider-api';
import * as v from 'valibot';

/** The key of `providers` that holds the failover settings rather than a provider section. */
export const failoverKey = 'failover';

export interface EnabledProvider {
  readonly provider: ProviderV1;
  /** The section as the provider's `configSchema` returned it (defaults applied). */
  readonly config: unknown;
}

export interface ProviderSections {
  /** In the order of the config file. */
  readonly enabled: readonly EnabledProvider[];
  /** Ids of sections with `enabled: false`; they are not validated, so their provider need not be installed. */
  readonly disabled: readonly string[];
}

// The bridge reads `enabled` itself; the first-party providers' schemas declare it too, with the same default.
const sectionSwitchSchema = v.looseObject({ enabled: v.optional(v.boolean(), false) });

/**
 * Validates each provider section (`providers.<id>`) with the `configSchema` of the provider registered under
 * that id. All problems are reported together, with full key paths (`providers.wecom.corp_id: …`).
 */
export function validateProviderSections(
  providers: Readonly<Record<string, unknown>>,
  registry: ProviderRegistry,
): ProviderSections {
  const enabled: EnabledProvider[] = [];
  const disabled: string[] = [];
  const issues: ConfigIssue[] = [];
  for (const [id, section] of Object.entries(providers)) {
    if (id === failoverKey) continue;
    const path = `providers.${id}`;
    try {
      if (!parseConfig(sectionSwitchSchema, section, { path }).enabled) {
        disabled.push(id);
        continue;
      }
      const provider = registry.get(id);
      enabled.push({ provider, config: parseConfig(provider.configSchema, section, { path }) });
    } catch (error) {
      if (WechatConfigValidationError.isInstance(error)) issues.push(...error.issues);
      else if (WechatNoSuchProviderError.isInstance(error)) issues.push({ path, message: error.message });
      else throw error;
    }
  }
  if (issues.length > 0) throw new WechatConfigValidationError({ path: 'providers', issues });
  return { enabled, disabled };
}
