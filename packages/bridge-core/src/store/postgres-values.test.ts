import { describe, expect, it } from 'vitest';
import { toJsonText, toSafeInteger, toStorableText } from './postgres-values.ts';

describe('values for PostgreSQL', () => {
  it('replaces NUL in free text and leaves other text alone', () => {
    expect(toStorableText('a\u0000b\u0000')).toBe('a\uFFFDb\uFFFD');
    expect(toStorableText('普通 text 😀')).toBe('普通 text 😀');
  });

  it('makes JSON storable in jsonb: NUL and unpaired surrogates in values and keys', () => {
    const value = { 'k\u0000': ['x\uDC00y', '\uD83D', '😀'], nested: { text: 'a\u0000' }, number: 1.5, none: null };
    expect(JSON.parse(toJsonText(value))).toEqual({
      'k\uFFFD': ['x\uFFFDy', '\uFFFD', '😀'],
      nested: { text: 'a\uFFFD' },
      number: 1.5,
      none: null,
    });
    // Text that merely looks like an escape is kept.
    expect(JSON.parse(toJsonText({ text: '\\u0000' }))).toEqual({ text: '\\u0000' });
  });

  it('reads int8 from either driver as a number, refusing what a number cannot hold', () => {
    expect(toSafeInteger('1767225600000')).toBe(1_767_225_600_000);
    expect(toSafeInteger(42n)).toBe(42);
    expect(toSafeInteger(7)).toBe(7);
    expect(() => toSafeInteger('3617029648233522301')).toThrow(RangeError);
    expect(() => toSafeInteger(3617029648233522301n)).toThrow(RangeError);
  });
});
