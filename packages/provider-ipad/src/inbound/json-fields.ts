import { isInteger, isSafeNumber, parse } from 'lossless-json';

export type JsonRecord = Readonly<Record<string, unknown>>;

/**
 * JSON as GeWeChat writes it: `NewMsgId` is a bare number above 2^53 that `JSON.parse` would round (trap 1).
 * Integers a double cannot hold exactly stay decimal strings; every other number becomes a number.
 */
export function parseJsonKeepingIds(text: string): unknown {
  return parse(text, null, value => (isInteger(value) && !isSafeNumber(value) ? value : Number(value)));
}

export function isRecord(value: unknown): value is JsonRecord {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

const normaliseKey = (key: string): string => key.replaceAll('_', '').toLowerCase();

/**
 * A field whatever its spelling: builds differ (`TypeName`, `type_name`; `Appid`, `appid`; `ImgBuf.iLen`), so
 * the exact name is tried first and then a case- and underscore-insensitive match.
 */
export function field(record: JsonRecord, name: string): unknown {
  if (Object.hasOwn(record, name)) return record[name];
  const wanted = normaliseKey(name);
  for (const [key, value] of Object.entries(record)) {
    if (normaliseKey(key) === wanted) return value;
  }
  return undefined;
}

/** A string field; GeWe wraps most as `{string: …}` and sends `{}` for an empty one. */
export function stringField(record: JsonRecord, name: string): string | undefined {
  const value = field(record, name);
  const inner = isRecord(value) ? field(value, 'string') : value;
  if (typeof inner === 'string') return inner;
  if (typeof inner === 'number' && Number.isFinite(inner)) return String(inner);
  return undefined;
}

/** A 64-bit id as a decimal string, whether it arrived as a safe number or as the string the parser kept. */
export function idField(record: JsonRecord, name: string): string | undefined {
  const value = field(record, name);
  const inner = isRecord(value) ? field(value, 'string') : value;
  if (typeof inner === 'number') return Number.isInteger(inner) ? String(inner) : undefined;
  if (typeof inner === 'bigint') return inner.toString();
  if (typeof inner === 'string' && /^-?\d+$/.test(inner)) return inner;
  return undefined;
}

export function numberField(record: JsonRecord, name: string): number | undefined {
  const value = field(record, name);
  if (typeof value === 'number' && Number.isFinite(value)) return value;
  if (typeof value === 'string' && value.trim() !== '') {
    const parsed = Number(value);
    return Number.isFinite(parsed) ? parsed : undefined;
  }
  return undefined;
}
