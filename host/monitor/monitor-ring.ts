import type { MonitorEntry } from '../../shared/monitor.js';

/**
 * The last N monitor entries in a fixed array with a moving head: pushing never allocates or
 * shifts, and the oldest entry is overwritten once the ring is full.
 *
 *   capacity 4, after pushing e1..e6:
 *   slots: [ e5 | e6 | e3 | e4 ]
 *                     ^ head (next write; also the oldest entry)
 *   recent(): e6, e5, e4, e3   (newest first)
 */
export class MonitorRing {
  readonly #slots: Array<MonitorEntry | undefined>;
  #head = 0;
  #size = 0;
  readonly #listeners = new Set<(entry: MonitorEntry) => void>();

  constructor(readonly capacity = 1000) {
    this.#slots = new Array(capacity);
  }

  push(entry: MonitorEntry): void {
    this.#slots[this.#head] = entry;
    this.#head = (this.#head + 1) % this.capacity;
    if (this.#size < this.capacity) this.#size += 1;
    for (const listener of this.#listeners) listener(entry);
  }

  /** Newest first, at most `limit`. */
  recent(limit = this.capacity): MonitorEntry[] {
    const count = Math.min(limit, this.#size);
    const out: MonitorEntry[] = new Array(count);
    for (let i = 0; i < count; i++) {
      out[i] = this.#slots[(this.#head - 1 - i + this.capacity * 2) % this.capacity]!;
    }
    return out;
  }

  onEntry(listener: (entry: MonitorEntry) => void): () => void {
    this.#listeners.add(listener);
    return () => this.#listeners.delete(listener);
  }
}
