/** Narrowing helpers for parsed YAML and JSON: a malformed file fails with the path of the bad value. */

export type JsonRecord = Readonly<Record<string, unknown>>;

export function isRecord(value: unknown): value is JsonRecord {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

export function expectRecord(value: unknown, where: string): JsonRecord {
  if (!isRecord(value)) throw new TypeError(`${where}: expected a mapping, got ${describe(value)}`);
  return value;
}

export function expectArray(value: unknown, where: string): readonly unknown[] {
  if (!Array.isArray(value)) throw new TypeError(`${where}: expected a list, got ${describe(value)}`);
  return value;
}

export function expectString(value: unknown, where: string): string {
  if (typeof value !== 'string') throw new TypeError(`${where}: expected a string, got ${describe(value)}`);
  return value;
}

export function expectNumber(value: unknown, where: string): number {
  if (typeof value !== 'number' || !Number.isFinite(value))
    throw new TypeError(`${where}: expected a number, got ${describe(value)}`);
  return value;
}

export function optionalString(value: unknown, where: string): string | undefined {
  return value === undefined ? undefined : expectString(value, where);
}

/** A mapping whose values are all strings (rule labels, annotations); absent means empty. */
export function stringRecord(value: unknown, where: string): Readonly<Record<string, string>> {
  if (value === undefined) return {};
  const record = expectRecord(value, where);
  return Object.fromEntries(Object.entries(record).map(([key, item]) => [key, expectString(item, `${where}.${key}`)]));
}

function describe(value: unknown): string {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'a list';
  return typeof value;
}
