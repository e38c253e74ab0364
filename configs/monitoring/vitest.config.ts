import { definePackageTestConfig } from '@wechat/vitest-config';

export default definePackageTestConfig();
