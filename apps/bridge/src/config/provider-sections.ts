import {
  type ConfigIssue,
  loadProvider,
  WechatError,
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
  /** Its failover tier: lower is preferred (`providers.<id>.tier`, else the default for its id). */
  readonly tier: number;
}

/** The reference design's tiers: the official API first, the PC hook last; other providers in the middle. */
const defaultTiers: Readonly<Record<string, number>> = { wecom: 1, ipad: 2, pchook: 3 };

export interface ProviderSections {
  /** In the order of the config file. */
  readonly enabled: readonly EnabledProvider[];
  /** Ids of sections with `enabled: false`; they are not validated, so their provider need not be installed. */
  readonly disabled: readonly string[];
}

// The bridge reads `enabled`, `module` and `tier` itself; the first-party providers' schemas declare `enabled` too.
const sectionSwitchSchema = v.looseObject({
  enabled: v.optional(v.boolean(), false),
  module: v.optional(v.pipe(v.string(), v.nonEmpty('must be the npm name of a provider package'))),
  tier: v.optional(v.pipe(v.number(), v.integer(), v.minValue(1), v.maxValue(99))),
});

/**
 * Loads the provider packages that enabled sections name with `module: <npm name>` (third-party providers, or
 * test providers) and registers them, so their sections can be validated like first-party ones.
 */
export async function registerProviderModules(
  providers: Readonly<Record<string, unknown>>,
  registry: ProviderRegistry,
  importModule: (moduleName: string) => Promise<unknown>,
): Promise<void> {
  const issues: ConfigIssue[] = [];
  for (const [id, section] of Object.entries(providers)) {
    if (id === failoverKey) continue;
    const path = `providers.${id}`;
    const switches = v.safeParse(sectionSwitchSchema, section);
    if (!switches.success || !switches.output.enabled || switches.output.module === undefined || registry.has(id)) continue;
    try {
      const provider = await loadProvider(switches.output.module, { importModule });
      if (provider.id !== id) {
        issues.push({
          path: `${path}.module`,
          message: `package '${switches.output.module}' provides '${provider.id}', not '${id}': rename the section to providers.${provider.id}`,
        });
        continue;
      }
      registry.register(provider);
    } catch (error) {
      if (!WechatError.isInstance(error)) throw error;
      issues.push({ path: `${path}.module`, message: error.message });
    }
  }
  if (issues.length > 0) throw new WechatConfigValidationError({ path: 'providers', issues });
}

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
      const switches = parseConfig(sectionSwitchSchema, section, { path });
      if (!switches.enabled) {
        disabled.push(id);
        continue;
      }
      const provider = registry.get(id);
      // `module` and `tier` are the bridge's keys, not the provider's: strict provider schemas would reject them.
      const { module: _module, tier: _tier, ...providerSection } = section as Record<string, unknown>;
      enabled.push({
        provider,
        config: parseConfig(provider.configSchema, providerSection, { path }),
        tier: switches.tier ?? defaultTiers[id] ?? 2,
      });
    } catch (error) {
      if (WechatConfigValidationError.isInstance(error)) issues.push(...error.issues);
      else if (WechatNoSuchProviderError.isInstance(error)) issues.push({ path, message: error.message });
      else throw error;
    }
  }
  if (issues.length > 0) throw new WechatConfigValidationError({ path: 'providers', issues });
  return { enabled, disabled };
}
