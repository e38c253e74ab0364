import type { StandardSchemaV1 } from '@standard-schema/spec';
import type { Logger } from '../../logger/logger.ts';
import type { ProviderCapabilitiesV1 } from './provider-v1-capabilities.ts';
import type { ProviderEventV1 } from './provider-v1-event.ts';
import type { ProviderSessionV1 } from './provider-v1-session.ts';

/** A way to reach WeChat (WeCom API, iPad protocol, PC hook, …): a stateless descriptor. */
export interface ProviderV1<CONFIG = unknown> {
  /** Hosts use this to adapt or reject the provider. */
  readonly specificationVersion: 'v1';
  /** Stable kebab-case id, used in config keys (`providers.<id>`), logs and metric labels. */
  readonly id: string;
  readonly displayName: string;
  /** The npm version of the implementing package. */
  readonly version: string;
  /** Validates this provider's config section. Must validate synchronously. */
  readonly configSchema: StandardSchemaV1<unknown, CONFIG>;
  /** Static capabilities; sessions may narrow them per room with `getRoomCapabilities`. */
  readonly capabilities: ProviderCapabilitiesV1;
  /** Creates a session for one account. Must do no IO: connecting happens in `session.start()`. */
  createSession(options: ProviderSessionOptionsV1<CONFIG>): ProviderSessionV1;
}

export interface ProviderSessionOptionsV1<CONFIG = unknown> {
  /** Already validated by the host against `configSchema`. */
  readonly config: CONFIG;
  /** Already bound to `{ provider: id }` by the host. */
  readonly logger: Logger;
  /** Persists login tokens and device ids, so a restart needs no new QR scan. */
  readonly storage: SessionStorageV1;
  /** The only way a session reports events. Never throws. */
  readonly emit: (event: ProviderEventV1) => void;
  /** Aborted by the host when the session is discarded. */
  readonly signal?: AbortSignal;
}

/** Small key-value storage owned by one session. Values are strings (JSON if structured). */
export interface SessionStorageV1 {
  get(key: string): Promise<string | undefined>;
  set(key: string, value: string): Promise<void>;
  delete(key: string): Promise<void>;
}

/** The config type a provider accepts. */
export type ProviderConfigOf<PROVIDER> = PROVIDER extends ProviderV1<infer CONFIG> ? CONFIG : never;
