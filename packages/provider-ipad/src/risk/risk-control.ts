import { type SessionStorageV1, WechatRiskControlError } from '@wechat/provider-api';
import type { IpadConfig } from '../ipad-config.ts';

export type RiskCategory = 'message' | 'group' | 'friend';

export interface RiskControlOptions {
  readonly config: IpadConfig['risk_control'];
  /** Counters live here: the bridge keeps session storage in its database, so they survive restarts. */
  readonly storage: SessionStorageV1;
  readonly providerId: string;
  readonly now: () => number;
  readonly random: () => number;
  readonly sleep: (ms: number, signal?: AbortSignal) => Promise<void>;
  /** Called for every refused operation (the bridge counts them for `mautrix_wechat_risk_control_blocked_total`). */
  readonly onBlocked?: (error: WechatRiskControlError, category: RiskCategory) => void;
}

interface DailyCounters {
  readonly day: string;
  readonly message: number;
  readonly group: number;
  readonly friend: number;
}

export const riskCountersKey = 'ipad.risk-control.counters';
export const firstLoginKey = 'ipad.risk-control.first-login-at';

const dayMs = 86_400_000;
/** WeChat's own daily limits follow Beijing time, so our quota day does too (UTC+8, no daylight saving). */
const quotaDayOffsetMs = 8 * 3_600_000;

/**
 * Anti-ban protection for a personal account (reference inventory §4, with its bugs fixed): quotas persist
 * and are charged only for operations that happened; the silence period starts at the account's real first
 * login through this bridge; jitter never shortens the configured interval; waits honour cancellation.
 * Operations run one at a time, so the interval holds between consecutive sends.
 */
export class RiskControl {
  readonly #options: RiskControlOptions;
  #queue: Promise<unknown> = Promise.resolve();
  #lastOperationAt: number | undefined;

  constructor(options: RiskControlOptions) {
    this.#options = options;
  }

  /** Remembers the first successful login; later logins keep the original date. */
  async noteLogin(): Promise<void> {
    if ((await this.#options.storage.get(firstLoginKey)) === undefined) {
      await this.#options.storage.set(firstLoginKey, String(this.#options.now()));
    }
  }

  /**
   * Runs `operation` when the rules allow it: refuses (WechatRiskControlError) during the silence period or
   * when the day's quota is used up, waits out the minimum interval, and charges the quota only when
   * `operation` resolves.
   */
  run<T>(category: RiskCategory, operation: () => Promise<T>, signal?: AbortSignal): Promise<T> {
    const result = this.#queue.then(() => this.#runNow(category, operation, signal));
    this.#queue = result.catch(() => undefined);
    return result;
  }

  /** What is left today, for status commands and tests. */
  async remaining(): Promise<Record<RiskCategory, number>> {
    const counters = await this.#counters();
    return {
      message: Math.max(0, this.#limit('message') - counters.message),
      group: Math.max(0, this.#limit('group') - counters.group),
      friend: Math.max(0, this.#limit('friend') - counters.friend),
    };
  }

  async #runNow<T>(category: RiskCategory, operation: () => Promise<T>, signal?: AbortSignal): Promise<T> {
    await this.#checkSilence(category);
    const counters = await this.#counters();
    if (counters[category] >= this.#limit(category)) {
      const now = this.#options.now();
      const nextDay = Math.floor((now + quotaDayOffsetMs) / dayMs + 1) * dayMs - quotaDayOffsetMs;
      throw this.#blocked(
        category,
        new WechatRiskControlError({
          rule: 'daily-quota',
          retryAfterMs: nextDay - now,
          providerId: this.#options.providerId,
          message: `Risk control: today's limit of ${this.#limit(category)} ${describe(category)} is used up (providers.ipad.risk_control.${limitKey(category)}); it resets at midnight Beijing time.`,
        }),
      );
    }
    if (category === 'message') await this.#waitForInterval(signal);
    const result = await operation();
    this.#lastOperationAt = this.#options.now();
    await this.#charge(category);
    return result;
  }

  async #checkSilence(category: RiskCategory): Promise<void> {
    const days = this.#options.config.new_account_silence_days;
    if (days === 0) return;
    const stored = await this.#options.storage.get(firstLoginKey);
    const firstLoginAt = stored === undefined ? undefined : Number(stored);
    if (firstLoginAt === undefined || !Number.isFinite(firstLoginAt)) return;
    const endsAt = firstLoginAt + days * dayMs;
    const now = this.#options.now();
    if (now >= endsAt) return;
    throw this.#blocked(
      category,
      new WechatRiskControlError({
        rule: 'new-account-silence',
        retryAfterMs: endsAt - now,
        providerId: this.#options.providerId,
        message: `Risk control: this account first logged in ${formatDuration(now - firstLoginAt)} ago; nothing is sent during its first ${days} days (providers.ipad.risk_control.new_account_silence_days). Sending resumes in ${formatDuration(endsAt - now)}.`,
      }),
    );
  }

  async #waitForInterval(signal?: AbortSignal): Promise<void> {
    const { message_interval_ms: interval, random_delay: randomDelay } = this.#options.config;
    const jitter = randomDelay ? Math.floor(this.#options.random() * (interval / 2)) : 0;
    if (this.#lastOperationAt === undefined) {
      if (jitter > 0) await this.#options.sleep(jitter, signal);
      return;
    }
    const wait = this.#lastOperationAt + interval + jitter - this.#options.now();
    if (wait > 0) await this.#options.sleep(wait, signal);
  }

  async #counters(): Promise<DailyCounters> {
    const today = quotaDay(this.#options.now());
    const stored = await this.#options.storage.get(riskCountersKey);
    if (stored !== undefined) {
      try {
        const parsed = JSON.parse(stored) as Partial<DailyCounters>;
        if (parsed.day === today) {
          return { day: today, message: parsed.message ?? 0, group: parsed.group ?? 0, friend: parsed.friend ?? 0 };
        }
      } catch {
        // A corrupt row counts as a fresh day rather than blocking every send forever.
      }
    }
    return { day: today, message: 0, group: 0, friend: 0 };
  }

  async #charge(category: RiskCategory): Promise<void> {
    // Re-read just before writing: another process sharing the database may have charged meanwhile.
    const counters = await this.#counters();
    await this.#options.storage.set(riskCountersKey, JSON.stringify({ ...counters, [category]: counters[category] + 1 }));
  }

  #limit(category: RiskCategory): number {
    const { config } = this.#options;
    return category === 'message'
      ? config.max_messages_per_day
      : category === 'group'
        ? config.max_groups_per_day
        : config.max_friends_per_day;
  }

  #blocked(category: RiskCategory, error: WechatRiskControlError): WechatRiskControlError {
    this.#options.onBlocked?.(error, category);
    return error;
  }
}

function quotaDay(now: number): string {
  return new Date(now + quotaDayOffsetMs).toISOString().slice(0, 10);
}

function describe(category: RiskCategory): string {
  return category === 'message' ? 'messages' : category === 'group' ? 'group operations' : 'friend operations';
}

function limitKey(category: RiskCategory): string {
  return category === 'message' ? 'max_messages_per_day' : category === 'group' ? 'max_groups_per_day' : 'max_friends_per_day';
}

function formatDuration(ms: number): string {
  const hours = Math.floor(ms / 3_600_000);
  if (hours >= 48) return `${Math.floor(hours / 24)} days`;
  if (hours >= 1) return `${hours} h`;
  return `${Math.max(1, Math.ceil(ms / 60_000))} min`;
}
