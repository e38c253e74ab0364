const encoder = new TextEncoder();

export function utf8Length(text: string): number {
  return encoder.encode(text).byteLength;
}

/**
 * Splits `text` into pieces of at most `maxBytes` UTF-8 bytes, never inside a code point, preferring to break
 * after a newline or a space in the second half of a piece.
 */
export function splitUtf8(text: string, maxBytes: number): string[] {
  const pieces: string[] = [];
  let rest = text;
  while (utf8Length(rest) > maxBytes) {
    let end = 0;
    let bytes = 0;
    for (const character of rest) {
      const size = utf8Length(character);
      if (bytes + size > maxBytes) break;
      bytes += size;
      end += character.length;
    }
    const head = rest.slice(0, end);
    const breakAt = Math.max(head.lastIndexOf('\n'), head.lastIndexOf(' '));
    const cut = breakAt >= end / 2 ? breakAt + 1 : end;
    pieces.push(rest.slice(0, cut));
    rest = rest.slice(cut);
  }
  pieces.push(rest);
  return pieces;
}

/** `text` cut to `maxBytes` UTF-8 bytes, with an ellipsis when cut. */
export function truncateUtf8(text: string, maxBytes: number): { readonly text: string; readonly truncated: boolean } {
  if (utf8Length(text) <= maxBytes) return { text, truncated: false };
  const [head = ''] = splitUtf8(text, maxBytes - utf8Length('…'));
  return { text: `${head}…`, truncated: true };
}
