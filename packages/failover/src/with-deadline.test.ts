import { describe, expect, it } from 'vitest';
import { FakeClock } from './testing/fake-clock.ts';
import { withDeadline } from './with-deadline.ts';

const timedOut = () => new Error('timed out');

describe('withDeadline', () => {
  it('resolves with the promise and clears its timer', async () => {
    const clock = new FakeClock();
    const signal = new AbortController().signal;
    await expect(withDeadline(Promise.resolve('ok'), { clock, milliseconds: 1000, onTimeout: timedOut, signal })).resolves.toBe(
      'ok',
    );
    expect(clock.pendingTimers).toBe(0);
  });

  it('rejects after the deadline on the clock', async () => {
    const clock = new FakeClock();
    const result = withDeadline(new Promise(() => {}), {
      clock,
      milliseconds: 1000,
      onTimeout: timedOut,
      signal: new AbortController().signal,
    }).catch((error: unknown) => error);
    await clock.advance(999);
    expect(clock.pendingTimers).toBe(1);
    await clock.advance(1);
    expect(await result).toEqual(new Error('timed out'));
    expect(clock.pendingTimers).toBe(0);
  });

  it('rejects with the reason when the signal aborts, leaving no timer', async () => {
    const clock = new FakeClock();
    const controller = new AbortController();
    const result = withDeadline(new Promise(() => {}), {
      clock,
      milliseconds: 1000,
      onTimeout: timedOut,
      signal: controller.signal,
    });
    controller.abort(new Error('stopped'));
    await expect(result).rejects.toThrow('stopped');
    expect(clock.pendingTimers).toBe(0);
    await expect(
      withDeadline(Promise.resolve(1), { clock, milliseconds: 1000, onTimeout: timedOut, signal: controller.signal }),
    ).rejects.toThrow('stopped');
  });
});
