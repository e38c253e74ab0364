import type { ProviderV1 } from '@wechat/provider-api';
import type { ConformanceHarnessV1 } from '../harness/conformance-harness.ts';
import { conformanceCaseKey, type ConformanceSuite } from './conformance-suite.ts';

export interface ConformanceOptions {
  /** The provider under test. A harness may supply its own instance (`harness.provider`) with the same id. */
  readonly provider: ProviderV1;
  /** Creates a fresh simulated remote side; called once per case. */
  readonly createHarness: () => Promise<ConformanceHarnessV1>;
  /** Configs the provider's schema must reject. */
  readonly invalidConfigs?: readonly unknown[];
  /** Default: every built-in suite (`allSuites`). Add your own with `createSuite`. */
  readonly suites?: readonly ConformanceSuite[];
  /** Cases not to run, keyed `'suite › case'`, each with the reason (shown in the report and the test name). */
  readonly skip?: Readonly<Record<string, string>>;
  /** Values that must never be logged, on top of the secret-looking values of `harness.config`. */
  readonly secrets?: readonly string[];
  /** Per case, including creating the harness. Default 10 000 ms. */
  readonly timeoutMs?: number;
}

export interface ResolvedConformanceOptions {
  readonly provider: ProviderV1;
  readonly createHarness: () => Promise<ConformanceHarnessV1>;
  readonly invalidConfigs: readonly unknown[];
  readonly suites: readonly ConformanceSuite[];
  readonly skip: Readonly<Record<string, string>>;
  readonly secrets: readonly string[];
  readonly timeoutMs: number;
  /** Waits for events and states inside a case: a quarter of the case budget, at most 2 s. */
  readonly waitTimeoutMs: number;
  /** Stopping sessions and disposing of the harness after a case, on top of `timeoutMs`. */
  readonly cleanupTimeoutMs: number;
}

export const defaultCaseTimeoutMs = 10_000;

/**
 * Fills in defaults and rejects mistakes that would otherwise pass unnoticed: a `skip` key that names no case
 * (a typo would silently run the case it meant to skip) or a skip without a reason.
 */
export function resolveConformanceOptions(
  options: ConformanceOptions,
  defaultSuites: readonly ConformanceSuite[],
): ResolvedConformanceOptions {
  const suites = options.suites ?? defaultSuites;
  const skip = options.skip ?? {};
  const keys = new Set(suites.flatMap(suite => suite.cases.map(testCase => conformanceCaseKey(suite.name, testCase.name))));
  for (const [key, reason] of Object.entries(skip)) {
    if (!keys.has(key)) {
      throw new TypeError(
        `skip: '${key}' names no case. Keys look like 'suite › case'; the cases are:\n  ${[...keys].join('\n  ')}`,
      );
    }
    if (typeof reason !== 'string' || reason.trim() === '') throw new TypeError(`skip: '${key}' needs a reason`);
  }
  const timeoutMs = options.timeoutMs ?? defaultCaseTimeoutMs;
  if (!(timeoutMs > 0)) throw new TypeError(`timeoutMs must be a positive number of milliseconds (got ${timeoutMs})`);
  return {
    provider: options.provider,
    createHarness: options.createHarness,
    invalidConfigs: options.invalidConfigs ?? [],
    suites,
    skip,
    secrets: options.secrets ?? [],
    timeoutMs,
    waitTimeoutMs: Math.min(2_000, timeoutMs / 4),
    cleanupTimeoutMs: Math.min(5_000, timeoutMs),
  };
}
