import type { ProviderCapabilitiesV1, ProviderSessionV1, SessionStateV1, WechatError } from '@wechat/provider-api';
import type { FailoverMemberSnapshot } from './failover-types.ts';

/**
 * One member session of a group and what the group knows about its health. Only bookkeeping: the decisions
 * (when to check, when to switch) are the session's.
 */
export class GroupMember {
  readonly providerId: string;
  readonly tier: number;
  /** Its provider's static capabilities. */
  readonly capabilities: ProviderCapabilitiesV1;
  readonly session: ProviderSessionV1;
  consecutiveFailures = 0;
  consecutiveSuccesses = 0;
  lastHeartbeatAt: number | undefined;
  /** The error of its last state change, or of its last failed check. */
  lastError: WechatError | undefined;
  /** Whether its `start()` of the current run has settled (before that, `stopped` only means "not yet"). */
  startSettled = false;
  /** When it last became connected: heartbeats are expected from then on, not from an earlier connection. */
  #connectedAt: number | undefined;
  /** Its last check failed; cleared by a passing check or a new connection. */
  #failing = false;
  /** The longest recent gap between two of its heartbeats (decaying); unknown before its second heartbeat. */
  #heartbeatGapMs: number | undefined;

  constructor(parts: {
    readonly providerId: string;
    readonly tier: number;
    readonly capabilities: ProviderCapabilitiesV1;
    readonly session: ProviderSessionV1;
  }) {
    this.providerId = parts.providerId;
    this.tier = parts.tier;
    this.capabilities = parts.capabilities;
    this.session = parts.session;
  }

  get state(): SessionStateV1 {
    return this.session.state;
  }

  /** A new run of the group begins: what the previous run learned about this member no longer holds. */
  reset(): void {
    this.consecutiveFailures = 0;
    this.consecutiveSuccesses = 0;
    this.lastHeartbeatAt = undefined;
    this.lastError = undefined;
    this.startSettled = false;
    this.#connectedAt = undefined;
    this.#failing = false;
  }

  observeState(state: SessionStateV1, error: WechatError | undefined, now: number): void {
    if (state === 'connected') {
      this.#connectedAt = now;
      this.#failing = false;
      this.lastError = undefined;
      return;
    }
    // A run of good probes means "stayed up"; a disconnect between two probes breaks it.
    this.consecutiveSuccesses = 0;
    this.lastError = error;
  }

  observeHeartbeat(now: number): void {
    if (this.lastHeartbeatAt !== undefined && now > this.lastHeartbeatAt) {
      // Providers heartbeat at their own pace (GeWeChat every 30 s, WeChatFerry when it polls): remember the
      // longest recent gap, decaying slowly, so a slow but steady heartbeat is not taken for silence.
      this.#heartbeatGapMs = Math.max(now - this.lastHeartbeatAt, Math.round((this.#heartbeatGapMs ?? 0) * 0.9));
    }
    this.lastHeartbeatAt = now;
  }

  /**
   * Only a member that has heartbeated (twice: its pace must be known) is expected to keep doing so; silence
   * since its last connection counts.
   * Silence means: longer than `windowMs` (a few health intervals) and than three of its own usual gaps.
   */
  heartbeatOverdue(now: number, windowMs: number): boolean {
    // Until two heartbeats show its pace, silence says nothing about a member.
    if (this.lastHeartbeatAt === undefined || this.#heartbeatGapMs === undefined) return false;
    const since = Math.max(this.lastHeartbeatAt, this.#connectedAt ?? this.lastHeartbeatAt);
    return now - since >= Math.max(windowMs, 3 * this.#heartbeatGapMs);
  }

  recordCheck(error: WechatError | undefined): void {
    if (error === undefined) {
      this.consecutiveSuccesses++;
      this.consecutiveFailures = 0;
      this.#failing = false;
      return;
    }
    this.consecutiveFailures++;
    this.consecutiveSuccesses = 0;
    this.#failing = true;
    this.lastError = error;
  }

  /** Connected, not failing its checks, and not overdue with a heartbeat. */
  isHealthy(now: number, heartbeatWindowMs: number): boolean {
    return this.state === 'connected' && !this.#failing && !this.heartbeatOverdue(now, heartbeatWindowMs);
  }

  snapshot({ active, healthy }: { readonly active: boolean; readonly healthy: boolean }): FailoverMemberSnapshot {
    return {
      providerId: this.providerId,
      tier: this.tier,
      state: this.state,
      healthy,
      active,
      consecutiveFailures: this.consecutiveFailures,
      consecutiveSuccesses: this.consecutiveSuccesses,
      lastHeartbeatAt: this.lastHeartbeatAt,
    };
  }
}
