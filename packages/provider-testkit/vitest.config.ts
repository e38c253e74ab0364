import { definePackageTestConfig } from '@wechat/vitest-config';

// The README's examples are compiled and run too, so what it shows keeps working.
export default definePackageTestConfig({ include: ['src/**/*.test.ts', 'examples/**/*.test.ts'] });
