/**
 * A bounded set of the keys seen most recently: the oldest is forgotten once `capacity` is reached. Enough to
 * drop the copy of a message that arrives through a second member moments after the first; hosts still
 * de-duplicate persistently (a copy may arrive after the key was forgotten, or after a restart).
 */
export class RecentKeys {
  readonly #capacity: number;
  readonly #keys = new Set<string>();

  constructor(capacity: number) {
    if (!(Number.isInteger(capacity) && capacity > 0))
      throw new RangeError(`capacity must be a positive integer (got ${capacity})`);
    this.#capacity = capacity;
  }

  get size(): number {
    return this.#keys.size;
  }

  /** True the first time a key is seen (it is then remembered); false for a key already in the set. */
  firstSighting(key: string): boolean {
    if (this.#keys.has(key)) {
      // Seen again: it is recent once more, so a burst of copies keeps it from being evicted.
      this.#keys.delete(key);
      this.#keys.add(key);
      return false;
    }
    this.#keys.add(key);
    if (this.#keys.size > this.#capacity) {
      const oldest = this.#keys.values().next().value;
      if (oldest !== undefined) this.#keys.delete(oldest);
    }
    return true;
  }
}
