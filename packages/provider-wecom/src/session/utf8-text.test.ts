import { describe, expect, it } from 'vitest';
import { splitUtf8, truncateUtf8, utf8Length } from './utf8-text.ts';

describe('splitUtf8', () => {
  it('keeps short text whole', () => {
    expect(splitUtf8('hello', 2048)).toEqual(['hello']);
  });

  it('splits by bytes, never inside a character, and loses nothing', () => {
    const text = '你好世界🙂'.repeat(300);
    const pieces = splitUtf8(text, 2048);
    expect(pieces.length).toBeGreaterThan(1);
    for (const piece of pieces) expect(utf8Length(piece)).toBeLessThanOrEqual(2048);
    expect(pieces.join('')).toBe(text);
  });

  it('prefers to break after a space or newline', () => {
    expect(splitUtf8('aaaa bbbb', 7)).toEqual(['aaaa ', 'bbbb']);
  });
});

describe('truncateUtf8', () => {
  it('cuts to the byte limit with an ellipsis', () => {
    const { text, truncated } = truncateUtf8('标题'.repeat(100), 128);
    expect(truncated).toBe(true);
    expect(utf8Length(text)).toBeLessThanOrEqual(128);
    expect(text.endsWith('…')).toBe(true);
    expect(truncateUtf8('short', 128)).toEqual({ text: 'short', truncated: false });
  });
});
