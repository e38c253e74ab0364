import { defineProject, type ViteUserConfig } from 'vitest/config';

/**
 * The shared per-package vitest preset. Tests run from sources: the `dev-source` export condition points
 * every workspace package at its `src/index.ts`, so `pnpm test` needs no build first.
 */
export function definePackageTestConfig(overrides: ViteUserConfig['test'] = {}): ViteUserConfig {
  return defineProject({
    resolve: { conditions: ['dev-source'] },
    ssr: { resolve: { conditions: ['dev-source'] } },
    test: {
      include: ['src/**/*.test.ts'],
      clearMocks: true,
      restoreMocks: true,
      ...overrides,
    },
  });
}
