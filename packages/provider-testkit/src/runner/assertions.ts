/**
 * A failed conformance check. The kit does not depend on a test runner's `expect`, so `runConformance` works
 * without vitest; these messages are what plugin authors read, so they say what was expected and what happened.
 */
export class ConformanceAssertionError extends Error {
  override readonly name = 'ConformanceAssertionError';
}

export function fail(message: string, cause?: unknown): never {
  throw new ConformanceAssertionError(message, cause === undefined ? undefined : { cause });
}

export function check(condition: unknown, message: string | (() => string)): asserts condition {
  if (!condition) fail(typeof message === 'string' ? message : message());
}

/** Awaits a promise that must reject and returns the rejection. */
export async function expectRejection(promise: Promise<unknown>, operation: string): Promise<unknown> {
  try {
    const value = await promise;
    return fail(`${operation} resolved (with ${describeValue(value)}), but it should have rejected`);
  } catch (error) {
    if (error instanceof ConformanceAssertionError) throw error;
    return error;
  }
}

/** A short, readable rendering of any value for failure messages: bytes are summarised, errors named. */
export function describeValue(value: unknown): string {
  if (value instanceof Error) {
    const code = (value as { code?: unknown }).code;
    return `${value.name}${typeof code === 'string' ? ` [${code}]` : ''}: ${value.message}`;
  }
  if (value === undefined) return 'undefined';
  try {
    const text = JSON.stringify(value, (_key, item: unknown) => {
      if (item instanceof Uint8Array) return `<${item.byteLength} bytes>`;
      if (typeof item === 'bigint') return `${item}n`;
      return item;
    });
    return text.length > 300 ? `${text.slice(0, 300)}…` : text;
  } catch {
    return String(value);
  }
}
