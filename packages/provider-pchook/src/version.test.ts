import { readFile } from 'node:fs/promises';
import { describe, expect, it } from 'vitest';
import { pchookVersion } from './version.ts';

describe('pchookVersion', () => {
  it('equals the version in package.json', async () => {
    const manifest = JSON.parse(await readFile(new URL('../package.json', import.meta.url), 'utf8')) as { version: string };
    expect(pchookVersion).toBe(manifest.version);
  });
});
