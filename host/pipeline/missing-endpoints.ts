/** How long an account is taken at its word that it has no such endpoint for a model. */
const MISSING_FOR_MS = 30 * 60_000;
/** Entries kept at most (clients asking many models cannot grow the map without bound). */
const MAX_ENTRIES = 1000;

/**
 * Accounts that answered 404/405 at an optional endpoint (legacy `/completions`) for a model:
 * they are asked the translated request straight away for a while, instead of paying the
 * round trip to learn it again on every request.
 */
export class MissingEndpoints {
  readonly #until = new Map<string, number>();
  readonly #now: () => number;

  constructor(now: () => number = Date.now) {
    this.#now = now;
  }

  has(accountId: string, endpoint: string, model: string): boolean {
    const key = keyOf(accountId, endpoint, model);
    const until = this.#until.get(key);
    if (until === undefined) return false;
    if (until > this.#now()) return true;
    this.#until.delete(key);
    return false;
  }

  add(accountId: string, endpoint: string, model: string): void {
    if (this.#until.size >= MAX_ENTRIES) this.#until.delete(this.#until.keys().next().value!);
    this.#until.set(keyOf(accountId, endpoint, model), this.#now() + MISSING_FOR_MS);
  }
}

function keyOf(accountId: string, endpoint: string, model: string): string {
  return `${accountId}\u0000${endpoint}\u0000${model}`;
}

/** The statuses that mean "no such endpoint here" (not "no such model": that 404 names the model on every endpoint, and the translated attempt meets it again). */
export function isMissingEndpoint(status: number): boolean {
  return status === 404 || status === 405;
}
