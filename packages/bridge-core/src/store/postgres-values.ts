/**
 * Conversions between JS values and what PostgreSQL accepts and returns, in one place so every repository
 * treats them alike.
 */

/** PostgreSQL's text types cannot hold U+0000; `jsonb` rejects the `\u0000` escape and unpaired surrogates. */
const loneSurrogate = /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/g;

/**
 * Makes free text storable: U+0000 becomes U+FFFD. Used for display text and error messages, where a stray
 * NUL from WeChat must not make the write (and with it the message) fail. Not used for identifiers or session
 * values, which must round-trip exactly or fail loudly.
 */
export function toStorableText(text: string): string {
  return text.includes('\u0000') ? text.replaceAll('\u0000', '\uFFFD') : text;
}

function toStorableJsonString(text: string): string {
  return toStorableText(text).replace(loneSurrogate, '\uFFFD');
}

/**
 * JSON text for a `jsonb` column. Strings (keys too) are made storable, because a WeChat message carrying a NUL
 * or half an emoji (WeChat truncates previews by UTF-16 units) would otherwise be rejected by the database and
 * never reach the inbox. Passing text, not the object, also keeps `pg` from turning arrays into PostgreSQL
 * array literals.
 */
export function toJsonText(value: unknown): string {
  return JSON.stringify(value, (_key, item: unknown) => {
    if (typeof item === 'string') return toStorableJsonString(item);
    if (item !== null && typeof item === 'object' && !Array.isArray(item)) {
      const entries = Object.entries(item);
      if (entries.some(([key]) => toStorableJsonString(key) !== key)) {
        return Object.fromEntries(entries.map(([key, entry]) => [toStorableJsonString(key), entry]));
      }
    }
    return item;
  });
}

/**
 * An int8 column's value as a number. `pg` returns int8 as a string and PGlite as a number or bigint; every
 * int8 in this schema is a timestamp or a row id, so a value that is not a safe integer means corruption.
 */
export function toSafeInteger(value: string | number | bigint): number {
  const number = Number(value);
  if (!Number.isSafeInteger(number)) throw new RangeError(`expected a safe integer from the database, got ${String(value)}`);
  return number;
}
