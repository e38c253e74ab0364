import { describe, expect, it } from 'vitest';
import { PeriodicTask } from './periodic-task.ts';
import { FakeClock } from './testing/fake-clock.ts';

describe('PeriodicTask', () => {
  it('runs every interval, counted from the end of the previous run', async () => {
    const clock = new FakeClock();
    const runs: number[] = [];
    const task = new PeriodicTask(clock, 1000, async () => {
      runs.push(clock.elapsed);
    });
    task.start();
    task.start(); // already started: still one schedule
    await clock.advanceTo(3500);
    expect(runs).toEqual([1000, 2000, 3000]);
    task.stop();
    expect(clock.pendingTimers).toBe(0);
  });

  it('does not schedule again after a stop during a run, nor twice after a quick restart', async () => {
    const clock = new FakeClock();
    const runs: number[] = [];
    let finish: () => void = () => {};
    const task = new PeriodicTask(clock, 1000, async () => {
      runs.push(clock.elapsed);
      if (runs.length === 1) await new Promise<void>(resolve => (finish = resolve));
    });
    task.start();
    await clock.advanceTo(1000); // the first run is in flight
    task.stop();
    task.start();
    finish();
    await clock.advanceTo(3500);
    expect(runs).toEqual([1000, 2000, 3000]);
    task.stop();
    expect(clock.pendingTimers).toBe(0);
  });

  it('keeps its schedule when a run fails', async () => {
    const clock = new FakeClock();
    let runs = 0;
    const task = new PeriodicTask(clock, 1000, async () => {
      runs++;
      throw new Error('a failing run');
    });
    task.start();
    await clock.advanceTo(2000);
    expect(runs).toBe(2);
    task.stop();
  });
});
