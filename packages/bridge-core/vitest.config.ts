import { definePackageTestConfig } from '@wechat/vitest-config';

// Each bridge test opens its own PGlite database (1.5–2 s each, more on a loaded 2-core CI machine).
export default definePackageTestConfig({ testTimeout: 30_000, hookTimeout: 30_000 });
