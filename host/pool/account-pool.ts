import type { Account, AccountState, ModelCooling, Provider } from '../../shared/accounts.js';
import type { SchedulingMode } from '../../shared/config.js';
import { globMatches } from './glob.js';
import { COOLDOWN_RULES, cooldownMs, type FailureKind } from './cooldown.js';
import { StickySessions } from './sticky-sessions.js';

/** A rest: until when, why, and the failures in a row that led to it. Times are epoch ms. */
interface Rest {
  until: number;
  kind: FailureKind;
  reason: string;
}

/** Mutable per-account health, kept in one place. No account (or model) owns a timer: selection compares `until` with now. */
interface Health {
  /** The whole account rests. */
  rest: Rest | undefined;
  /** Failures in a row of the whole account, since its last success. */
  streak: number;
  /** The upstream refused the key or the quota is spent: nothing is tried until a reset. */
  disabled: { kind: 'key-rejected' | 'quota-exhausted'; reason: string } | undefined;
  /** Per-model rate limits (providers rate-limit per model), with their own streaks. */
  models: Map<string, Rest & { streak: number }>;
}

/** Why an upstream disabled an account. */
export type DisabledReason = 'key-rejected' | 'quota-exhausted';

/** How the pool chooses among ready accounts; set from the config (`scheduling`, `preferred_account`). */
export interface PoolPolicy {
  scheduling: SchedulingMode;
  /** Tried first whenever it is ready for the model. */
  preferredAccount?: string | undefined;
}

export interface PickOptions {
  /** A conversation's key (see session-key.ts); used by `sticky` scheduling only. */
  sessionKey?: string | undefined;
}

export type PickResult =
  | { kind: 'account'; account: Account }
  /** Accounts serve the model but all are resting; `retryAt` is the soonest one is ready. */
  | { kind: 'exhausted'; retryAt: number }
  /** Accounts serve the model but every one is disabled by an upstream rejection. */
  | { kind: 'unavailable'; reasons: string[] }
  /** No enabled account serves this model at all. */
  | { kind: 'no-account-for-model' };

/**
 * A per-model rest record is dropped this long after it ended (its streak is stale by then), so
 * clients asking for many models cannot grow the map without bound.
 */
const MODEL_REST_RETENTION_MS = COOLDOWN_RULES['rate-limited'].maxMs;

/**
 * The account pool: which accounts exist, their health, and which one serves the next request.
 * The mechanism (health, readiness, failure bookkeeping) lives here once; the policy (round robin,
 * fill first, sticky, preferred account) only decides which ready account goes next. State
 * changes come from the request pipeline (`markSuccess`, `markFailure`, `markDisabled`).
 */
export class AccountPool {
  #accounts: Account[] = [];
  readonly #health = new Map<string, Health>();
  #cursor = 0;
  #policy: PoolPolicy = { scheduling: 'round_robin' };
  readonly #sessions = new StickySessions();
  readonly #now: () => number;

  constructor(accounts: readonly Account[] = [], now: () => number = Date.now) {
    this.#now = now;
    this.setAccounts(accounts);
  }

  /** Replaces the account list (hot reload). Health of accounts that stay is kept. */
  setAccounts(accounts: readonly Account[]): void {
    this.#accounts = [...accounts];
    const ids = new Set(accounts.map((a) => a.id));
    for (const id of this.#health.keys()) if (!ids.has(id)) this.#health.delete(id);
  }

  accounts(): readonly Account[] {
    return this.#accounts;
  }

  /** Applies to the next pick (hot reload). Leaving `sticky` forgets the pins. */
  setPolicy(policy: PoolPolicy): void {
    if (policy.scheduling !== 'sticky') this.#sessions.clear();
    this.#policy = { scheduling: policy.scheduling, ...(policy.preferredAccount ? { preferredAccount: policy.preferredAccount } : {}) };
  }

  policy(): Readonly<PoolPolicy> {
    return this.#policy;
  }

  /** Enabled accounts not disabled by an upstream and not cooling right now (per-model rests aside). */
  activeCount(): number {
    const now = this.#now();
    return this.#accounts.filter((a) => a.enabled && this.stateOf(a.id, now).state === 'ready').length;
  }

  enabledCount(): number {
    return this.#accounts.filter((a) => a.enabled).length;
  }

  /** The account as a whole; models it rests for are in `modelsCooling`. */
  stateOf(id: string, now = this.#now()): AccountState {
    const account = this.#accounts.find((a) => a.id === id);
    if (account && !account.enabled) return { state: 'disabled', kind: 'by-user', reason: 'disabled by user' };
    const health = this.#health.get(id);
    if (!health) return { state: 'ready' };
    if (health.disabled) return { state: 'disabled', kind: health.disabled.kind, reason: health.disabled.reason };
    if (health.rest && health.rest.until > now) return { state: 'cooling', until: health.rest.until, kind: health.rest.kind, reason: health.rest.reason };
    return { state: 'ready' };
  }

  /** The models `id` rests for right now, soonest ready first. */
  modelsCooling(id: string, now = this.#now()): ModelCooling[] {
    const health = this.#health.get(id);
    if (!health) return [];
    return [...health.models]
      .filter(([, rest]) => rest.until > now)
      .map(([model, rest]) => ({ model, until: rest.until, reason: rest.reason }))
      .sort((a, b) => a.until - b.until || a.model.localeCompare(b.model));
  }

  /**
   * Picks the account for the next attempt at `model`, skipping `exclude` (accounts already tried
   * for this request) and accounts of other `providers`. The preferred account goes first when it
   * is ready; otherwise the scheduling mode chooses among the ready ones.
   */
  pick(model: string, exclude: ReadonlySet<string> = new Set(), providers?: readonly Provider[], options: PickOptions = {}): PickResult {
    const now = this.#now();
    const eligible = (a: Account): boolean => a.enabled && servesModel(a, model) && (!providers || providers.includes(a.provider));
    const serving = this.#accounts.filter(eligible);
    if (serving.length === 0) return { kind: 'no-account-for-model' };
    const ready = (a: Account): boolean => !exclude.has(a.id) && eligible(a) && this.#readyUntil(a.id, model, now) <= now;
    const chosen = this.#choose(ready, options.sessionKey);
    if (chosen) return { kind: 'account', account: chosen };

    const reasons: string[] = [];
    let retryAt = Infinity;
    for (const account of serving) {
      const state = this.stateOf(account.id, now);
      if (state.state === 'disabled') reasons.push(state.reason);
      else {
        const until = this.#readyUntil(account.id, model, now);
        if (until > now) retryAt = Math.min(retryAt, until);
      }
    }
    if (retryAt !== Infinity) return { kind: 'exhausted', retryAt };
    if (reasons.length === serving.length) return { kind: 'unavailable', reasons };
    // Every serving account was already tried for this request and failed without cooling.
    return { kind: 'exhausted', retryAt: now };
  }

  /** The policy: which ready account goes next. */
  #choose(ready: (account: Account) => boolean, sessionKey: string | undefined): Account | undefined {
    const { scheduling, preferredAccount } = this.#policy;
    const pin = (account: Account | undefined): Account | undefined => {
      if (account && scheduling === 'sticky' && sessionKey !== undefined) this.#sessions.set(sessionKey, account.id);
      return account;
    };
    if (preferredAccount !== undefined) {
      const preferred = this.#accounts.find((a) => a.id === preferredAccount);
      if (preferred && ready(preferred)) return pin(preferred);
    }
    switch (scheduling) {
      case 'fill_first':
        return this.#accounts.find(ready);
      case 'sticky': {
        if (sessionKey === undefined) return this.#roundRobin(ready);
        const pinnedId = this.#sessions.get(sessionKey);
        const pinned = pinnedId === undefined ? undefined : this.#accounts.find((a) => a.id === pinnedId);
        if (pinned && ready(pinned)) return pinned;
        return pin(this.#roundRobin(ready));
      }
      case 'round_robin':
        return this.#roundRobin(ready);
    }
  }

  #roundRobin(ready: (account: Account) => boolean): Account | undefined {
    const count = this.#accounts.length;
    for (let step = 0; step < count; step++) {
      const index = (this.#cursor + step) % count;
      const account = this.#accounts[index]!;
      if (!ready(account)) continue;
      this.#cursor = (index + 1) % count;
      return account;
    }
    return undefined;
  }

  /**
   * When the account can serve `model` again: `now` or earlier = ready, Infinity = disabled (by
   * the user or an upstream), else the later of its own rest and the model's.
   */
  #readyUntil(id: string, model: string, now: number): number {
    const state = this.stateOf(id, now);
    if (state.state === 'disabled') return Infinity;
    const modelRest = this.#health.get(id)?.models.get(model);
    const modelUntil = modelRest && modelRest.until > now ? modelRest.until : now;
    return state.state === 'cooling' ? Math.max(state.until, modelUntil) : modelUntil;
  }

  /**
   * The account answered: its failure streak starts over. With `model`, that model's rest and
   * streak are cleared too; without it, every model's streak is (their rests run out by time).
   */
  markSuccess(id: string, model?: string): void {
    const health = this.#health.get(id);
    if (!health) return;
    health.streak = 0;
    if (model !== undefined) health.models.delete(model);
    else for (const rest of health.models.values()) rest.streak = 0;
  }

  /**
   * A transient failure: the account rests for the upstream's hint or a backoff by kind (see
   * COOLDOWN_RULES). A 429 for a named `model` rests only that (account, model) pair; any other
   * failure rests the whole account. A rest never shortens one already running (a late 500 from
   * a request in flight must not cut a day-long quota rest to 2 s).
   */
  markFailure(id: string, kind: FailureKind, reason: string, hintMs?: number, model?: string): void {
    const health = this.#healthFor(id);
    const now = this.#now();
    if (model !== undefined && kind === 'rate-limited') {
      for (const [name, rest] of health.models) if (rest.until + MODEL_REST_RETENTION_MS < now) health.models.delete(name);
      const previous = health.models.get(model);
      const streak = (previous?.streak ?? 0) + 1;
      const until = now + cooldownMs(kind, streak, hintMs);
      const keep = previous && previous.until > until;
      health.models.set(model, keep ? { ...previous, streak } : { until, kind, reason, streak });
      return;
    }
    health.streak += 1;
    const until = now + cooldownMs(kind, health.streak, hintMs);
    if (!health.rest || health.rest.until <= until) health.rest = { until, kind, reason };
  }

  /** The upstream refused the key, or the account's quota is spent: no request is tried until a reset. */
  markDisabled(id: string, reason: DisabledReason, detail: string): void {
    this.#healthFor(id).disabled = { kind: reason, reason: detail };
  }

  /** The upstream rejected the key (401/403). Same as `markDisabled(id, 'key-rejected', reason)`. */
  markRejected(id: string, reason: string): void {
    this.markDisabled(id, 'key-rejected', reason);
  }

  /** Clears cooling (per model too), streaks and an upstream's disabling (the user fixed the key, or asked to retry now). */
  reset(id: string): void {
    this.#health.delete(id);
  }

  #healthFor(id: string): Health {
    let health = this.#health.get(id);
    if (!health) {
      health = { rest: undefined, streak: 0, disabled: undefined, models: new Map() };
      this.#health.set(id, health);
    }
    return health;
  }
}

export function servesModel(account: Account, model: string): boolean {
  if (!account.models || account.models.length === 0) return true;
  return account.models.some((pattern) => globMatches(pattern, model));
}
