export interface BoundedSet {
  /** Adds `key`; true when it was new. The oldest keys are forgotten beyond the capacity. */
  add(key: string): boolean;
  readonly size: number;
}

/**
 * An insertion-ordered set with a fixed capacity, for recently seen callback ids. WeCom retries a callback
 * within seconds (3 tries, 5 s apart, reference A.4), so a few thousand entries cover every retry; the bridge
 * deduplicates persistently behind it.
 */
export function createBoundedSet(capacity: number): BoundedSet {
  const keys = new Set<string>();
  return {
    add(key) {
      if (keys.has(key)) return false;
      keys.add(key);
      if (keys.size > capacity) {
        const oldest = keys.values().next().value;
        if (oldest !== undefined) keys.delete(oldest);
      }
      return true;
    },
    get size() {
      return keys.size;
    },
  };
}
