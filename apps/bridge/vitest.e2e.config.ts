import { definePackageTestConfig } from '@wechat/vitest-config';

/**
 * End-to-end tests: the bridge and a real Synapse as separate processes, with matrix-js-sdk clients as users.
 * Run with `pnpm test:e2e`. Files run one after another (each starts its own homeserver; running them side by
 * side would only compete for CPU and make timings flaky), and a failure is never retried away.
 */
export default definePackageTestConfig({
  include: ['e2e/**/*.e2e.test.ts'],
  globalSetup: ['e2e/harness/global-setup.ts'],
  // Forked workers, not threads: Synapse is told to stop when the process that spawned it dies (see synapse.ts).
  pool: 'forks',
  fileParallelism: false,
  testTimeout: 120_000,
  hookTimeout: 120_000,
  teardownTimeout: 60_000,
  retry: 0,
});
