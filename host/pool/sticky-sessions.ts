/**
 * Session key → account id, least recently used evicted first, so a long-running daemon keeps at
 * most `capacity` pins and needs no timer. A JavaScript Map iterates in insertion order; a hit is
 * re-inserted, so the first key is always the least recently used:
 *
 *   oldest ─> [k7 → acc_a] [k2 → acc_b] … [k9 → acc_a] <─ newest (last get/set)
 *              ▲ evicted when a set overflows capacity
 */
export class StickySessions {
  readonly #pins = new Map<string, string>();
  readonly capacity: number;

  constructor(capacity = 10_000) {
    this.capacity = capacity;
  }

  get size(): number {
    return this.#pins.size;
  }

  /** The account pinned to `key`, marking the pin as recently used. */
  get(key: string): string | undefined {
    const id = this.#pins.get(key);
    if (id !== undefined) {
      this.#pins.delete(key);
      this.#pins.set(key, id);
    }
    return id;
  }

  set(key: string, id: string): void {
    this.#pins.delete(key);
    this.#pins.set(key, id);
    if (this.#pins.size > this.capacity) {
      const oldest = this.#pins.keys().next();
      if (!oldest.done) this.#pins.delete(oldest.value);
    }
  }

  clear(): void {
    this.#pins.clear();
  }
}
