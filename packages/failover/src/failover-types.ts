import type {
  ProviderEventOfTypeV1,
  ProviderSessionOptionsV1,
  ProviderSessionV1,
  ProviderV1,
  SessionStateV1,
} from '@wechat/provider-api';
import type { FailoverClock } from './failover-clock.ts';
import type { FailoverConfig } from './failover-config.ts';
import type { FailoverSessionConfig } from './failover-session-config.ts';

/** Why a group changed the member that serves the account. Stable strings: hosts map them to texts and labels. */
export const failoverSwitchReasons = ['health-check-failed', 'recovered', 'all-down-recovered', 'forced'] as const;
export type FailoverSwitchReason = (typeof failoverSwitchReasons)[number];

/**
 * One change of the serving member, as `onSwitch` reports it. The same fields as the contract's
 * `provider-switched` event, which the session also emits, so hosts can announce a switch from either.
 */
export interface FailoverSwitch {
  /** The member that served before; absent when nothing served the account (every member was down). */
  readonly from?: string;
  readonly to: string;
  readonly reason: FailoverSwitchReason;
  /** Milliseconds since the epoch, from the group's clock. */
  readonly at: number;
}

/** The event a failover session emits for every switch. */
export type ProviderSwitchedEventV1 = ProviderEventOfTypeV1<'provider-switched'>;

/** One provider of the group, with its own config section (already validated by the host against its schema). */
export interface FailoverMemberOptions {
  readonly provider: ProviderV1;
  readonly config: unknown;
  /** Lower is preferred. Members of the same tier keep the order they are given in. */
  readonly tier: number;
}

export interface FailoverProviderOptions {
  readonly members: readonly FailoverMemberOptions[];
  /** `providers.failover`, parsed with `failoverConfigSchema`. */
  readonly failover: FailoverConfig;
  /** Default: the real clock. */
  readonly clock?: FailoverClock;
  /** Called for every switch of every session of this provider, after the session emitted `provider-switched`. */
  readonly onSwitch?: (change: FailoverSwitch) => void;
}

/** A member as `/health` and metrics show it. */
export interface FailoverMemberSnapshot {
  readonly providerId: string;
  readonly tier: number;
  readonly state: SessionStateV1;
  /** Connected, its last check passed, and its heartbeats (if it sends any) are recent. */
  readonly healthy: boolean;
  /** Whether it serves the account now. */
  readonly active: boolean;
  readonly consecutiveFailures: number;
  readonly consecutiveSuccesses: number;
  /** When its last `heartbeat` arrived (the group's clock), if it ever sent one. */
  readonly lastHeartbeatAt: number | undefined;
}

/** A session of a failover group: a normal provider session, plus what hosts need to watch and steer the group. */
export interface FailoverSessionV1 extends ProviderSessionV1 {
  /** The member serving the account now; undefined while none does (starting, or every member is down). */
  readonly activeProviderId: string | undefined;
  /** Every member in tier order. */
  members(): readonly FailoverMemberSnapshot[];
  /**
   * Operator override: serve through this member at once. Throws `WechatInvalidArgumentError` for an id that is
   * not a member and `WechatProviderUnavailableError` when the member is not connected. The member stays active
   * until it fails by the normal rules (recovery does not promote a preferred member over it meanwhile).
   */
  forceProvider(providerId: string): void;
}

/** The provider `createFailoverProvider` returns: its sessions are `FailoverSessionV1`s. */
export interface FailoverProviderV1 extends ProviderV1<FailoverSessionConfig> {
  createSession(options: ProviderSessionOptionsV1<FailoverSessionConfig>): FailoverSessionV1;
}

/** Whether a session (as a host holds it) is a failover group's, with `activeProviderId`, `members()` and `forceProvider()`. */
export function isFailoverSession(session: ProviderSessionV1): session is FailoverSessionV1 {
  const candidate = session as Partial<FailoverSessionV1>;
  return (
    typeof candidate.members === 'function' && typeof candidate.forceProvider === 'function' && 'activeProviderId' in session
  );
}
