import { setTimeout as sleepFor } from 'node:timers/promises';
import type { ProviderSessionV1, ProviderV1, WechatRiskControlError } from '@wechat/provider-api';
import { type HttpTransport, nodeHttpTransport } from './api/http-transport.ts';
import { ipadCapabilities } from './ipad-capabilities.ts';
import { type IpadConfig, ipadConfigSchema } from './ipad-config.ts';
import type { RiskCategory } from './risk/risk-control.ts';
import { IpadSession } from './session/ipad-session.ts';
import type { IpadRuntime } from './session/session-parts.ts';
import { packageVersion } from './version.ts';

export interface IpadProviderOptions {
  /** How HTTP requests are made (GeWeChat API, file server, CDN); default node:http without pooling. */
  readonly transport?: HttpTransport;
  readonly now?: () => number;
  readonly random?: () => number;
  /** Default 5000 ms, as the reference polls `checkLogin`. */
  readonly loginPollIntervalMs?: number;
  /** Default 30 000 ms. */
  readonly heartbeatIntervalMs?: number;
  /** Default 2000 ms, doubling up to `reconnectMaxMs` (default 5 minutes). */
  readonly reconnectBaseMs?: number;
  readonly reconnectMaxMs?: number;
  /** Default 5000 ms between `/login/reconnection` attempts. */
  readonly reconnectionRetryMs?: number;
  /** Called for every operation risk control refuses (for metrics). */
  readonly onRiskControlBlocked?: (error: WechatRiskControlError, category: RiskCategory) => void;
}

const sleep = async (ms: number, signal?: AbortSignal): Promise<void> => {
  await sleepFor(ms, undefined, signal ? { signal } : {});
};

/** The iPad-protocol provider, with its timing and transport replaceable (tests, metrics). */
export function createIpadProvider(options: IpadProviderOptions = {}): ProviderV1<IpadConfig> {
  const runtime: IpadRuntime = {
    now: options.now ?? Date.now,
    random: options.random ?? Math.random,
    sleep,
    transport: options.transport ?? nodeHttpTransport,
    loginPollIntervalMs: options.loginPollIntervalMs ?? 5_000,
    heartbeatIntervalMs: options.heartbeatIntervalMs ?? 30_000,
    reconnectBaseMs: options.reconnectBaseMs ?? 2_000,
    reconnectMaxMs: options.reconnectMaxMs ?? 300_000,
    reconnectionRetryMs: options.reconnectionRetryMs ?? 5_000,
  };
  return {
    specificationVersion: 'v1',
    id: 'ipad',
    displayName: 'WeChat iPad protocol (GeWeChat)',
    version: packageVersion,
    configSchema: ipadConfigSchema,
    capabilities: ipadCapabilities,
    createSession(sessionOptions): ProviderSessionV1 {
      return new IpadSession({
        providerId: 'ipad',
        options: sessionOptions,
        runtime,
        ...(options.onRiskControlBlocked ? { onRiskControlBlocked: options.onRiskControlBlocked } : {}),
      });
    },
  };
}

/** The provider with production timing: register it with the bridge as `ipad`. */
export const ipadProvider: ProviderV1<IpadConfig> = createIpadProvider();
