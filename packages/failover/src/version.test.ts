import { readFile } from 'node:fs/promises';
import { describe, expect, it } from 'vitest';
import { failoverVersion } from './version.ts';

describe('failoverVersion', () => {
  it('equals the version in package.json', async () => {
    const manifest = JSON.parse(await readFile(new URL('../package.json', import.meta.url), 'utf8')) as { version: string };
    expect(failoverVersion).toBe(manifest.version);
  });
});
