import { setTimeout as sleepFor } from 'node:timers/promises';
import { defineProvider, exposeSessionV1, type ProviderV1 } from '@wechat/provider-api';
import type { CallbackAddress } from './callback/callback-server.ts';
import { WecomSession } from './session/wecom-session.ts';
import { packageVersion } from './version.ts';
import { wecomCapabilities } from './wecom-capabilities.ts';
import { type WecomConfig, wecomConfigSchema } from './wecom-config.ts';

export const wecomProviderId = 'wecom';

/** Everything a WeCom session takes from its environment; each has a production default. */
export interface WecomProviderOptions {
  readonly fetch?: typeof globalThis.fetch;
  /** Milliseconds since the epoch: token expiry and callback freshness are judged with it. */
  readonly now?: () => number;
  /** Waits between retries of errcode -1; must reject when `signal` aborts. */
  readonly sleep?: (milliseconds: number, signal: AbortSignal) => Promise<void>;
  /** Waits before reconnection attempts while the API is unreachable; the last repeats. Default 1 s doubling to 60 s. */
  readonly reconnectDelaysMs?: readonly number[];
  /** Waits before each of the (at most 3) retries of errcode -1. Default 250, 500, 1000 ms. */
  readonly busyRetryDelaysMs?: readonly number[];
  /** Called when a session's callback server listens; with `callback.port: 0`, the only way to learn the port. */
  readonly onCallbackListening?: (address: CallbackAddress) => void;
}

const defaultReconnectDelaysMs = [1_000, 2_000, 4_000, 8_000, 16_000, 32_000, 60_000];

/** A WeCom provider with injected dependencies (tests, simulators); `wecomProvider` is the production one. */
export function createWecomProvider(options: WecomProviderOptions = {}): ProviderV1<WecomConfig> {
  return defineProvider({
    specificationVersion: 'v1',
    id: wecomProviderId,
    displayName: 'WeCom (企业微信)',
    version: packageVersion,
    configSchema: wecomConfigSchema,
    capabilities: wecomCapabilities,
    createSession: sessionOptions =>
      exposeSessionV1(
        new WecomSession(sessionOptions, {
          providerId: wecomProviderId,
          fetch: options.fetch ?? globalThis.fetch,
          now: options.now ?? Date.now,
          sleep: options.sleep ?? ((milliseconds, signal) => sleepFor(milliseconds, undefined, { signal })),
          reconnectDelaysMs: options.reconnectDelaysMs ?? defaultReconnectDelaysMs,
          ...(options.busyRetryDelaysMs ? { busyRetryDelaysMs: options.busyRetryDelaysMs } : {}),
          ...(options.onCallbackListening ? { onCallbackListening: options.onCallbackListening } : {}),
        }),
        { providerId: wecomProviderId, capabilities: wecomCapabilities },
      ),
  });
}

/** The WeCom provider (id `wecom`), for `createProviderRegistry` or name-based loading. */
export const wecomProvider: ProviderV1<WecomConfig> = createWecomProvider();
