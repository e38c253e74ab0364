import { defineConfig } from 'tsdown';

export default defineConfig({
  entry: { index: './src/index.ts', 'remote/index': './src/remote/index.ts' },
  format: ['esm'],
  platform: 'node',
  dts: true,
  sourcemap: true,
  clean: true,
});
