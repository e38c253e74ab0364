import { definePackageTestConfig } from '@wechat/vitest-config';

export default definePackageTestConfig({
  include: ['src/**/*.test.ts'],
  // Type tests (`*.test-d.ts`) run through tsc as part of `vitest run`.
  typecheck: { enabled: true, include: ['src/**/*.test-d.ts'], tsconfig: './tsconfig.json' },
});
