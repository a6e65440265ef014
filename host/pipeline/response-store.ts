/**
 * One stored response: the input items its request added and its output as input items, and
 * the turn it followed. Turns reference their parent directly (not by id), so a conversation
 * stays whole for as long as its latest response is stored, even after older entries left the
 * store — and each turn's items are kept once, however long the conversation grows.
 */
export interface StoredTurn {
  readonly parent: StoredTurn | undefined;
  readonly items: readonly unknown[];
}

interface Entry {
  turn: StoredTurn;
  expiresAt: number;
  /** About how much memory the turn's own items take (their JSON length). */
  bytes: number;
}

/**
 * The most the stored turns may hold in all: entries are counted, but one request may carry a
 * whole conversation (up to max_body_mb), so the oldest also go when the total passes this.
 */
export const MAX_STORE_BYTES = 256 * 1024 * 1024;

/**
 * The conversations behind Responses `previous_response_id`: each stored response's turn by
 * response id, in memory only (never written to disk, gone on restart). Bounded by entries
 * (`responses_store_size`, oldest out first; 0 stores nothing), by size (MAX_STORE_BYTES) and by age
 * (`responses_store_ttl_seconds` from when the response was made). Both are read from the config
 * on each call: a smaller size applies at once, a TTL to the responses stored from then on.
 */
export class ResponseStore {
  /** Insertion order is age order: the oldest entry is always first. */
  readonly #entries = new Map<string, Entry>();
  readonly #capacity: () => number;
  readonly #ttlMs: () => number;
  readonly #now: () => number;
  readonly #maxBytes: number;
  #bytes = 0;

  constructor(capacity: () => number, ttlMs: () => number, options: { now?: () => number; maxBytes?: number } = {}) {
    this.#capacity = capacity;
    this.#ttlMs = ttlMs;
    this.#now = options.now ?? Date.now;
    this.#maxBytes = options.maxBytes ?? MAX_STORE_BYTES;
  }

  get size(): number {
    return this.#entries.size;
  }

  /** False when `responses_store_size` is 0: nothing is stored, and no id can be followed. */
  get enabled(): boolean {
    return this.#capacity() > 0;
  }

  /** Stores the turn a response made (`bytes`: about its items' size); the oldest entries go when the store is full. */
  remember(id: string, turn: StoredTurn, bytes: number): void {
    this.#delete(id);
    this.#entries.set(id, { turn, expiresAt: this.#now() + this.#ttlMs(), bytes });
    this.#bytes += bytes;
    this.#prune();
  }

  /** The turn of a stored response, or undefined when it was never stored, was pushed out, or expired. */
  turn(id: string): StoredTurn | undefined {
    this.#prune();
    const entry = this.#entries.get(id);
    // A shorter TTL set since may have expired an entry that is not the oldest.
    return entry && entry.expiresAt > this.#now() ? entry.turn : undefined;
  }

  #prune(): void {
    const capacity = Math.max(0, this.#capacity());
    const now = this.#now();
    for (const [id, entry] of this.#entries) {
      if (this.#entries.size <= capacity && this.#bytes <= this.#maxBytes && entry.expiresAt > now) break;
      this.#delete(id);
    }
  }

  #delete(id: string): void {
    const entry = this.#entries.get(id);
    if (!entry) return;
    this.#entries.delete(id);
    this.#bytes -= entry.bytes;
  }
}

/** Every item of a conversation, oldest turn first. */
export function conversationItems(turn: StoredTurn): unknown[] {
  const turns: StoredTurn[] = [];
  for (let current: StoredTurn | undefined = turn; current; current = current.parent) turns.push(current);
  return turns.reverse().flatMap((each) => each.items);
}
