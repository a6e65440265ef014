import { createHash } from 'node:crypto';
import type { ControlReply } from '../../shared/control/envelope.js';
import { ERROR_CODES } from '../../shared/errors.js';

/** Enough for every request a client could still be resending; each entry is one small reply. */
const DEFAULT_CAPACITY = 1_000;

/**
 * The daemon's memory of the requests that are not safe to repeat, by request id, shared by all
 * connections (every client that passed the handshake holds the same token: one identity). A
 * request seen again, from any connection, gets the first answer, awaited if it is still running,
 * instead of running again. An id reused for a different request is refused rather than guessed at.
 * Bounded: the oldest ids are forgotten first. In memory only: a restarted daemon starts empty.
 */
export class RequestLedger {
  readonly #capacity: number;
  readonly #entries = new Map<string, { fingerprint: string; reply: Promise<ControlReply> }>();

  constructor(capacity: number = DEFAULT_CAPACITY) {
    this.#capacity = capacity;
  }

  /** The reply to request `id` (type and validated payload as given): the remembered one, or `run()`'s. */
  answer(id: string, type: string, payload: unknown, run: () => Promise<ControlReply>): Promise<ControlReply> {
    // A digest, so the ledger keeps no copy of a payload's secrets (an account's API key).
    const fingerprint = createHash('sha256').update(type).update('\n').update(JSON.stringify(payload) ?? '').digest('hex');
    const seen = this.#entries.get(id);
    if (seen) {
      if (seen.fingerprint === fingerprint) return seen.reply;
      return Promise.resolve({
        id,
        ok: false,
        error: { code: 'INVALID_MESSAGE', message: `${ERROR_CODES.INVALID_MESSAGE.message}: the request id "${id}" was already used for another request` },
      });
    }
    const reply = run();
    this.#entries.set(id, { fingerprint, reply });
    if (this.#entries.size > this.#capacity) this.#entries.delete(this.#entries.keys().next().value!);
    return reply;
  }

  get size(): number {
    return this.#entries.size;
  }
}
