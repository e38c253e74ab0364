import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { defineProject, type ViteUserConfig } from 'vitest/config';

/**
 * The shared per-package vitest preset. Tests run from sources: the `dev-source` export condition points
 * every workspace package at its `src/index.ts`, so `pnpm test` needs no build first.
 *
 * When WECHAT_TEST_RESULTS_DIR is set (by .ci/run), each package also writes a JSON report there, so CI can
 * print one total for the whole workspace.
 */
export function definePackageTestConfig(overrides: NonNullable<ViteUserConfig['test']> = {}): ViteUserConfig {
  const resultsDir = process.env.WECHAT_TEST_RESULTS_DIR;
  const packageName = (JSON.parse(readFileSync('package.json', 'utf8')) as { name: string }).name;
  const reportFile = (kind: string) => join(resultsDir ?? '', `${packageName.replace(/[@/]/g, '_')}.${kind}.json`);
  return defineProject({
    resolve: { conditions: ['dev-source'] },
    ssr: { resolve: { conditions: ['dev-source'] } },
    test: {
      include: ['src/**/*.test.ts'],
      clearMocks: true,
      restoreMocks: true,
      ...(resultsDir
        ? {
            reporters: [
              'default',
              ['json', { outputFile: reportFile(overrides.include?.some(glob => glob.includes('e2e')) ? 'e2e' : 'unit') }],
            ],
          }
        : {}),
      ...overrides,
    },
  });
}
