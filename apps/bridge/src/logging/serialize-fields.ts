import type { LogFields } from '@wechat/provider-api';

/** Keys whose values never reach a log line, at any depth. */
export const secretKeyPattern = /token|secret|password|authorization|access_token/i;

export const redacted = '[redacted]';

export interface SerializeOptions {
  /** Stacks are noisy and can reveal paths; they are only worth their weight when someone is debugging. */
  readonly includeStacks: boolean;
}

/** Deep enough for real payloads, shallow enough that a pathological object cannot stall logging. */
const maxDepth = 8;
const maxArrayItems = 50;

/**
 * Turns log fields into plain JSON-safe data: secrets redacted by key at every depth, errors reduced to
 * `{name, message, code, …}`, bigints as strings, byte arrays summarised, cycles cut.
 */
export function serializeFields(fields: LogFields, options: SerializeOptions): Record<string, unknown> {
  const seen = new WeakSet<object>();
  const out: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(fields)) {
    const serialized = serializeValue(key, value, 0, seen, options);
    if (serialized !== undefined) out[key] = serialized;
  }
  return out;
}

function serializeValue(key: string, value: unknown, depth: number, seen: WeakSet<object>, options: SerializeOptions): unknown {
  if (secretKeyPattern.test(key) && value !== undefined && value !== null) return redacted;
  switch (typeof value) {
    case 'string':
    case 'number':
    case 'boolean':
      return value;
    case 'bigint':
      return value.toString();
    case 'undefined':
    case 'function':
      return undefined;
    case 'symbol':
      return value.toString();
  }
  if (value === null) return null;
  const object = value as object;
  if (object instanceof Date) return Number.isNaN(object.getTime()) ? 'Invalid Date' : object.toISOString();
  // Media payloads would flood the log (and may be private): say what it was, not what it contained.
  if (ArrayBuffer.isView(object)) return `[${object.constructor.name} ${object.byteLength} bytes]`;
  if (object instanceof ArrayBuffer) return `[ArrayBuffer ${object.byteLength} bytes]`;
  if (seen.has(object)) return '[circular]';
  if (depth >= maxDepth) return '[truncated]';
  seen.add(object);
  try {
    if (object instanceof Error) return serializeError(object, depth, seen, options);
    if (Array.isArray(object)) {
      const items = object.slice(0, maxArrayItems).map(item => serializeValue('', item, depth + 1, seen, options) ?? null);
      if (object.length > maxArrayItems) items.push(`[${object.length - maxArrayItems} more]`);
      return items;
    }
    if (object instanceof Map) {
      return serializeEntries(
        [...object.entries()].map(([k, v]) => [String(k), v]),
        depth,
        seen,
        options,
      );
    }
    if (object instanceof Set) return serializeValue(key, [...object], depth, seen, options);
    return serializeEntries(Object.entries(object), depth, seen, options);
  } finally {
    // Only ancestors count as cycles: the same object twice side by side is logged twice.
    seen.delete(object);
  }
}

function serializeEntries(
  entries: readonly (readonly [string, unknown])[],
  depth: number,
  seen: WeakSet<object>,
  options: SerializeOptions,
): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const [key, value] of entries) {
    const serialized = serializeValue(key, value, depth + 1, seen, options);
    if (serialized !== undefined) out[key] = serialized;
  }
  return out;
}

function serializeError(error: Error, depth: number, seen: WeakSet<object>, options: SerializeOptions): Record<string, unknown> {
  const out: Record<string, unknown> = { name: error.name, message: error.message };
  // Own enumerable data such as `code`, `errcode`, `statusCode`, `retryable`: what callers branch on, so what
  // a reader needs. Redaction still applies by key.
  for (const [key, value] of Object.entries(error)) {
    if (key === 'name' || key === 'message' || key === 'stack' || key === 'cause') continue;
    const serialized = serializeValue(key, value, depth + 1, seen, options);
    if (serialized !== undefined) out[key] = serialized;
  }
  if (options.includeStacks && error.stack !== undefined) out.stack = error.stack;
  if (error.cause !== undefined) {
    const cause = serializeValue('cause', error.cause, depth + 1, seen, options);
    if (cause !== undefined) out.cause = cause;
  }
  return out;
}
