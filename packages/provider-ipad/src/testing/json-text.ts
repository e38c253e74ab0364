import { isInteger, isSafeNumber, parse } from 'lossless-json';

/**
 * Parses JSON the way a careful GeWe peer must (trap 1): integers beyond 2^53 become `bigint`, so a 64-bit
 * `newMsgId` survives exactly and a client that rounded one can be caught.
 */
export function parseJsonText(text: string): unknown {
  return parse(text, null, value => (isInteger(value) && !isSafeNumber(value) ? BigInt(value) : Number(value)));
}

/**
 * Serialises like `JSON.stringify`, except that a `bigint` is written as a raw JSON number: GeWe sends
 * `NewMsgId`/`newMsgId` as bare 64-bit numbers, which `JSON.stringify` cannot produce. `undefined` members are
 * left out, as `JSON.stringify` does.
 */
export function writeJsonText(value: unknown): string {
  if (value === null || value === undefined) return 'null';
  switch (typeof value) {
    case 'bigint':
      return value.toString();
    case 'number':
      return Number.isFinite(value) ? String(value) : 'null';
    case 'boolean':
      return value ? 'true' : 'false';
    case 'string':
      return JSON.stringify(value);
    case 'object':
      if (Array.isArray(value)) return `[${value.map(item => writeJsonText(item)).join(',')}]`;
      return `{${Object.entries(value as Record<string, unknown>)
        .filter(([, member]) => member !== undefined && typeof member !== 'function')
        .map(([key, member]) => `${JSON.stringify(key)}:${writeJsonText(member)}`)
        .join(',')}}`;
    default:
      return 'null';
  }
}

/** Reads an id that may arrive as a bigint, a number or a decimal string (clients differ) as a decimal string. */
export function idText(value: unknown): string | undefined {
  if (typeof value === 'bigint') return value.toString();
  if (typeof value === 'number' && Number.isInteger(value)) return String(value);
  if (typeof value === 'string' && /^\d+$/.test(value.trim())) return value.trim();
  return undefined;
}
