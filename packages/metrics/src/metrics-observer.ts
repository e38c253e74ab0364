import type { SessionStateV1 } from '@wechat/provider-api';
import type { BridgeMetrics, Direction } from './bridge-metrics.ts';

/**
 * What the bridge reports as it works; each call moves the collectors. Plain data in, no bridge types, so the
 * bridge runtime needs no metrics dependency (it calls an optional observer with this shape).
 */
export interface MetricsObserver {
  /** A new (not re-delivered) message arrived from WeChat. */
  messageReceived(event: { readonly providerId: string; readonly kind: string }): void;
  /** A message reached the other side; `latencyMs` as each direction defines it. */
  messageBridged(event: {
    readonly providerId: string;
    readonly direction: Direction;
    readonly kind: string;
    readonly latencyMs: number;
  }): void;
  /** A message was given up (the user was told). */
  messageFailed(event: { readonly providerId: string; readonly direction: Direction; readonly kind: string }): void;
  sessionStateChanged(event: {
    readonly loginId: string;
    readonly providerId: string;
    readonly state: SessionStateV1;
    readonly previous: SessionStateV1;
    readonly errorCode?: string;
  }): void;
  /** The login's session is gone (logout, shutdown): its gauges no longer count it. */
  sessionClosed(event: { readonly loginId: string }): void;
  /** A failover group switched the member serving a login. */
  failoverSwitched(event: { readonly loginId: string; readonly to: string; readonly reason: string }): void;
}

/** `mautrix_wechat_login_state` values (the reference's 0–4 scale, 4 = the LoginFailed alert). */
export function loginStateValue(state: SessionStateV1): number {
  switch (state) {
    case 'connected':
      return 3;
    case 'starting':
    case 'connecting':
    case 'transient-disconnect':
      return 2;
    case 'awaiting-login':
      return 1;
    case 'bad-credentials':
    case 'unknown-error':
      return 4;
    case 'stopped':
    case 'logged-out':
      return 0;
  }
}

/** Ranks for "worst state wins" per provider: an error outranks everything, connected nothing. */
const severity: Record<number, number> = { 4: 4, 0: 3, 1: 2, 2: 1, 3: 0 };

interface LoginView {
  providerId: string;
  state: SessionStateV1;
  /** The member serving the login (failover), else the login's provider. */
  activeProviderId: string;
}

export function createMetricsObserver(metrics: BridgeMetrics): MetricsObserver {
  const logins = new Map<string, LoginView>();
  const seenProviders = new Set<string>();

  /** Recomputed from every login on each change: a handful of logins, and gauges never drift. */
  const refreshGauges = () => {
    const byProvider = new Map<string, LoginView[]>();
    for (const login of logins.values()) byProvider.set(login.providerId, [...(byProvider.get(login.providerId) ?? []), login]);
    for (const provider of seenProviders) {
      const views = byProvider.get(provider);
      if (!views) {
        metrics.connected.remove(provider);
        metrics.loginState.remove(provider);
      } else {
        metrics.connected.set({ provider }, views.every(view => view.state === 'connected') ? 1 : 0);
        const worst = views
          .map(view => loginStateValue(view.state))
          .reduce((a, b) => ((severity[a] ?? 0) >= (severity[b] ?? 0) ? a : b));
        metrics.loginState.set({ provider }, worst);
      }
      metrics.activeProvider.set({ provider }, 0);
    }
    for (const login of logins.values()) {
      if (login.state === 'connected') metrics.activeProvider.inc({ provider: login.activeProviderId });
    }
  };

  return {
    messageReceived({ providerId, kind }) {
      metrics.messagesReceived.inc({ provider: providerId, kind });
    },
    messageBridged({ providerId, direction, latencyMs }) {
      const histogram = direction === 'wechat-to-matrix' ? metrics.wechatToMatrixLatency : metrics.matrixToWechatLatency;
      histogram.observe({ provider: providerId }, Math.max(0, latencyMs) / 1000);
    },
    messageFailed({ providerId, direction, kind }) {
      metrics.messagesFailed.inc({ provider: providerId, direction, kind });
    },
    sessionStateChanged({ loginId, providerId, state, previous, errorCode }) {
      seenProviders.add(providerId);
      const existing = logins.get(loginId);
      const activeProviderId = existing?.activeProviderId ?? providerId;
      seenProviders.add(activeProviderId);
      logins.set(loginId, { providerId, state, activeProviderId });
      if (previous === 'connected' && (state === 'transient-disconnect' || state === 'unknown-error' || state === 'connecting')) {
        metrics.reconnectAttempts.inc({ provider: providerId });
      }
      if (errorCode !== undefined) metrics.providerErrors.inc({ provider: providerId, code: errorCode });
      refreshGauges();
    },
    sessionClosed({ loginId }) {
      logins.delete(loginId);
      refreshGauges();
    },
    failoverSwitched({ loginId, to, reason }) {
      metrics.failoverSwitches.inc({ provider: to, reason });
      seenProviders.add(to);
      const login = logins.get(loginId);
      if (login) login.activeProviderId = to;
      refreshGauges();
    },
  };
}
