import type { Logger, ProviderSessionOptionsV1, SessionStorageV1 } from '@wechat/provider-api';
import type { GeweClient } from '../api/gewe-client.ts';
import type { HttpTransport } from '../api/http-transport.ts';
import type { IpadConfig } from '../ipad-config.ts';
import type { RiskControl } from '../risk/risk-control.ts';

/** Time, randomness and waiting, injected so tests run without real delays. */
export interface IpadRuntime {
  readonly now: () => number;
  readonly random: () => number;
  /** Resolves after `ms`; rejects with the signal's reason when it aborts first. */
  readonly sleep: (ms: number, signal?: AbortSignal) => Promise<void>;
  readonly transport: HttpTransport;
  /** `/login/checkLogin` poll interval; the reference polls every 5 s. */
  readonly loginPollIntervalMs: number;
  /** `/login/checkOnline` interval while connected. */
  readonly heartbeatIntervalMs: number;
  /** First reconnect delay; doubles per attempt up to `reconnectMaxMs`. */
  readonly reconnectBaseMs: number;
  readonly reconnectMaxMs: number;
  /** Pause between the `/login/reconnection` attempts made before asking for a new login. */
  readonly reconnectionRetryMs: number;
}

/** What the session's collaborators share. */
export interface IpadSessionContext {
  readonly providerId: string;
  readonly config: IpadConfig;
  readonly logger: Logger;
  readonly storage: SessionStorageV1;
  readonly emit: ProviderSessionOptionsV1['emit'];
  readonly client: GeweClient;
  readonly riskControl: RiskControl;
  readonly runtime: IpadRuntime;
}

/** Session storage keys. The bridge keeps session storage in its database, so these survive restarts. */
export const storageKeys = {
  /** The GeWeChat device id: reused forever, because a new device gets kicked (reference B.1). */
  appId: 'ipad.app-id',
  /** The service token last seen; a different one means the container was reset and the device is gone. */
  serviceToken: 'ipad.service-token',
  /** The logged-in account (`{wxid, nickName, avatarUrl}`). */
  self: 'ipad.self',
  /** The path secret protecting the callback URL. */
  callbackSecret: 'ipad.callback-secret',
  /** What `/message/revokeMsg` needs for recent messages (bounded). */
  recentSends: 'ipad.recent-sends',
} as const;

export interface StoredSelf {
  readonly wxid: string;
  readonly nickName: string;
  readonly avatarUrl?: string;
}

export async function readStoredSelf(storage: SessionStorageV1): Promise<StoredSelf | undefined> {
  const raw = await storage.get(storageKeys.self);
  if (raw === undefined) return undefined;
  try {
    const parsed = JSON.parse(raw) as Partial<StoredSelf>;
    return typeof parsed.wxid === 'string' && parsed.wxid !== ''
      ? {
          wxid: parsed.wxid,
          nickName: parsed.nickName ?? parsed.wxid,
          ...(parsed.avatarUrl ? { avatarUrl: parsed.avatarUrl } : {}),
        }
      : undefined;
  } catch {
    return undefined;
  }
}

/** Capped exponential backoff with ±25 % jitter, so many bridges do not reconnect in lockstep. */
export function backoffDelay(attempt: number, runtime: IpadRuntime): number {
  const base = Math.min(runtime.reconnectMaxMs, runtime.reconnectBaseMs * 2 ** Math.min(attempt, 30));
  return Math.round(base * (0.75 + runtime.random() * 0.5));
}
