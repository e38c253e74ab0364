import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { packageVersion } from './version.ts';

describe('packageVersion', () => {
  it('matches package.json (changesets bumps only package.json)', () => {
    const manifest = JSON.parse(readFileSync(new URL('../package.json', import.meta.url), 'utf8')) as { version: string };
    expect(packageVersion).toBe(manifest.version);
  });
});
