import { isSafeNumber, parse } from 'lossless-json';

/**
 * JSON as GeWeChat writes it: 64-bit ids (`newMsgId`, `NewMsgId`) are bare numbers above 2^53, which
 * `JSON.parse` silently rounds (trap 1). Integers that do not fit a double exactly come back as decimal
 * strings; every other number as a number.
 */
export function parseGeweJson(text: string): unknown {
  return parse(text, null, value => (isSafeNumber(value) ? Number(value) : value));
}

/** An id field as a decimal string, whatever form it arrived in. */
export function idString(value: unknown): string | undefined {
  if (typeof value === 'string' && value !== '') return value;
  if (typeof value === 'number' && Number.isFinite(value)) return String(value);
  if (typeof value === 'bigint') return value.toString();
  return undefined;
}
