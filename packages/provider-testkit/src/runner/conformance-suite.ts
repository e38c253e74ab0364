import type { ProviderV1 } from '@wechat/provider-api';
import type { ConformanceContext } from './conformance-context.ts';

/** What a case may look at before anything runs, to decide whether it applies. */
export interface ConformanceTarget {
  readonly provider: ProviderV1;
  readonly invalidConfigs: readonly unknown[];
}

export interface ConformanceCase {
  readonly name: string;
  /**
   * Why the case does not apply to this provider (e.g. "capabilities.login is 'credentials'"), or undefined
   * when it does. Evaluated before the case runs; a reason makes the case skipped, with the reason shown.
   */
  readonly notApplicable?: (target: ConformanceTarget) => string | undefined;
  /** Throws (or rejects) to fail; `context.skip(reason)` skips at run time. */
  readonly run: (context: ConformanceContext) => Promise<void>;
}

export interface ConformanceSuite {
  readonly name: string;
  readonly cases: readonly ConformanceCase[];
}

/** Joins a suite and a case name into the key used by `skip` and in reports: `'messaging › sends voice'`. */
export function conformanceCaseKey(suiteName: string, caseName: string): string {
  return `${suiteName} › ${caseName}`;
}

/**
 * Defines a suite. Third parties use it for provider-specific extras and regression tests, and pass the result
 * in `options.suites` next to the built-in ones. Names must be unique within the suite, since `skip` keys use them.
 */
export function createSuite(name: string, cases: readonly ConformanceCase[]): ConformanceSuite {
  if (name.trim() === '') throw new TypeError('createSuite: the suite needs a name');
  const names = new Set<string>();
  for (const testCase of cases) {
    if (testCase.name.trim() === '') throw new TypeError(`createSuite('${name}'): every case needs a name`);
    if (names.has(testCase.name)) throw new TypeError(`createSuite('${name}'): two cases are named '${testCase.name}'`);
    names.add(testCase.name);
  }
  return Object.freeze({ name, cases: Object.freeze([...cases]) });
}
