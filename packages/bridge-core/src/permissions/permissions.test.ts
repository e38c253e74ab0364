import { describe, expect, it } from 'vitest';
import { createPermissions } from './permissions.ts';

describe('createPermissions', () => {
  const permissions = createPermissions({
    '*': 'relay',
    'example.org': 'user',
    '@boss:example.org': 'admin',
    '@guest:example.org': 'relay',
  });

  it('picks the most specific entry', () => {
    expect(permissions.levelOf('@boss:example.org')).toBe('admin');
    expect(permissions.levelOf('@guest:example.org')).toBe('relay');
    expect(permissions.levelOf('@alice:example.org')).toBe('user');
    expect(permissions.levelOf('@mallory:evil.org')).toBe('relay');
  });

  it('compares levels', () => {
    expect(permissions.allows('@alice:example.org', 'user')).toBe(true);
    expect(permissions.allows('@alice:example.org', 'admin')).toBe(false);
    expect(permissions.allows('@mallory:evil.org', 'user')).toBe(false);
  });

  it('gives nothing to users no entry covers', () => {
    const strict = createPermissions({ 'example.org': 'user' });
    expect(strict.levelOf('@x:other.org')).toBeUndefined();
    expect(strict.allows('@x:other.org', 'relay')).toBe(false);
  });
});
