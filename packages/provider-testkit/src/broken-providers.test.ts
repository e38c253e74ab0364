import process from 'node:process';
import { describe, expect, it } from 'vitest';
import { createMockWorld } from './mock/mock-world.ts';
import type { MockWorld } from './mock/mock-world.ts';
import { type ConformanceReport, runConformance } from './runner/run-conformance.ts';
import { allSuites } from './suites/all-suites.ts';
import { type Breakage, breakProvider, brokenVariants } from './testing/broken-providers.ts';

const invalidConfigs = [{}, { token: '' }, { token: 42 }, null];
const caseCount = allSuites.reduce((count, suite) => count + suite.cases.length, 0);

/** Runs every suite against the mock with `breakage` applied, a fresh world per case. */
function runBroken(breakage: Breakage | undefined): Promise<ConformanceReport> {
  const variant = (world: MockWorld) => (breakage ? breakProvider(world, breakage) : world.provider);
  return runConformance({
    provider: variant(createMockWorld()),
    createHarness: async () => {
      const world = createMockWorld();
      return world.harness({ provider: variant(world) });
    },
    invalidConfigs,
    // Failing waits time out after a quarter of this; keeps the broken runs quick.
    timeoutMs: 2_000,
  });
}

/**
 * Runs `body` with the test runner's unhandled-rejection listeners set aside: a variant that leaks rejections on
 * purpose must fail its conformance cases, not this test file. A stand-in listener keeps Node from crashing.
 */
async function withRejectionsExpected<T>(body: () => Promise<T>): Promise<{ result: T; leaked: unknown[] }> {
  const saved = process.listeners('unhandledRejection');
  const leaked: unknown[] = [];
  const standIn = (reason: unknown) => {
    leaked.push(reason);
  };
  process.removeAllListeners('unhandledRejection');
  process.on('unhandledRejection', standIn);
  try {
    return { result: await body(), leaked };
  } finally {
    process.off('unhandledRejection', standIn);
    for (const listener of saved) process.on('unhandledRejection', listener);
  }
}

describe('the conformance kit against broken providers', () => {
  it('passes the unbroken mock on every case, skipping none', async () => {
    const report = await runBroken(undefined);
    const failures = report.results
      .filter(result => result.status !== 'passed')
      .map(result => `${result.key}: ${result.error?.message}`);
    expect(failures).toEqual([]);
    expect(report).toMatchObject({ ok: true, passed: caseCount, failed: 0, skipped: 0 });
  });

  for (const variant of brokenVariants) {
    it(`fails exactly '${variant.suite}' for ${variant.name}`, async () => {
      const report = variant.rejectsUnhandled
        ? (await withRejectionsExpected(() => runBroken(variant.breakage))).result
        : await runBroken(variant.breakage);
      const failed = report.results.filter(result => result.status === 'failed');
      expect(failed.map(result => result.key)).toEqual(variant.failingCases.map(name => `${variant.suite} › ${name}`));
      for (const result of failed) expect(result.error?.message, result.key).toMatch(variant.message);
      expect(report.skipped).toBe(0);
      expect(report.ok).toBe(false);
    });
  }
});
