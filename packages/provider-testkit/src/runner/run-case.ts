import type { ConformanceHarnessV1 } from '../harness/conformance-harness.ts';
import { ConformanceAssertionError, describeValue } from './assertions.ts';
import { type ContextHandle, createConformanceContext } from './conformance-context.ts';
import type { ResolvedConformanceOptions } from './conformance-options.ts';
import { type ConformanceCase, conformanceCaseKey, type ConformanceSuite } from './conformance-suite.ts';
import { ConformanceSkipSignal } from './skip.ts';
import { flushMacrotasks, withTimeout } from './timing.ts';
import { watchUnhandledRejections } from './unhandled-rejections.ts';

export type ConformanceCaseStatus = 'passed' | 'failed' | 'skipped';

export interface ConformanceCaseResult {
  readonly suite: string;
  readonly name: string;
  /** `'suite › case'`, as used by `skip`. */
  readonly key: string;
  readonly status: ConformanceCaseStatus;
  readonly durationMs: number;
  /** Why the case failed. */
  readonly error?: Error;
  /** Why the case was skipped. */
  readonly skipReason?: string;
}

type Outcome =
  | { readonly status: 'passed' }
  | { readonly status: 'failed'; readonly error: Error }
  | { readonly status: 'skipped'; readonly reason: string };

/** The reason a case will be skipped before it runs (`options.skip`, or the case's `notApplicable`), if any. */
export function staticSkipReason(
  suite: ConformanceSuite,
  testCase: ConformanceCase,
  options: ResolvedConformanceOptions,
): string | undefined {
  return (
    options.skip[conformanceCaseKey(suite.name, testCase.name)] ??
    testCase.notApplicable?.({ provider: options.provider, invalidConfigs: options.invalidConfigs })
  );
}

/**
 * Runs one case with a fresh harness and context. Whatever happens (failure, skip, timeout), every session is
 * stopped and the harness disposed of afterwards; a problem while cleaning up, or an unhandled rejection during
 * the case, fails it.
 */
export async function runConformanceCase(
  suite: ConformanceSuite,
  testCase: ConformanceCase,
  options: ResolvedConformanceOptions,
): Promise<ConformanceCaseResult> {
  const started = performance.now();
  const base = { suite: suite.name, name: testCase.name, key: conformanceCaseKey(suite.name, testCase.name) };
  const skipReason = staticSkipReason(suite, testCase, options);
  if (skipReason !== undefined) return { ...base, status: 'skipped', skipReason, durationMs: 0 };

  const watcher = watchUnhandledRejections();
  // Deferred a tick so that a createHarness() that throws instead of rejecting is handled like a rejection.
  const harnessPromise = Promise.resolve().then(() => options.createHarness());
  let handle: ContextHandle | undefined;
  let outcome: Outcome;
  try {
    await withTimeout(
      (async () => {
        const harness = await harnessPromise;
        handle = createConformanceContext({
          provider: providerOf(harness, options),
          harness,
          invalidConfigs: options.invalidConfigs,
          extraSecrets: options.secrets,
          unhandledRejections: watcher.rejections,
          waitTimeoutMs: options.waitTimeoutMs,
          cleanupTimeoutMs: options.cleanupTimeoutMs,
        });
        await testCase.run(handle.context);
      })(),
      options.timeoutMs,
      () => new ConformanceAssertionError(`The case did not finish within ${options.timeoutMs} ms`),
    );
    outcome = { status: 'passed' };
  } catch (error) {
    outcome =
      error instanceof ConformanceSkipSignal
        ? { status: 'skipped', reason: error.reason }
        : { status: 'failed', error: asError(error) };
  }

  const problems = await cleanUp(handle, harnessPromise, options.cleanupTimeoutMs);
  await flushMacrotasks();
  watcher.stop();
  if (outcome.status !== 'failed' && watcher.rejections.length > 0) {
    outcome = {
      status: 'failed',
      error: new ConformanceAssertionError(
        `Unhandled rejection during the case: ${watcher.rejections.map(describeValue).join('; ')}`,
        { cause: watcher.rejections[0] },
      ),
    };
  }
  if (outcome.status !== 'failed' && problems.length > 0) {
    outcome = {
      status: 'failed',
      error: new ConformanceAssertionError(`Cleaning up after the case failed: ${problems.map(p => p.message).join('; ')}`, {
        cause: problems[0],
      }),
    };
  }
  const durationMs = Math.round(performance.now() - started);
  if (outcome.status === 'passed') return { ...base, status: 'passed', durationMs };
  if (outcome.status === 'skipped') return { ...base, status: 'skipped', skipReason: outcome.reason, durationMs };
  return { ...base, status: 'failed', error: outcome.error, durationMs };
}

function providerOf(harness: ConformanceHarnessV1, options: ResolvedConformanceOptions) {
  const provider = harness.provider ?? options.provider;
  if (provider.id !== options.provider.id) {
    throw new ConformanceAssertionError(
      `harness.provider has id '${provider.id}', but options.provider has id '${options.provider.id}': they must be the same provider`,
    );
  }
  return provider;
}

async function cleanUp(
  handle: ContextHandle | undefined,
  harnessPromise: Promise<ConformanceHarnessV1>,
  timeoutMs: number,
): Promise<Error[]> {
  const problems = handle ? await handle.close() : [];
  // A createHarness() that rejected has already failed the case; only a harness that exists needs disposing.
  const created = harnessPromise.then(
    harness => harness,
    () => undefined,
  );
  let harness: ConformanceHarnessV1 | undefined;
  try {
    harness = await withTimeout(created, timeoutMs, () => new Error(`createHarness() did not resolve within ${timeoutMs} ms`));
  } catch (error) {
    // A harness that arrives after we gave up is still disposed of, so it cannot keep the process alive.
    created.then(late => late?.dispose()).catch(() => {});
    problems.push(asError(error));
    return problems;
  }
  if (harness === undefined) return problems;
  try {
    await withTimeout(harness.dispose(), timeoutMs, () => new Error(`harness.dispose() did not resolve within ${timeoutMs} ms`));
  } catch (error) {
    problems.push(new Error(`harness.dispose() failed: ${describeValue(error)}`, { cause: error }));
  }
  return problems;
}

function asError(error: unknown): Error {
  return error instanceof Error ? error : new Error(describeValue(error), { cause: error });
}
