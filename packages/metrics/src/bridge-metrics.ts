import { Counter, Gauge, Histogram, type Registry } from 'prom-client';

/** The reference's latency buckets (seconds), so existing dashboards keep working. */
export const latencyBuckets = [0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10];

export type Direction = 'wechat-to-matrix' | 'matrix-to-wechat';

/**
 * Every collector the bridge exports. Names are the reference README's (`mautrix_wechat_*`) plus what operators
 * need; labels are bounded (provider, direction, kind, code, reason): never a user, room or message id.
 */
export interface BridgeMetrics {
  readonly registry: Registry;
  readonly connected: Gauge<'provider'>;
  readonly loginState: Gauge<'provider'>;
  readonly messagesSent: Counter<'provider' | 'kind'>;
  readonly messagesReceived: Counter<'provider' | 'kind'>;
  readonly messagesFailed: Counter<'provider' | 'direction' | 'kind'>;
  readonly wechatToMatrixLatency: Histogram<'provider'>;
  readonly matrixToWechatLatency: Histogram<'provider'>;
  readonly reconnectAttempts: Counter<'provider'>;
  readonly providerErrors: Counter<'provider' | 'code'>;
  readonly riskControlBlocked: Counter<'provider'>;
  readonly activeProvider: Gauge<'provider'>;
  readonly failoverSwitches: Counter<'provider' | 'reason'>;
  readonly outboxDepth: Gauge;
  readonly inboxDepth: Gauge;
  readonly mediaBytes: Counter<'provider' | 'direction'>;
  readonly uptime: Gauge;
}

export interface BridgeMetricsOptions {
  /** Always the caller's registry, never prom-client's global one, so tests and embedders stay isolated. */
  readonly registry: Registry;
  /** Queue depths, read at scrape time (a cheap indexed count). */
  readonly queueDepths?: () => Promise<{ readonly inbox: number; readonly outbox: number }>;
  readonly now?: () => number;
  /** Milliseconds since the epoch; uptime counts from here. */
  readonly startedAt?: number;
}

export function createBridgeMetrics({
  registry,
  queueDepths,
  now = Date.now,
  startedAt = now(),
}: BridgeMetricsOptions): BridgeMetrics {
  const registers = [registry];
  let depths: Promise<{ inbox: number; outbox: number }> | undefined;
  // One query per scrape serves both gauges.
  const readDepths = () => {
    depths ??= (queueDepths?.() ?? Promise.resolve({ inbox: 0, outbox: 0 })).finally(() => {
      depths = undefined;
    });
    return depths;
  };
  return {
    registry,
    connected: new Gauge({
      name: 'mautrix_wechat_connected',
      help: 'Whether every login served by the provider is connected to WeChat (0/1); absent before the first login.',
      labelNames: ['provider'],
      registers,
    }),
    loginState: new Gauge({
      name: 'mautrix_wechat_login_state',
      help: 'Worst login state per provider: 0 logged out, 1 awaiting login, 2 connecting, 3 connected, 4 error.',
      labelNames: ['provider'],
      registers,
    }),
    messagesSent: new Counter({
      name: 'mautrix_wechat_messages_sent_total',
      help: 'Messages delivered to WeChat.',
      labelNames: ['provider', 'kind'],
      registers,
    }),
    messagesReceived: new Counter({
      name: 'mautrix_wechat_messages_received_total',
      help: 'Unique messages received from WeChat.',
      labelNames: ['provider', 'kind'],
      registers,
    }),
    messagesFailed: new Counter({
      name: 'mautrix_wechat_messages_failed_total',
      help: 'Messages given up after their retries (the user was told).',
      labelNames: ['provider', 'direction', 'kind'],
      registers,
    }),
    wechatToMatrixLatency: new Histogram({
      name: 'mautrix_wechat_wechat_to_matrix_latency_seconds',
      help: 'From receipt by the bridge to the Matrix send.',
      labelNames: ['provider'],
      buckets: latencyBuckets,
      registers,
    }),
    matrixToWechatLatency: new Histogram({
      name: 'mautrix_wechat_matrix_to_wechat_latency_seconds',
      help: 'From the Matrix event to the WeChat send.',
      labelNames: ['provider'],
      buckets: latencyBuckets,
      registers,
    }),
    reconnectAttempts: new Counter({
      name: 'mautrix_wechat_reconnect_attempts_total',
      help: 'Times a connected session lost its connection and started reconnecting.',
      labelNames: ['provider'],
      registers,
    }),
    providerErrors: new Counter({
      name: 'mautrix_wechat_provider_errors_total',
      help: 'Failed provider calls and error states, by typed error code.',
      labelNames: ['provider', 'code'],
      registers,
    }),
    riskControlBlocked: new Counter({
      name: 'mautrix_wechat_risk_control_blocked_total',
      help: "Operations refused by the provider's anti-ban protection.",
      labelNames: ['provider'],
      registers,
    }),
    activeProvider: new Gauge({
      name: 'mautrix_wechat_active_provider',
      help: 'Logins currently served by the provider (for failover groups, the active member).',
      labelNames: ['provider'],
      registers,
    }),
    failoverSwitches: new Counter({
      name: 'mautrix_wechat_failover_switches_total',
      help: 'Failover switches, by the provider switched to and the reason.',
      labelNames: ['provider', 'reason'],
      registers,
    }),
    outboxDepth: new Gauge({
      name: 'mautrix_wechat_outbox_depth',
      help: 'Matrix events waiting to be sent to WeChat.',
      registers,
      async collect() {
        this.set((await readDepths()).outbox);
      },
    }),
    inboxDepth: new Gauge({
      name: 'mautrix_wechat_inbox_depth',
      help: 'WeChat events waiting to be bridged to Matrix.',
      registers,
      async collect() {
        this.set((await readDepths()).inbox);
      },
    }),
    mediaBytes: new Counter({
      name: 'mautrix_wechat_media_bytes_total',
      help: 'Media bytes transferred, by direction.',
      labelNames: ['provider', 'direction'],
      registers,
    }),
    uptime: new Gauge({
      name: 'mautrix_wechat_uptime_seconds',
      help: 'Seconds since the bridge process started.',
      registers,
      collect() {
        this.set(Math.max(0, (now() - startedAt) / 1000));
      },
    }),
  };
}
