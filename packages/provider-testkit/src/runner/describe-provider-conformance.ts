import { describe, it } from 'vitest';
import { allSuites } from '../suites/all-suites.ts';
import { type ConformanceOptions, resolveConformanceOptions } from './conformance-options.ts';
import { conformanceCaseKey } from './conformance-suite.ts';
import { runConformanceCase, staticSkipReason } from './run-case.ts';

/** The part of vitest's API the kit registers tests with; injectable so the registration itself can be tested. */
export interface TestRegistrar {
  readonly describe: (name: string, factory: () => void) => void;
  readonly it: {
    (name: string, fn: (context: { skip: (note?: string) => never }) => Promise<void>, timeoutMs?: number): void;
    skip: (name: string, fn: () => void) => void;
  };
  /** Where skip reasons are printed. */
  readonly warn: (message: string) => void;
}

/**
 * Registers the conformance suites with vitest: one `describe` per suite, one `it` per case. Call it at the top
 * level of a test file. Skipped cases are registered with `it.skip`, the reason in the test name and printed, so
 * a skip is never silent.
 */
export function describeProviderConformance(options: ConformanceOptions): void {
  registerProviderConformance(options, {
    describe: (name, factory) => describe(name, factory),
    it: Object.assign((name: string, fn: Parameters<TestRegistrar['it']>[1], timeoutMs?: number) => it(name, fn, timeoutMs), {
      skip: (name: string, fn: () => void) => it.skip(name, fn),
    }),
    warn: message => console.warn(message),
  });
}

export function registerProviderConformance(options: ConformanceOptions, registrar: TestRegistrar): void {
  const resolved = resolveConformanceOptions(options, allSuites);
  const providerId = resolved.provider.id;
  const announce = (key: string, reason: string) =>
    registrar.warn(`[provider-testkit] ${providerId}: skipped '${key}': ${reason}`);
  // The kit enforces its own case timeout and cleans up after it; vitest's must leave room for both.
  const vitestTimeoutMs = resolved.timeoutMs + 2 * resolved.cleanupTimeoutMs + 1_000;
  for (const suite of resolved.suites) {
    registrar.describe(`${providerId} conformance › ${suite.name}`, () => {
      for (const testCase of suite.cases) {
        const key = conformanceCaseKey(suite.name, testCase.name);
        const reason = staticSkipReason(suite, testCase, resolved);
        if (reason !== undefined) {
          announce(key, reason);
          registrar.it.skip(`${testCase.name} (skipped: ${reason})`, () => {});
          continue;
        }
        registrar.it(
          testCase.name,
          async context => {
            const result = await runConformanceCase(suite, testCase, resolved);
            if (result.status === 'failed') throw result.error;
            if (result.status === 'skipped') {
              const runtimeReason = result.skipReason ?? 'no reason given';
              announce(key, runtimeReason);
              context.skip(runtimeReason);
            }
          },
          vitestTimeoutMs,
        );
      }
    });
  }
}
