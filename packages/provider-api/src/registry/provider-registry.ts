import { WechatInvalidProviderError, WechatNoSuchProviderError } from '../errors/wechat-errors.ts';
import type { ProviderV1 } from '../provider/v1/provider-v1.ts';
import { asProviderV1 } from './validate-provider.ts';

export interface ProviderRegistry {
  /** Validates (and, for older specs, adapts) a provider and adds it. A duplicate id throws. */
  register(provider: unknown): ProviderV1;
  /** Throws `WechatNoSuchProviderError`, listing the available ids, for an unknown id. */
  get(id: string): ProviderV1;
  has(id: string): boolean;
  /** In registration order. */
  list(): readonly ProviderV1[];
}

/** An explicit, by-value registry: nothing registers itself by being imported. */
export function createProviderRegistry(providers: Iterable<unknown> = []): ProviderRegistry {
  const byId = new Map<string, ProviderV1>();
  const registry: ProviderRegistry = {
    register(candidate) {
      const provider = asProviderV1(candidate);
      if (byId.has(provider.id)) {
        throw new WechatInvalidProviderError({
          providerId: provider.id,
          problems: [`a provider with id '${provider.id}' is already registered`],
        });
      }
      byId.set(provider.id, provider);
      return provider;
    },
    get(id) {
      const provider = byId.get(id);
      if (!provider) throw new WechatNoSuchProviderError({ providerId: id, availableProviders: [...byId.keys()] });
      return provider;
    },
    has: id => byId.has(id),
    list: () => [...byId.values()],
  };
  for (const provider of providers) registry.register(provider);
  return registry;
}
