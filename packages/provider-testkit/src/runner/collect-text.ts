const maxDepth = 32;
const maxDecodedBytes = 64 * 1024;

/**
 * Renders every string reachable from a value, one per line: object keys and values, array items, Map and Set
 * entries, the name, message, stack, cause and own fields of errors, and byte arrays decoded as UTF-8. Loggers
 * serialise fields in different ways (JSON, util.inspect, custom formatters); looking at everything reachable
 * catches a secret however it would have been written.
 */
export function collectText(value: unknown): string {
  const parts: string[] = [];
  const seen = new WeakSet<object>();
  const visit = (item: unknown, depth: number): void => {
    if (item === null || item === undefined || depth > maxDepth) return;
    switch (typeof item) {
      case 'string':
        parts.push(item);
        return;
      case 'number':
      case 'bigint':
      case 'boolean':
        parts.push(String(item));
        return;
      case 'symbol':
        parts.push(item.description ?? '');
        return;
      case 'function':
        return;
    }
    const object = item as object;
    if (seen.has(object)) return;
    seen.add(object);
    if (object instanceof Uint8Array || object instanceof ArrayBuffer) {
      const bytes = object instanceof ArrayBuffer ? new Uint8Array(object) : object;
      parts.push(new TextDecoder().decode(bytes.subarray(0, maxDecodedBytes)));
      return;
    }
    if (object instanceof Date) {
      parts.push(Number.isNaN(object.getTime()) ? 'Invalid Date' : object.toISOString());
      return;
    }
    if (object instanceof URL) {
      parts.push(object.href);
      return;
    }
    if (object instanceof Error) {
      parts.push(object.name, object.message, object.stack ?? '');
      visit(object.cause, depth + 1);
    }
    if (object instanceof Map) {
      for (const [key, entry] of object) {
        visit(key, depth + 1);
        visit(entry, depth + 1);
      }
      return;
    }
    if (object instanceof Set) {
      for (const entry of object) visit(entry, depth + 1);
      return;
    }
    for (const key of Object.keys(object)) {
      parts.push(key);
      visit((object as Record<string, unknown>)[key], depth + 1);
    }
  };
  visit(value, 0);
  return parts.join('\n');
}
