import { describe, expect, it } from 'vitest';
import { RecentKeys } from './recent-keys.ts';

describe('RecentKeys', () => {
  it('sees each key once while it is remembered', () => {
    const keys = new RecentKeys(3);
    expect(['a', 'b', 'a', 'c', 'b'].map(key => keys.firstSighting(key))).toEqual([true, true, false, true, false]);
    expect(keys.size).toBe(3);
  });

  it('forgets the least recently seen key beyond its capacity', () => {
    const keys = new RecentKeys(2);
    keys.firstSighting('a');
    keys.firstSighting('b');
    keys.firstSighting('a'); // a is recent again, so b goes first
    keys.firstSighting('c');
    expect(keys.size).toBe(2);
    expect(keys.firstSighting('a')).toBe(false);
    expect(keys.firstSighting('b')).toBe(true);
  });

  it('needs a positive capacity', () => {
    expect(() => new RecentKeys(0)).toThrow(RangeError);
  });
});
