import type { StandardSchemaV1 } from '@standard-schema/spec';
import type { ProviderCapabilitiesV1 } from './v1/provider-v1-capabilities.ts';
import type { ProviderSessionOptionsV1, ProviderV1 } from './v1/provider-v1.ts';
import type { ProviderSessionV1 } from './v1/provider-v1-session.ts';

/**
 * An identity function that exists for type inference: the session options' `config` gets the output type
 * of `configSchema`, so a provider's `createSession` is typed without naming the config type twice.
 */
export function defineProvider<CONFIG>(provider: {
  readonly specificationVersion: 'v1';
  readonly id: string;
  readonly displayName: string;
  readonly version: string;
  readonly configSchema: StandardSchemaV1<unknown, CONFIG>;
  readonly capabilities: ProviderCapabilitiesV1;
  createSession(options: ProviderSessionOptionsV1<CONFIG>): ProviderSessionV1;
}): ProviderV1<CONFIG> {
  return provider;
}
