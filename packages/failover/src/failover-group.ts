import {
  type LoginProcessV1,
  type LoginStepV1,
  type Logger,
  needsUserActionV1,
  type ProviderEventV1,
  type ProviderSessionOptionsV1,
  type ProviderV1,
  type SessionStateV1,
  toWechatError,
  WechatAuthenticationError,
  type WechatError,
  WechatInvalidArgumentError,
  WechatProviderUnavailableError,
} from '@wechat/provider-api';
import type { FailoverClock } from './failover-clock.ts';
import type { FailoverConfig } from './failover-config.ts';
import type { FailoverSessionConfig } from './failover-session-config.ts';
import type { FailoverMemberSnapshot, FailoverSwitch, FailoverSwitchReason } from './failover-types.ts';
import { GroupMember } from './group-member.ts';
import { groupTransitionPath, isTerminalMemberState, unservedGroupState } from './group-state.ts';
import { PeriodicTask } from './periodic-task.ts';
import { prefixedStorage } from './prefixed-storage.ts';
import { RecentKeys } from './recent-keys.ts';
import { withDeadline } from './with-deadline.ts';

/** How many inbound message ids the group remembers to drop copies that arrive through a second member. */
const recentInboundCapacity = 10_000;
/** A member that has heartbeated and then stays silent this many health intervals fails its checks. */
const heartbeatIntervals = 3;

export interface FailoverGroupOptions {
  readonly providerId: string;
  /** Sorted by tier, stable. */
  readonly members: readonly { readonly provider: ProviderV1; readonly config: unknown; readonly tier: number }[];
  readonly failover: FailoverConfig;
  readonly clock: FailoverClock;
  readonly onSwitch: ((change: FailoverSwitch) => void) | undefined;
  readonly session: ProviderSessionOptionsV1<FailoverSessionConfig>;
}

/** A login started through the group: its member's `login-step` events are the group's. */
interface LoginAttempt {
  readonly member: GroupMember;
  /** Until the login completes, fails or is cancelled: meanwhile a preferred member is waited for at start. */
  inProgress: boolean;
}

/**
 * The state machine of one group session: the member sessions, their health, which one serves, the group's
 * state, and the events the host sees. `FailoverSession` puts the contract's methods in front of it.
 *
 * Phases while running: *starting* (nothing served yet: the preferred member is waited for), *serving* (an
 * active member), *all down* (the active member failed and no other was healthy: the first to come back serves).
 */
export class FailoverGroup {
  readonly #providerId: string;
  readonly #members: readonly GroupMember[];
  readonly #config: FailoverConfig;
  readonly #clock: FailoverClock;
  readonly #onSwitch: ((change: FailoverSwitch) => void) | undefined;
  readonly #emitToHost: (event: ProviderEventV1) => void;
  readonly #logger: Logger;
  readonly #checkIntervalMs: number;
  readonly #heartbeatWindowMs: number;
  readonly #healthTask: PeriodicTask;
  readonly #recoveryTask: PeriodicTask;
  readonly #recentInbound = new RecentKeys(recentInboundCapacity);

  /** The state the host was told; every change goes through `#moveTo`. */
  #state: SessionStateV1 = 'stopped';
  #running = false;
  /** Bumped by every start and stop, so async work of an earlier run notices and gives up. */
  #generation = 0;
  #abort = new AbortController();
  #stopping: Promise<void> | undefined;
  /** Checks and switches run one at a time, in the order their timers fired. */
  #decisions: Promise<void> = Promise.resolve();
  #active: GroupMember | undefined;
  /** Whether a member has served since the last start: tells "starting" from "all down" while none is active. */
  #hasServed = false;
  /** The active member was chosen by `forceProvider`: no promotion until it fails. */
  #forced = false;
  /** After `logout()` the group stays `logged-out` until it is started again or a login begins. */
  #loggedOut = false;
  #allDownError: WechatError | undefined;
  /** Preferred members no longer waited for at start (they failed `failure_threshold` checks meanwhile). */
  readonly #givenUp = new Set<GroupMember>();
  #login: LoginAttempt | undefined;

  constructor(options: FailoverGroupOptions) {
    this.#providerId = options.providerId;
    this.#config = options.failover;
    this.#clock = options.clock;
    this.#onSwitch = options.onSwitch;
    this.#emitToHost = options.session.emit;
    this.#logger = options.session.logger;
    this.#checkIntervalMs = options.failover.health_check_interval_s * 1000;
    this.#heartbeatWindowMs = heartbeatIntervals * this.#checkIntervalMs;
    this.#members = options.members.map(({ provider, config, tier }) => {
      // The member exists only once its session does; a member must not emit from createSession (no IO there).
      const holder: { member?: GroupMember } = {};
      const session = provider.createSession({
        config,
        logger: options.session.logger.child({ member: provider.id }),
        storage: prefixedStorage(options.session.storage, `${provider.id}:`),
        emit: event => {
          if (holder.member) this.#onMemberEvent(holder.member, event);
        },
        ...(options.session.signal === undefined ? {} : { signal: options.session.signal }),
      });
      holder.member = new GroupMember({ providerId: provider.id, tier, capabilities: provider.capabilities, session });
      return holder.member;
    });
    this.#healthTask = new PeriodicTask(this.#clock, this.#checkIntervalMs, () => this.#decide(() => this.#healthTick()));
    this.#recoveryTask = new PeriodicTask(this.#clock, this.#config.recovery_check_interval_s * 1000, () =>
      this.#decide(() => this.#recoveryTick()),
    );
  }

  get state(): SessionStateV1 {
    return this.#state;
  }

  get activeProviderId(): string | undefined {
    return this.#active?.providerId;
  }

  members(): readonly FailoverMemberSnapshot[] {
    const now = this.#clock.now();
    return this.#members.map(member =>
      member.snapshot({ active: member === this.#active, healthy: member.isHealthy(now, this.#heartbeatWindowMs) }),
    );
  }

  // ── lifecycle ────────────────────────────────────────────────────────────────────────────────────────────

  /**
   * Starts every member, so standbys are warm and their health is known. Rejects only when every member's
   * `start()` rejected (programming or config errors); one failing member is logged and left out.
   */
  async start(): Promise<void> {
    if (this.#stopping) await this.#stopping;
    // Like a session that needs the user, a running group in `logged-out`/`bad-credentials` starts over.
    const startOver = this.#running && (this.#state === 'logged-out' || this.#state === 'bad-credentials');
    if (this.#running && !startOver) return;
    if (!this.#running) {
      this.#running = true;
      this.#generation++;
      this.#abort = new AbortController();
      this.#decisions = Promise.resolve();
      for (const member of this.#members) member.reset();
      this.#healthTask.start();
      this.#recoveryTask.start();
    }
    this.#beginStartup();
    this.#moveTo('starting');
    const generation = this.#generation;
    const results = await Promise.allSettled(
      this.#members.map(async member => {
        try {
          await member.session.start();
        } finally {
          member.startSettled = true;
        }
      }),
    );
    if (generation !== this.#generation) return;
    this.#logFailures(results, 'failover group: a member did not start', 'error');
    this.#evaluate();
    this.#publish();
    const failure = results.find(result => result.status === 'rejected');
    if (failure && results.every(result => result.status === 'rejected')) throw failure.reason;
  }

  /** Stops every member and every timer; nothing is emitted after it resolves. */
  stop(): Promise<void> {
    if (this.#stopping) return this.#stopping;
    if (!this.#running) return Promise.resolve();
    this.#stopping = this.#stopAll().finally(() => {
      this.#stopping = undefined;
    });
    return this.#stopping;
  }

  async #stopAll(): Promise<void> {
    this.#running = false;
    this.#generation++;
    this.#abort.abort(this.#unavailable('The failover group was stopped.'));
    this.#healthTask.stop();
    this.#recoveryTask.stop();
    const results = await Promise.allSettled(this.#members.map(member => member.session.stop()));
    this.#logFailures(results, 'failover group: a member did not stop cleanly');
    this.#active = undefined;
    this.#login = undefined;
    const previous = this.#state;
    this.#state = 'stopped';
    if (previous !== 'stopped') this.#emitToHost({ type: 'state-changed', state: 'stopped', previous });
  }

  /** Logs out every member. The group then stays `logged-out` until it is started again or a login begins. */
  async logout(): Promise<void> {
    const results = await Promise.allSettled(this.#members.map(member => member.session.logout()));
    this.#logFailures(results, 'failover group: a member did not log out');
    if (this.#running) {
      this.#active = undefined;
      this.#forced = false;
      this.#login = undefined;
      this.#loggedOut = true;
      this.#publish();
    }
    const failure = results.find(result => result.status === 'rejected');
    if (failure && results.every(result => result.status === 'rejected')) throw failure.reason;
  }

  /** Logs in the first member, in tier order, that awaits a login. */
  async login(): Promise<LoginProcessV1> {
    const member = this.#members.find(
      candidate => candidate.state === 'awaiting-login' && typeof candidate.session.login === 'function',
    );
    if (!member?.session.login) {
      throw new WechatInvalidArgumentError({
        argument: 'state',
        message: `login() needs a member awaiting a login; the members are ${this.#members
          .map(candidate => `'${candidate.providerId}' (${candidate.state})`)
          .join(', ')}.`,
        providerId: this.#providerId,
      });
    }
    if (this.#loggedOut) {
      this.#loggedOut = false;
      this.#beginStartup();
    }
    // Set before the member's login starts, so its first `login-step` is already the group's.
    const attempt: LoginAttempt = { member, inProgress: true };
    this.#login = attempt;
    this.#publish();
    const finish = () => {
      attempt.inProgress = false;
    };
    let process: LoginProcessV1;
    try {
      process = await member.session.login();
    } catch (error) {
      finish();
      throw error;
    }
    const track = (step: Promise<LoginStepV1>) =>
      step.then(
        resolved => {
          if (resolved.type === 'complete') finish();
          return resolved;
        },
        (error: unknown) => {
          finish();
          throw error;
        },
      );
    return {
      start: () => track(process.start()),
      next: () => track(process.next()),
      cancel: async () => {
        finish();
        await process.cancel();
      },
    };
  }

  // ── routing ──────────────────────────────────────────────────────────────────────────────────────────────

  /**
   * The member that serves calls now. Throws when none can: `AUTH_REQUIRED` while the group needs a login, the
   * retryable `WechatProviderUnavailableError` otherwise, also while the active member is down and another
   * healthy one is about to take over (the host's outbox retries, and the retry reaches the new member).
   */
  serving(): GroupMember {
    const active = this.#active;
    if (!active) {
      if (needsUserActionV1(this.#state)) {
        throw new WechatAuthenticationError({
          code: 'AUTH_REQUIRED',
          message: `No provider of the failover group is logged in (the group is '${this.#state}').`,
          providerId: this.#providerId,
        });
      }
      throw this.#unavailable(`No provider of the failover group serves the account (the group is '${this.#state}').`);
    }
    if (active.state !== 'connected' && this.#members.some(member => member !== active && this.#healthy(member))) {
      throw this.#unavailable(`'${active.providerId}' is '${active.state}'; the failover group is about to switch providers.`);
    }
    return active;
  }

  /** The operator's override; see `FailoverSessionV1.forceProvider`. */
  forceProvider(providerId: string): void {
    const member = this.#members.find(candidate => candidate.providerId === providerId);
    if (!member) {
      throw new WechatInvalidArgumentError({
        argument: 'providerId',
        message: `'${providerId}' is not a member of the failover group (members: ${this.#members.map(candidate => candidate.providerId).join(', ')}).`,
        providerId: this.#providerId,
      });
    }
    if (!this.#running || this.#loggedOut || member.state !== 'connected') {
      throw this.#unavailable(`'${providerId}' cannot serve now: it is '${member.state}', not connected.`);
    }
    if (member === this.#active) {
      this.#forced = true;
      return;
    }
    this.#switchTo(member, 'forced');
  }

  // ── member events ────────────────────────────────────────────────────────────────────────────────────────

  #onMemberEvent(member: GroupMember, event: ProviderEventV1): void {
    // Members stop after the group does; whatever they say then is not the host's business.
    if (!this.#running) return;
    try {
      this.#route(member, event);
    } catch (error) {
      this.#logger.error(
        { member: member.providerId, eventType: event.type, code: toWechatError(error).code },
        'failover group: handling a member event failed',
      );
    }
  }

  #route(member: GroupMember, event: ProviderEventV1): void {
    const now = this.#clock.now();
    switch (event.type) {
      case 'state-changed':
        member.observeState(event.state, event.error, now);
        this.#evaluate();
        this.#publish();
        return;
      case 'heartbeat':
        member.observeHeartbeat(now);
        if (member === this.#active) this.#emit(event);
        return;
      // A standby member still receives: whichever member delivers a message first, the host gets it once.
      case 'message-received':
        if (this.#recentInbound.firstSighting(`message:${event.message.id}`)) this.#emit(event);
        return;
      case 'message-recalled':
        if (this.#recentInbound.firstSighting(`recall:${event.target.id}`)) this.#emit(event);
        return;
      case 'contact-updated':
      case 'room-updated':
      case 'room-member-joined':
      case 'room-member-left':
      case 'friend-request-received':
        this.#emit(event);
        return;
      case 'login-step':
        if (this.#login?.member === member) this.#emit(event);
        return;
      case 'provider-switched':
        // A member that is itself a group: its switches are its own affair.
        return;
      default:
        // An event type newer than this package: the serving member speaks for the group.
        if (member === this.#active) this.#emit(event);
    }
  }

  // ── decisions ────────────────────────────────────────────────────────────────────────────────────────────

  /** Reacts to a member's change at once where no threshold applies: at start, and when every member was down. */
  #evaluate(): void {
    if (!this.#running || this.#loggedOut || this.#active !== undefined) return;
    if (this.#hasServed) {
      // Every member was down: the first one back serves, without waiting for any threshold.
      const back = this.#members.find(member => this.#healthy(member));
      if (back) this.#switchTo(back, 'all-down-recovered');
      return;
    }
    const candidate = this.#startupCandidate();
    if (candidate) {
      if (candidate.state === 'connected') this.#activate(candidate);
      return;
    }
    // Nothing left to wait for: the first healthy member serves.
    const pick = this.#members.find(member => this.#healthy(member));
    if (pick) this.#activate(pick);
  }

  /**
   * At start, the member to wait for: the most preferred one still on its way (starting, connecting) or waiting
   * for the user's login, so a connected standby does not take the account from a preferred member that only
   * needs a QR scan. Members that are down, or were waited for `failure_threshold` checks, are passed over.
   */
  #startupCandidate(): GroupMember | undefined {
    return this.#members.find(member => !this.#givenUp.has(member) && !this.#downAtStartup(member));
  }

  #downAtStartup(member: GroupMember): boolean {
    const state = member.state;
    if (state === 'stopped') return member.startSettled;
    return state === 'transient-disconnect' || state === 'unknown-error' || state === 'bad-credentials' || state === 'logged-out';
  }

  #beginStartup(): void {
    this.#active = undefined;
    this.#hasServed = false;
    this.#forced = false;
    this.#loggedOut = false;
    this.#allDownError = undefined;
    this.#givenUp.clear();
  }

  /** The first member to serve after a start: not a switch (nothing served before), so nothing is announced. */
  #activate(member: GroupMember): void {
    this.#active = member;
    this.#hasServed = true;
    this.#givenUp.clear();
    member.consecutiveFailures = 0;
    this.#logger.info({ member: member.providerId, tier: member.tier }, 'failover group: serving through a member');
  }

  #switchTo(to: GroupMember, reason: FailoverSwitchReason): void {
    const from = this.#active;
    this.#active = to;
    this.#hasServed = true;
    this.#forced = reason === 'forced';
    this.#allDownError = undefined;
    this.#givenUp.clear();
    to.consecutiveFailures = 0;
    const change: FailoverSwitch = {
      ...(from === undefined ? {} : { from: from.providerId }),
      to: to.providerId,
      reason,
      at: this.#clock.now(),
    };
    this.#logger.info({ from: change.from, to: change.to, reason }, 'failover group: switched providers');
    // The switch first, then the state: a host that re-sends on `connected` already sees the new member.
    this.#emit({ type: 'provider-switched', ...change });
    try {
      this.#onSwitch?.(change);
    } catch (error) {
      this.#logger.warn({ code: toWechatError(error).code }, 'failover group: onSwitch threw');
    }
    this.#publish();
  }

  /** Runs checks and switches one at a time; a failure is logged and does not end the schedule. */
  #decide(decision: () => Promise<void>): Promise<void> {
    const next = this.#decisions.then(decision).catch((error: unknown) => {
      this.#logger.error({ code: toWechatError(error).code }, 'failover group: a health decision failed');
    });
    this.#decisions = next;
    return next;
  }

  async #healthTick(): Promise<void> {
    const generation = this.#generation;
    if (!this.#running || this.#loggedOut) return;
    const active = this.#active;
    if (active) {
      const passed = await this.#check(active, generation);
      if (!this.#isCurrent(generation) || this.#active !== active) return;
      // Flapping is absorbed by the threshold; a member that will not come back by itself is left at once.
      if (!passed && (active.consecutiveFailures >= this.#config.failure_threshold || isTerminalMemberState(active.state))) {
        await this.#failOver(active, generation);
      }
      this.#publish();
      return;
    }
    if (!this.#hasServed) {
      this.#startupTick();
      return;
    }
    // Every member was down: a member that stayed connected but failed its checks is back once a check passes.
    for (const member of this.#members) {
      if (member.state !== 'connected') continue;
      const passed = await this.#check(member, generation);
      if (!this.#isCurrent(generation) || this.#active !== undefined || this.#loggedOut) return;
      if (passed) {
        this.#switchTo(member, 'all-down-recovered');
        return;
      }
    }
    this.#publish();
  }

  /** At start, a preferred member that does not connect counts a failed check, unless its login is under way. */
  #startupTick(): void {
    const candidate = this.#startupCandidate();
    const loggingIn = this.#login?.member === candidate && this.#login?.inProgress === true;
    if (candidate && candidate.state !== 'connected' && !loggingIn) {
      candidate.recordCheck(candidate.lastError ?? this.#unavailable(`'${candidate.providerId}' is '${candidate.state}'.`));
      if (candidate.consecutiveFailures >= this.#config.failure_threshold) {
        this.#givenUp.add(candidate);
        this.#logger.info(
          { member: candidate.providerId, state: candidate.state },
          'failover group: no longer waiting for a preferred member at start',
        );
      }
    }
    this.#evaluate();
    this.#publish();
  }

  /** Switches to the next healthy member in tier order, wrapping around; with none, every member is down. */
  async #failOver(from: GroupMember, generation: number): Promise<void> {
    const index = this.#members.indexOf(from);
    const order = [...this.#members.slice(index + 1), ...this.#members.slice(0, index)];
    for (const candidate of order) {
      if (!this.#healthy(candidate)) continue;
      // One check of the candidate itself: a standby's last word on its health may be old.
      const passed = await this.#check(candidate, generation);
      if (!this.#isCurrent(generation) || this.#active !== from) return;
      if (passed) {
        this.#switchTo(candidate, 'health-check-failed');
        return;
      }
    }
    this.#active = undefined;
    this.#forced = false;
    this.#allDownError = from.lastError ?? this.#unavailable(`'${from.providerId}' failed its health checks.`);
    this.#logger.warn(
      { member: from.providerId, code: this.#allDownError.code },
      'failover group: every member is down; the first to come back will serve',
    );
  }

  /** Probes the members preferred to the active one; promotes the best after `recovery_threshold` good probes. */
  async #recoveryTick(): Promise<void> {
    const generation = this.#generation;
    const active = this.#active;
    if (!this.#running || this.#loggedOut || !active || this.#forced) return;
    const preferred = this.#members.filter(member => member.tier < active.tier);
    for (const member of preferred) {
      await this.#check(member, generation);
      if (!this.#isCurrent(generation) || this.#active !== active || this.#forced) return;
    }
    const target = preferred.find(
      member => member.consecutiveSuccesses >= this.#config.recovery_threshold && this.#healthy(member),
    );
    if (target) this.#switchTo(target, 'recovered');
  }

  /**
   * One check of a member, without touching its session's lifecycle: its state, its heartbeats, and its
   * `checkHealth()` when it has one (bounded by the check interval). Records the result on the member.
   */
  async #check(member: GroupMember, generation: number): Promise<boolean> {
    const failure = await this.#probe(member);
    if (!this.#isCurrent(generation)) return false;
    member.recordCheck(failure);
    if (failure) {
      this.#logger.debug(
        {
          member: member.providerId,
          code: failure.code,
          reason: failure.message,
          consecutiveFailures: member.consecutiveFailures,
        },
        'failover group: a member failed its check',
      );
    }
    return failure === undefined;
  }

  async #probe(member: GroupMember): Promise<WechatError | undefined> {
    if (member.state !== 'connected')
      return member.lastError ?? this.#unavailable(`'${member.providerId}' is '${member.state}'.`);
    if (member.heartbeatOverdue(this.#clock.now(), this.#heartbeatWindowMs)) {
      return this.#unavailable(`'${member.providerId}' stopped sending heartbeats.`);
    }
    const checkHealth = member.session.checkHealth;
    if (checkHealth) {
      try {
        const report = await withDeadline(checkHealth.call(member.session), {
          clock: this.#clock,
          milliseconds: this.#checkIntervalMs,
          onTimeout: () =>
            this.#unavailable(`checkHealth() of '${member.providerId}' did not answer within ${this.#checkIntervalMs / 1000} s.`),
          signal: this.#abort.signal,
        });
        if (!report.healthy) return report.error ?? this.#unavailable(`'${member.providerId}' reported itself unhealthy.`);
      } catch (error) {
        return toWechatError(error, member.providerId);
      }
    }
    if (member.state !== 'connected')
      return member.lastError ?? this.#unavailable(`'${member.providerId}' is '${member.state}'.`);
    return undefined;
  }

  // ── the group's state ────────────────────────────────────────────────────────────────────────────────────

  #healthy(member: GroupMember): boolean {
    return member.isHealthy(this.#clock.now(), this.#heartbeatWindowMs);
  }

  /** What a member's state means for the group when it does not serve. */
  #effectiveState(member: GroupMember): SessionStateV1 {
    if (member.state === 'stopped') return member.startSettled ? 'unknown-error' : 'starting';
    if (member.state === 'connected' && !this.#healthy(member)) return 'transient-disconnect';
    return member.state;
  }

  #derive(): { readonly state: SessionStateV1; readonly error?: WechatError | undefined } {
    if (this.#loggedOut) return { state: 'logged-out' };
    const active = this.#active;
    if (active) return { state: active.state === 'stopped' ? 'unknown-error' : active.state, error: active.lastError };
    if (!this.#hasServed) {
      const candidate = this.#startupCandidate();
      if (candidate) return { state: this.#effectiveState(candidate), error: candidate.lastError };
    }
    const state = unservedGroupState(this.#members.map(member => this.#effectiveState(member)));
    if (state !== 'transient-disconnect') return { state };
    const memberError = this.#members.find(member => member.lastError !== undefined)?.lastError;
    return {
      state,
      error: this.#allDownError ?? memberError ?? this.#unavailable('No provider of the failover group is connected.'),
    };
  }

  /** Tells the host the group's state, if it changed. */
  #publish(): void {
    if (!this.#running) return;
    const { state, error } = this.#derive();
    this.#moveTo(state, error);
  }

  #moveTo(state: SessionStateV1, error?: WechatError): void {
    const path = groupTransitionPath(this.#state, state);
    for (const [index, next] of path.entries()) {
      const previous = this.#state;
      this.#state = next;
      const withError = error !== undefined && next !== 'connected' && index === path.length - 1;
      this.#emit({ type: 'state-changed', state: next, previous, ...(withError ? { error } : {}) });
    }
  }

  #emit(event: ProviderEventV1): void {
    if (this.#running) this.#emitToHost(event);
  }

  #isCurrent(generation: number): boolean {
    return this.#running && generation === this.#generation;
  }

  #unavailable(message: string): WechatError {
    return new WechatProviderUnavailableError({ message, providerId: this.#providerId });
  }

  #logFailures(results: readonly PromiseSettledResult<unknown>[], message: string, level: 'warn' | 'error' = 'warn'): void {
    for (const [index, result] of results.entries()) {
      if (result.status !== 'rejected') continue;
      const member = this.#members[index]?.providerId;
      this.#logger[level]({ member, code: toWechatError(result.reason, member).code }, message);
    }
  }
}
