import process from 'node:process';
import { describe, expect, it } from 'vitest';
import type { ConformanceHarnessV1 } from '../harness/conformance-harness.ts';
import { createMockWorld } from '../mock/mock-world.ts';
import { suites } from '../suites/all-suites.ts';
import { type ConformanceCase, createSuite } from './conformance-suite.ts';
import { formatConformanceReport, runConformance } from './run-conformance.ts';

/** A mock harness that reports when it was disposed of, and whether its sessions were stopped first. */
function observedHarness(log: string[]): () => Promise<ConformanceHarnessV1> {
  return async () => {
    const world = createMockWorld();
    const harness = world.harness();
    return {
      ...harness,
      dispose: async () => {
        log.push(`dispose (world online: ${world.online})`);
        await harness.dispose();
      },
    };
  };
}

function runCases(cases: readonly ConformanceCase[], extra: { timeoutMs?: number; log?: string[] } = {}) {
  return runConformance({
    provider: createMockWorld().provider,
    createHarness: observedHarness(extra.log ?? []),
    suites: [createSuite('custom', cases)],
    ...(extra.timeoutMs === undefined ? {} : { timeoutMs: extra.timeoutMs }),
  });
}

describe('runConformance', () => {
  it('reports each case with its suite, name, key and status', async () => {
    const report = await runCases([
      { name: 'passes', run: async () => {} },
      {
        name: 'fails',
        run: async () => {
          throw new Error('boom');
        },
      },
      { name: 'skips', run: async context => context.skip('not today') },
    ]);
    expect(
      report.results.map(({ key, status, skipReason, error }) => ({ key, status, skipReason, error: error?.message })),
    ).toEqual([
      { key: 'custom › passes', status: 'passed', skipReason: undefined, error: undefined },
      { key: 'custom › fails', status: 'failed', skipReason: undefined, error: 'boom' },
      { key: 'custom › skips', status: 'skipped', skipReason: 'not today', error: undefined },
    ]);
    expect(report).toMatchObject({ providerId: 'mock', passed: 1, failed: 1, skipped: 1, ok: false });
    expect(formatConformanceReport(report)).toBe(
      [
        "Conformance of provider 'mock': 1 passed, 1 failed, 1 skipped",
        '  ✓ custom › passes',
        '  ✗ custom › fails\n      boom',
        '  - custom › skips (skipped: not today)',
      ].join('\n'),
    );
  });

  it('gives every case a fresh harness and context, and stops sessions before disposing of the harness', async () => {
    const log: string[] = [];
    const seen: unknown[] = [];
    const report = await runCases(
      [
        {
          name: 'connects',
          run: async context => {
            seen.push(context.harness, context.storage);
            const { session } = await context.startConnected();
            log.push(`connected: ${session.state}`);
          },
        },
        {
          name: 'connects and fails',
          run: async context => {
            seen.push(context.harness, context.storage);
            await context.startConnected();
            throw new Error('after connecting');
          },
        },
      ],
      { log },
    );
    expect(report.results.map(result => result.status)).toEqual(['passed', 'failed']);
    expect(new Set(seen).size).toBe(4);
    // The world is still online when disposed of: the sessions were stopped by the kit, not cut off by dispose().
    expect(log).toEqual(['connected: connected', 'dispose (world online: true)', 'dispose (world online: true)']);
  });

  it('stops the sessions of a case even when it fails, so nothing emits afterwards', async () => {
    const states: string[] = [];
    await runCases([
      {
        name: 'fails while connected',
        run: async context => {
          const { session } = await context.startConnected();
          context.harness.deliver({ kind: 'text', from: context.fixtures.contactId, text: 'x' }).catch(() => {});
          setImmediate(() => states.push(session.state));
          throw new Error('fail');
        },
      },
    ]);
    expect(states).toEqual(['stopped']);
  });

  it('fails a case that runs past its timeout, and still cleans up', async () => {
    const log: string[] = [];
    const report = await runCases(
      [
        {
          name: 'hangs',
          run: async context => {
            await context.startConnected();
            await new Promise(() => {});
          },
        },
      ],
      { timeoutMs: 100, log },
    );
    expect(report.results[0]).toMatchObject({ status: 'failed', error: { message: 'The case did not finish within 100 ms' } });
    expect(log).toEqual(['dispose (world online: true)']);
  });

  it('fails a case when cleaning up fails', async () => {
    const report = await runConformance({
      provider: createMockWorld().provider,
      createHarness: async () => ({
        ...createMockWorld().harness(),
        dispose: async () => {
          throw new Error('port still in use');
        },
      }),
      suites: [createSuite('custom', [{ name: 'passes', run: async () => {} }])],
    });
    expect(report.results[0]?.status).toBe('failed');
    expect(report.results[0]?.error?.message).toMatch(
      /Cleaning up after the case failed: harness\.dispose\(\) failed: Error: port still in use/,
    );
  });

  it('fails a case during which a promise was rejected and not handled', async () => {
    // The kit must see this rejection, not the test runner: set the runner's listeners aside meanwhile.
    const saved = process.listeners('unhandledRejection');
    process.removeAllListeners('unhandledRejection');
    try {
      const report = await runCases([
        {
          name: 'leaks',
          run: async () => {
            void Promise.reject(new Error('nobody listens'));
          },
        },
      ]);
      expect(report.results[0]?.status).toBe('failed');
      expect(report.results[0]?.error?.message).toBe('Unhandled rejection during the case: Error: nobody listens');
    } finally {
      for (const listener of saved) process.on('unhandledRejection', listener);
    }
  });

  it('skips cases named in options.skip and cases that do not apply, with their reasons', async () => {
    const report = await runConformance({
      provider: createMockWorld().createProvider({ capabilities: { login: 'credentials' } }),
      createHarness: async () => {
        const world = createMockWorld();
        return world.harness({ provider: world.createProvider({ capabilities: { login: 'credentials' } }) });
      },
      suites: [suites.lifecycle],
      skip: { 'lifecycle › restarts three times': 'tracked in issue #1' },
    });
    const skipped = report.results
      .filter(result => result.status === 'skipped')
      .map(({ key, skipReason }) => ({ key, skipReason }));
    expect(skipped).toEqual([
      { key: 'lifecycle › restarts three times', skipReason: 'tracked in issue #1' },
      {
        key: 'lifecycle › keeps the login for the next session',
        skipReason: "capabilities.login is 'credentials': there is no interactive login to persist",
      },
      {
        key: 'lifecycle › logout() forgets the persisted login',
        skipReason: "capabilities.login is 'credentials': there is no interactive login to persist",
      },
    ]);
    expect(report.failed).toBe(0);
  });

  it('refuses a skip key that names no case, so a typo cannot run the case it meant to skip', async () => {
    await expect(
      runConformance({
        provider: createMockWorld().provider,
        createHarness: async () => createMockWorld().harness(),
        skip: { 'messaging › send voice': 'typo' },
      }),
    ).rejects.toThrow(/skip: 'messaging › send voice' names no case[\s\S]*messaging › sends voice/);
    await expect(
      runConformance({
        provider: createMockWorld().provider,
        createHarness: async () => createMockWorld().harness(),
        skip: { 'messaging › sends voice': ' ' },
      }),
    ).rejects.toThrow("skip: 'messaging › sends voice' needs a reason");
  });

  it('fails every case when the harness brings a provider with another id', async () => {
    const report = await runConformance({
      provider: createMockWorld().provider,
      createHarness: async () => {
        const world = createMockWorld();
        return world.harness({ provider: world.createProvider({ id: 'other-mock' }) });
      },
      suites: [suites.contract],
    });
    expect(report.failed).toBe(suites.contract.cases.length - 1);
    expect(report.results.find(result => result.status === 'failed')?.error?.message).toBe(
      "harness.provider has id 'other-mock', but options.provider has id 'mock': they must be the same provider",
    );
  });

  it('fails a case whose createHarness throws instead of rejecting, and goes on with the next', async () => {
    const report = await runConformance({
      provider: createMockWorld().provider,
      createHarness: () => {
        throw new Error('thrown synchronously');
      },
      suites: [
        createSuite('custom', [
          { name: 'first', run: async () => {} },
          { name: 'second', run: async () => {} },
        ]),
      ],
    });
    expect(report.results.map(result => `${result.status}: ${result.error?.message}`)).toEqual([
      'failed: thrown synchronously',
      'failed: thrown synchronously',
    ]);
  });

  it('gives up on a harness that never arrives, and disposes of it if it comes late', async () => {
    const late: string[] = [];
    let arrive: (() => void) | undefined;
    const report = await runConformance({
      provider: createMockWorld().provider,
      createHarness: () =>
        new Promise(resolve => {
          arrive = () => resolve({ ...createMockWorld().harness(), dispose: async () => void late.push('disposed') });
        }),
      suites: [createSuite('custom', [{ name: 'waits for a harness', run: async () => {} }])],
      timeoutMs: 50,
    });
    expect(report.results[0]?.error?.message).toBe('The case did not finish within 50 ms');
    arrive?.();
    await new Promise(resolve => setImmediate(resolve));
    expect(late).toEqual(['disposed']);
  });

  it('fails a case whose harness cannot be created', async () => {
    const report = await runConformance({
      provider: createMockWorld().provider,
      createHarness: () => Promise.reject(new Error('simulator did not start')),
      suites: [createSuite('custom', [{ name: 'needs a harness', run: async () => {} }])],
    });
    expect(report.results[0]).toMatchObject({ status: 'failed', error: { message: 'simulator did not start' } });
  });
});

describe('createSuite', () => {
  it('refuses duplicate and empty case names', () => {
    const run = async () => {};
    expect(() =>
      createSuite('x', [
        { name: 'a', run },
        { name: 'a', run },
      ]),
    ).toThrow("createSuite('x'): two cases are named 'a'");
    expect(() => createSuite('x', [{ name: ' ', run }])).toThrow("createSuite('x'): every case needs a name");
    expect(() => createSuite('', [])).toThrow('createSuite: the suite needs a name');
  });
});
