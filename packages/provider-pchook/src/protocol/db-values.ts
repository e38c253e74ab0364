import type { DbField, DbRow } from './wcf-messages.ts';

/** SQLite's column types, as `DbField.type` carries them. */
export const sqliteTypes = { integer: 1, float: 2, text: 3, blob: 4, null: 5 } as const;

export type DbValue = string | number | bigint | Uint8Array | null;

/**
 * The host reads every column with `sqlite3_column_blob`, so numbers arrive as their decimal text. Integers
 * beyond 2^53 stay exact as bigint.
 */
export function dbFieldValue(field: DbField): DbValue {
  const text = () => new TextDecoder().decode(field.content);
  switch (field.type) {
    case sqliteTypes.integer: {
      const digits = text().trim();
      if (digits === '') return 0;
      const value = BigInt(digits);
      return value >= BigInt(Number.MIN_SAFE_INTEGER) && value <= BigInt(Number.MAX_SAFE_INTEGER) ? Number(value) : value;
    }
    case sqliteTypes.float:
      return Number(text());
    case sqliteTypes.text:
      return text();
    case sqliteTypes.blob:
      return field.content;
    default:
      return null;
  }
}

/** One row as `{ column: value }`. */
export function dbRowObject(row: DbRow): Record<string, DbValue> {
  return Object.fromEntries(row.fields.map(field => [field.column, dbFieldValue(field)]));
}

/** A field as the host would send it, for simulators. */
export function dbField(column: string, value: DbValue): DbField {
  const encode = (text: string) => new TextEncoder().encode(text);
  if (value === null) return { type: sqliteTypes.null, column, content: new Uint8Array(0) };
  if (value instanceof Uint8Array) return { type: sqliteTypes.blob, column, content: value };
  if (typeof value === 'string') return { type: sqliteTypes.text, column, content: encode(value) };
  if (typeof value === 'bigint' || Number.isInteger(value)) {
    return { type: sqliteTypes.integer, column, content: encode(String(value)) };
  }
  return { type: sqliteTypes.float, column, content: encode(String(value)) };
}

/** A string literal for the host's SQL (it has no bound parameters): quotes doubled, as SQLite wants. */
export function sqlString(value: string): string {
  return `'${value.replaceAll("'", "''")}'`;
}
