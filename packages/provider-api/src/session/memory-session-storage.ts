import type { SessionStorageV1 } from '../provider/v1/provider-v1.ts';

/** Session storage that lives as long as the process: for tests and short-lived bots. Restarts lose the login. */
export function createMemorySessionStorage(initial: Record<string, string> = {}): SessionStorageV1 & {
  snapshot(): Record<string, string>;
} {
  const values = new Map(Object.entries(initial));
  return {
    get: async key => values.get(key),
    set: async (key, value) => {
      values.set(key, value);
    },
    delete: async key => {
      values.delete(key);
    },
    snapshot: () => Object.fromEntries(values),
  };
}
