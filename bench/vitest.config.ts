import { definePackageTestConfig } from '@wechat/vitest-config';

export default definePackageTestConfig({ benchmark: { include: ['src/**/*.bench.ts'] } });
