import { allSuites } from '../suites/all-suites.ts';
import { type ConformanceOptions, resolveConformanceOptions } from './conformance-options.ts';
import { type ConformanceCaseResult, runConformanceCase } from './run-case.ts';

export interface ConformanceReport {
  readonly providerId: string;
  /** One per case, in suite order. */
  readonly results: readonly ConformanceCaseResult[];
  readonly passed: number;
  readonly failed: number;
  readonly skipped: number;
  /** True when no case failed. */
  readonly ok: boolean;
}

export interface RunConformanceHooks {
  /** Called after each case, e.g. to print progress. */
  readonly onResult?: (result: ConformanceCaseResult) => void;
}

/**
 * Runs the suites without a test runner, one case at a time (cases install a process-wide unhandled-rejection
 * watcher, so they must not overlap), and reports every case. Never rejects because a case failed; it throws
 * only for invalid options (such as a `skip` key that names no case).
 */
export async function runConformance(options: ConformanceOptions, hooks: RunConformanceHooks = {}): Promise<ConformanceReport> {
  const resolved = resolveConformanceOptions(options, allSuites);
  const results: ConformanceCaseResult[] = [];
  for (const suite of resolved.suites) {
    for (const testCase of suite.cases) {
      const result = await runConformanceCase(suite, testCase, resolved);
      results.push(result);
      hooks.onResult?.(result);
    }
  }
  const count = (status: ConformanceCaseResult['status']) => results.filter(result => result.status === status).length;
  const failed = count('failed');
  return {
    providerId: resolved.provider.id,
    results,
    passed: count('passed'),
    failed,
    skipped: count('skipped'),
    ok: failed === 0,
  };
}

/** A plain-text rendering of a report: one line per case, with failure messages and skip reasons. */
export function formatConformanceReport(report: ConformanceReport): string {
  const lines = report.results.map(result => {
    if (result.status === 'passed') return `  ✓ ${result.key}`;
    if (result.status === 'skipped') return `  - ${result.key} (skipped: ${result.skipReason})`;
    return `  ✗ ${result.key}\n      ${(result.error?.message ?? 'failed').split('\n').join('\n      ')}`;
  });
  const summary = `${report.passed} passed, ${report.failed} failed, ${report.skipped} skipped`;
  return `Conformance of provider '${report.providerId}': ${summary}\n${lines.join('\n')}`;
}
