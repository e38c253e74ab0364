import { defineProvider, exposeSessionV1, type ProviderV1 } from '@wechat/provider-api';
import type { Clock } from '../client/clock.ts';
import { systemClock } from '../client/clock.ts';
import type { Dial } from '../client/wcf-client.ts';
import { pchookProviderId } from '../client/wcf-errors.ts';
import { type PchookConfig, pchookConfigSchema } from '../pchook-config.ts';
import { pchookVersion } from '../version.ts';
import { pchookCapabilities } from './pchook-capabilities.ts';
import { defaultPchookTimings, PchookSession, type PchookTimings } from './pchook-session.ts';

/** Injection points, for tests and unusual deployments. Every field is optional. */
export interface PchookProviderOptions {
  readonly clock?: Clock;
  /** [0, 1), for the reconnect jitter. */
  readonly random?: () => number;
  /** How to open a pair1 connection. Default: the built-in pure-TS dialer. */
  readonly dial?: Dial;
  /** For sticker downloads from WeChat's CDN. Default: the global fetch. */
  readonly fetch?: typeof globalThis.fetch;
  readonly timings?: Partial<PchookTimings>;
}

/** The WeChatFerry provider, with injected dependencies. `pchookProvider` is this with the defaults. */
export function createPchookProvider(options: PchookProviderOptions = {}): ProviderV1<PchookConfig> {
  const deps = {
    clock: options.clock ?? systemClock,
    random: options.random ?? Math.random,
    dial: options.dial,
    fetch: options.fetch ?? ((...args: Parameters<typeof fetch>) => globalThis.fetch(...args)),
    timings: { ...defaultPchookTimings, ...options.timings },
  };
  return defineProvider({
    specificationVersion: 'v1',
    id: pchookProviderId,
    displayName: 'WeChat PC hook (WeChatFerry)',
    version: pchookVersion,
    configSchema: pchookConfigSchema,
    capabilities: pchookCapabilities,
    createSession: sessionOptions =>
      exposeSessionV1(new PchookSession(sessionOptions, deps), {
        providerId: pchookProviderId,
        capabilities: pchookCapabilities,
      }),
  });
}

/** WeChat through a Windows host running WeChat 3.9 with WeChatFerry injected (NNG pair1 + protobuf). */
export const pchookProvider: ProviderV1<PchookConfig> = createPchookProvider();
