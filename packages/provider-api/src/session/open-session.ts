import { parseConfig } from '../config/parse-config.ts';
import { type Logger, noopLogger } from '../logger/logger.ts';
import type { ProviderSessionV1 } from '../provider/v1/provider-v1-session.ts';
import type { ProviderV1, SessionStorageV1 } from '../provider/v1/provider-v1.ts';
import { createProviderEventHub, type ProviderEventHub } from './event-hub.ts';
import { createMemorySessionStorage } from './memory-session-storage.ts';

export interface OpenSessionOptions {
  /** The provider's config section, unvalidated: `openSession` validates it with the provider's schema. */
  readonly config: unknown;
  /** Default: `noopLogger`. It is bound to `{ provider: id }`. */
  readonly logger?: Logger;
  /** Default: in-memory storage, so the login does not survive a restart. Pass a persistent one for bots. */
  readonly storage?: SessionStorageV1;
  readonly signal?: AbortSignal;
  /** Where the section lives in a bigger config, for error messages. Default `providers.<id>`. */
  readonly configPath?: string;
}

/** A provider session plus event subscription, for bots that use one provider directly. */
export type ManagedSessionV1 = ProviderSessionV1 &
  Pick<ProviderEventHub, 'on' | 'events'> & {
    /** The session as the provider created it. */
    readonly session: ProviderSessionV1;
  };

/**
 * Validates the config, creates a session with an event hub as its `emit`, and returns the session with
 * `on(type, listener)` and `events()` added. Optional methods are present exactly when the provider's are.
 */
export function openSession<CONFIG>(provider: ProviderV1<CONFIG>, options: OpenSessionOptions): ManagedSessionV1 {
  const config = parseConfig(provider.configSchema, options.config, { path: options.configPath ?? `providers.${provider.id}` });
  const logger = (options.logger ?? noopLogger).child({ provider: provider.id });
  const hub = createProviderEventHub(logger);
  const session = provider.createSession({
    config,
    logger,
    storage: options.storage ?? createMemorySessionStorage(),
    emit: hub.emit,
    ...(options.signal === undefined ? {} : { signal: options.signal }),
  });
  return manage(session, hub);
}

function manage(session: ProviderSessionV1, hub: ProviderEventHub): ManagedSessionV1 {
  const managed: Record<string | symbol, unknown> = {
    on: hub.on,
    events: hub.events,
    session,
  };
  // Methods live on the prototype for class-based sessions and on the object for literal ones: bind both.
  for (const key of methodNames(session)) {
    const method = (session as unknown as Record<string, unknown>)[key];
    if (typeof method === 'function') managed[key] = method.bind(session);
  }
  for (const key of ['specificationVersion', 'providerId', 'state'] as const) {
    Object.defineProperty(managed, key, { enumerable: true, get: () => session[key] });
  }
  return managed as unknown as ManagedSessionV1;
}

function methodNames(object: object): Set<string> {
  const names = new Set<string>();
  for (let current: object | null = object; current && current !== Object.prototype; current = Object.getPrototypeOf(current)) {
    for (const name of Object.getOwnPropertyNames(current)) {
      if (name !== 'constructor') names.add(name);
    }
  }
  return names;
}
