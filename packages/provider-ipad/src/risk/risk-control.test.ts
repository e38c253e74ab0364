import { createMemorySessionStorage, WechatRiskControlError } from '@wechat/provider-api';
import { describe, expect, it } from 'vitest';
import { ipadRiskControlSchema } from '../ipad-config.ts';
import * as v from 'valibot';
import { firstLoginKey, RiskControl, riskCountersKey } from './risk-control.ts';

/** 2026-11-22 10:00 Beijing time. */
const start = Date.parse('2026-11-22T02:00:00Z');

function setup(config: Partial<v.InferInput<typeof ipadRiskControlSchema>> = {}) {
  let now = start;
  const sleeps: number[] = [];
  const blocked: string[] = [];
  const storage = createMemorySessionStorage();
  const options = {
    config: v.parse(ipadRiskControlSchema, { new_account_silence_days: 0, ...config }),
    storage,
    providerId: 'ipad',
    now: () => now,
    random: () => 0.5,
    sleep: async (ms: number) => {
      sleeps.push(ms);
      now += ms;
    },
    onBlocked: (error: WechatRiskControlError) => blocked.push(error.rule),
  };
  return {
    storage,
    sleeps,
    blocked,
    create: () => new RiskControl(options),
    advance: (ms: number) => {
      now += ms;
    },
  };
}

const ok = async () => 'sent';

describe('RiskControl', () => {
  it('refuses once the daily message quota is used, and resets at midnight Beijing time', async () => {
    const { create, advance, blocked } = setup({ max_messages_per_day: 2, message_interval_ms: 0 });
    const risk = create();
    await risk.run('message', ok);
    await risk.run('message', ok);
    const error = await risk.run('message', ok).catch((caught: unknown) => caught);
    expect(WechatRiskControlError.isInstance(error)).toBe(true);
    expect((error as WechatRiskControlError).rule).toBe('daily-quota');
    expect((error as WechatRiskControlError).retryable).toBe(false);
    // 14 hours until midnight in UTC+8.
    expect((error as WechatRiskControlError).retryAfterMs).toBe(14 * 3_600_000);
    expect((error as Error).message).toContain('max_messages_per_day');
    expect(blocked).toEqual(['daily-quota']);
    advance(14 * 3_600_000);
    await expect(risk.run('message', ok)).resolves.toBe('sent');
  });

  it('charges only operations that happened', async () => {
    const { create } = setup({ max_messages_per_day: 1, message_interval_ms: 0 });
    const risk = create();
    await expect(risk.run('message', () => Promise.reject(new Error('network down')))).rejects.toThrow('network down');
    expect(await risk.remaining()).toMatchObject({ message: 1 });
    await risk.run('message', ok);
    expect(await risk.remaining()).toMatchObject({ message: 0 });
  });

  it('keeps the counters in storage, so a restart (a new instance) sees them', async () => {
    const { create, storage } = setup({ max_groups_per_day: 1 });
    await create().run('group', ok);
    expect(JSON.parse((await storage.get(riskCountersKey)) ?? '{}')).toMatchObject({ day: '2026-11-22', group: 1 });
    await expect(create().run('group', ok)).rejects.toMatchObject({ rule: 'daily-quota' });
    // Other categories have their own quota.
    await expect(create().run('friend', ok)).resolves.toBe('sent');
  });

  it('waits out the minimum interval between sends, without shortening it by jitter', async () => {
    const { create, sleeps, advance } = setup({ message_interval_ms: 1000, random_delay: true });
    const risk = create();
    await risk.run('message', ok);
    advance(200);
    await risk.run('message', ok);
    // First send: jitter only (0.5 × 500). Second: 800 ms left + 250 ms jitter.
    expect(sleeps).toEqual([250, 1050]);
    for (const sleep of sleeps.slice(1)) expect(sleep).toBeGreaterThanOrEqual(800);
  });

  it('runs operations one at a time, so the interval holds for concurrent sends', async () => {
    const { create, sleeps } = setup({ message_interval_ms: 1000 });
    const risk = create();
    const order: number[] = [];
    await Promise.all([1, 2, 3].map(n => risk.run('message', async () => order.push(n))));
    expect(order).toEqual([1, 2, 3]);
    expect(sleeps).toEqual([1000, 1000]);
  });

  it('blocks sends during the silence period after the first login, and only then', async () => {
    const { create, advance, storage } = setup({ new_account_silence_days: 3, message_interval_ms: 0 });
    const risk = create();
    // No login recorded yet: nothing to measure from.
    await expect(risk.run('message', ok)).resolves.toBe('sent');
    await risk.noteLogin();
    expect(await storage.get(firstLoginKey)).toBe(String(start));
    const error = (await risk.run('message', ok).catch((caught: unknown) => caught)) as WechatRiskControlError;
    expect(error.rule).toBe('new-account-silence');
    expect(error.retryAfterMs).toBe(3 * 86_400_000);
    advance(3 * 86_400_000);
    // A later login keeps the original date.
    await risk.noteLogin();
    expect(await storage.get(firstLoginKey)).toBe(String(start));
    await expect(risk.run('message', ok)).resolves.toBe('sent');
  });

  it('treats a corrupt counter row as a fresh day instead of blocking forever', async () => {
    const { create, storage } = setup({ max_messages_per_day: 1, message_interval_ms: 0 });
    await storage.set(riskCountersKey, '{not json');
    await expect(create().run('message', ok)).resolves.toBe('sent');
  });
});
