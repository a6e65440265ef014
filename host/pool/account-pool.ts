import type { Account, AccountState, ModelCooling, Provider } from '../../shared/accounts.js';
import type { SchedulingMode } from '../../shared/config.js';
import { globMatches } from './glob.js';
import { cooldownMs, type FailureKind } from './cooldown.js';
import { StickySessions } from './sticky-sessions.js';

/** A rest: until when, why, and the failures in a row that led to it. Times are epoch ms. */
interface Rest {
  until: number;
  kind: FailureKind;
  reason: string;
}

/**
 * Mutable per-account health, kept in one place. Selection compares `until` with now; the one
 * timer (see `onChange`) only tells listeners that a rest ended.
 */
interface Health {
  /** The whole account rests. */
  rest: Rest | undefined;
  /** Failures in a row of the whole account, since its last success. */
  streak: number;
  /** The upstream refused the key: nothing is tried until the user acts (reset, re-enable). */
  rejected: string | undefined;
  /** Per-model rests (providers limit and grant access per model), with their own streaks. */
  models: Map<string, Rest & { streak: number }>;
  /** Models the upstream said it does not serve (404 or a 400 naming the model), until when. */
  unserved: Map<string, number>;
}

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

/** Why no account can be picked for a model right now. */
export type Unavailability =
  /** Accounts serve the model but all are resting; `retryAt` is the soonest one is ready. */
  | { kind: 'exhausted'; retryAt: number }
  /** Accounts serve the model but every one is disabled (its key rejected, or by the user). */
  | { kind: 'unavailable'; reasons: string[] }
  /** No enabled account serves this model at all (by its `models` list, or by the upstream's own word). */
  | { kind: 'no-account-for-model' };

export type PickResult = { kind: 'account'; account: Account } | Unavailability;

/**
 * A per-model rest record is dropped this long after it ended (its streak is stale by then), so
 * clients asking for many models cannot grow the map without bound.
 */
const MODEL_REST_RETENTION_MS = 60 * 60_000;

/**
 * How long an account is taken at its word that it does not serve a model: long enough that
 * requests stop paying a 404 round trip, short enough that a model granted later is found.
 */
export const MODEL_UNSERVED_MS = 30 * 60_000;

/**
 * The account pool: which accounts exist, their health, and which one serves the next request.
 * The mechanism (health, readiness, failure bookkeeping) lives here once; the policy (round robin,
 * fill first, sticky, preferred account) only decides which ready account goes next. State
 * changes come from the request pipeline (`markSuccess`, `markFailure`, `markRejected`,
 * `markModelUnserved`); `onChange` tells listeners when traffic changed what an account shows
 * (a rest starts, a key is rejected, a rest ends).
 */
export class AccountPool {
  #accounts: Account[] = [];
  readonly #health = new Map<string, Health>();
  #cursor = 0;
  #policy: PoolPolicy = { scheduling: 'round_robin' };
  readonly #sessions = new StickySessions();
  readonly #now: () => number;
  readonly #changeListeners = new Set<() => void>();
  /** The timer for the soonest rest end, while anyone listens. */
  #wake: { timer: NodeJS.Timeout; at: number } | undefined;

  constructor(accounts: readonly Account[] = [], now: () => number = Date.now) {
    this.#now = now;
    this.setAccounts(accounts);
  }

  /** Replaces the account list (hot reload). Health of accounts that stay is kept. */
  setAccounts(accounts: readonly Account[]): void {
    this.#accounts = [...accounts];
    const ids = new Set(accounts.map((a) => a.id));
    for (const id of this.#health.keys()) if (!ids.has(id)) this.#health.delete(id);
    this.#armWake();
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
    return this.#accounts.filter((a) => a.enabled && this.#stateOfAccount(a, now).state === 'ready').length;
  }

  enabledCount(): number {
    return this.#accounts.filter((a) => a.enabled).length;
  }

  /** The account as a whole; models it rests for are in `modelsCooling`. */
  stateOf(id: string, now = this.#now()): AccountState {
    return this.#stateOfAccount(this.#accounts.find((a) => a.id === id) ?? { id, enabled: true }, now);
  }

  /** stateOf for an account in hand: a pick asks for every account, and must not search the list for each. */
  #stateOfAccount(account: Pick<Account, 'id' | 'enabled'>, now: number): AccountState {
    if (!account.enabled) return { state: 'disabled', kind: 'by-user', reason: 'disabled by user' };
    const health = this.#health.get(account.id);
    if (!health) return { state: 'ready' };
    if (health.rejected !== undefined) return { state: 'disabled', kind: 'key-rejected', reason: health.rejected };
    if (health.rest && health.rest.until > now) return { state: 'cooling', until: health.rest.until, kind: health.rest.kind, reason: health.rest.reason };
    return { state: 'ready' };
  }

  /** The models `id` rests for right now, soonest ready first. */
  modelsCooling(id: string, now = this.#now()): ModelCooling[] {
    const health = this.#health.get(id);
    if (!health) return [];
    return [...health.models]
      .filter(([, rest]) => rest.until > now)
      .map(([model, rest]) => ({ model, until: rest.until, kind: rest.kind, reason: rest.reason }))
      .sort((a, b) => a.until - b.until || a.model.localeCompare(b.model));
  }

  /**
   * Picks the account for the next attempt at `model`, skipping `exclude` (accounts already tried
   * for this request) and accounts of other `providers`. The preferred account goes first when it
   * is ready; otherwise the scheduling mode chooses among the ready ones (round robin moves its
   * cursor). A sticky session is pinned only when its request succeeds (`markSuccess`).
   */
  pick(model: string, exclude: ReadonlySet<string> = new Set(), providers?: readonly Provider[], options: PickOptions = {}): PickResult {
    const now = this.#now();
    const eligible = this.#eligibility(model, providers, now);
    const serving = this.#accounts.filter(eligible);
    if (serving.length === 0) return { kind: 'no-account-for-model' };
    const ready = (a: Account): boolean => !exclude.has(a.id) && eligible(a) && this.#readyUntil(a, model, now) <= now;
    const chosen = this.#choose(ready, options.sessionKey);
    if (chosen) return { kind: 'account', account: chosen };
    return this.#whyNone(serving, model, now);
  }

  /**
   * Whether `model` could be served now and, if not, why and from when: for display and for the
   * `Retry-After` of a failed request. Chooses nothing, so the round-robin cursor does not move.
   */
  readiness(model: string, providers?: readonly Provider[]): { kind: 'ready' } | Unavailability {
    const now = this.#now();
    const eligible = this.#eligibility(model, providers, now);
    const serving = this.#accounts.filter(eligible);
    if (serving.length === 0) return { kind: 'no-account-for-model' };
    if (serving.some((a) => this.#readyUntil(a, model, now) <= now)) return { kind: 'ready' };
    return this.#whyNone(serving, model, now);
  }

  #eligibility(model: string, providers: readonly Provider[] | undefined, now: number): (account: Account) => boolean {
    return (a) => a.enabled && servesModel(a, model) && (!providers || providers.includes(a.provider)) && !this.#saidUnserved(a.id, model, now);
  }

  #saidUnserved(id: string, model: string, now: number): boolean {
    const until = this.#health.get(id)?.unserved.get(model);
    return until !== undefined && until > now;
  }

  /** None of `serving` is ready: when the soonest one will be, or why none ever will. */
  #whyNone(serving: readonly Account[], model: string, now: number): Unavailability {
    const reasons: string[] = [];
    let retryAt = Infinity;
    for (const account of serving) {
      const state = this.#stateOfAccount(account, now);
      if (state.state === 'disabled') reasons.push(state.reason);
      else {
        const until = this.#readyUntil(account, model, now);
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
    if (preferredAccount !== undefined) {
      const preferred = this.#accounts.find((a) => a.id === preferredAccount);
      if (preferred && ready(preferred)) return preferred;
    }
    switch (scheduling) {
      case 'fill_first':
        return this.#accounts.find(ready);
      case 'sticky': {
        const pinnedId = sessionKey === undefined ? undefined : this.#sessions.get(sessionKey);
        const pinned = pinnedId === undefined ? undefined : this.#accounts.find((a) => a.id === pinnedId);
        if (pinned && ready(pinned)) return pinned;
        return this.#roundRobin(ready);
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
  #readyUntil(account: Account, model: string, now: number): number {
    const state = this.#stateOfAccount(account, now);
    if (state.state === 'disabled') return Infinity;
    const modelRest = this.#health.get(account.id)?.models.get(model);
    const modelUntil = modelRest && modelRest.until > now ? modelRest.until : now;
    return state.state === 'cooling' ? Math.max(state.until, modelUntil) : modelUntil;
  }

  /**
   * The account answered: failure streaks start over (with `model`, that model's; without it,
   * every model's), the account is known to serve `model` again, and with `sessionKey` under
   * sticky scheduling the conversation is pinned to it. Rests that are running are left alone:
   * a request in flight that succeeds right after another got a 429 must not cancel that 429's
   * Retry-After.
   */
  markSuccess(id: string, model?: string, sessionKey?: string): void {
    if (sessionKey !== undefined && this.#policy.scheduling === 'sticky') this.#sessions.set(sessionKey, id);
    const health = this.#health.get(id);
    if (!health) return;
    health.streak = 0;
    if (model === undefined) {
      for (const rest of health.models.values()) rest.streak = 0;
      return;
    }
    const rest = health.models.get(model);
    if (rest) rest.streak = 0;
    health.unserved.delete(model);
  }

  /**
   * A failure that passes with time: the account rests for the upstream's hint or a backoff by
   * kind (see COOLDOWN_RULES). With `model`, only that (account, model) pair rests (a 429, a
   * per-model quota, no access to that model); without it, the whole account. A rest never
   * shortens one already running (a late 500 from a request in flight must not cut a day-long
   * quota rest to 2 s).
   */
  markFailure(id: string, kind: FailureKind, reason: string, hintMs?: number, model?: string): void {
    const health = this.#healthFor(id);
    const now = this.#now();
    if (model !== undefined) {
      for (const [name, rest] of health.models) if (rest.until + MODEL_REST_RETENTION_MS < now) health.models.delete(name);
      const previous = health.models.get(model);
      const streak = (previous?.streak ?? 0) + 1;
      const until = now + cooldownMs(kind, streak, hintMs);
      const keep = previous && previous.until > until;
      health.models.set(model, keep ? { ...previous, streak } : { until, kind, reason, streak });
    } else {
      health.streak += 1;
      const until = now + cooldownMs(kind, health.streak, hintMs);
      if (!health.rest || health.rest.until <= until) health.rest = { until, kind, reason };
    }
    this.#changed();
  }

  /** The upstream rejected the key (401, or a 403 that says so): nothing is tried until the user acts. */
  markRejected(id: string, reason: string): void {
    this.#healthFor(id).rejected = reason;
    this.#changed();
  }

  /**
   * The upstream said it does not serve `model` (404, or a 400 naming the model): the account is
   * left out for that model for MODEL_UNSERVED_MS, or until it serves it (`markSuccess`).
   */
  markModelUnserved(id: string, model: string): void {
    const health = this.#healthFor(id);
    const now = this.#now();
    for (const [name, until] of health.unserved) if (until <= now) health.unserved.delete(name);
    health.unserved.set(model, now + MODEL_UNSERVED_MS);
  }

  /** Clears cooling (per model too), streaks, what the upstream said it does not serve, and a rejected key (the user fixed the key, or asked to retry now). */
  reset(id: string): void {
    this.#health.delete(id);
    this.#armWake();
  }

  /**
   * Calls `listener` (synchronously) whenever traffic changes what an account shows: a rest
   * starts or is extended, a key is rejected, a rest ends (one timer, for the soonest end, while
   * anyone listens). Changes made by the user (`reset`, `setAccounts`) are the caller's to announce.
   */
  onChange(listener: () => void): () => void {
    this.#changeListeners.add(listener);
    this.#armWake();
    return () => {
      this.#changeListeners.delete(listener);
      this.#armWake();
    };
  }

  #changed(): void {
    for (const listener of this.#changeListeners) listener();
    this.#armWake();
  }

  /** Keeps one timer at the soonest rest end (account or model), none when nobody listens. */
  #armWake(): void {
    const now = this.#now();
    const next = this.#changeListeners.size === 0 ? undefined : this.#soonestRestEnd(now);
    if (this.#wake?.at === next) return;
    if (this.#wake) clearTimeout(this.#wake.timer);
    this.#wake = undefined;
    if (next === undefined) return;
    // +1 ms: a rest has ended once `until` is no longer in the future.
    const timer = setTimeout(() => {
      this.#wake = undefined;
      this.#changed();
    }, next - now + 1);
    timer.unref();
    this.#wake = { timer, at: next };
  }

  #soonestRestEnd(now: number): number | undefined {
    let soonest = Infinity;
    for (const health of this.#health.values()) {
      if (health.rest && health.rest.until > now) soonest = Math.min(soonest, health.rest.until);
      for (const rest of health.models.values()) if (rest.until > now) soonest = Math.min(soonest, rest.until);
    }
    return soonest === Infinity ? undefined : soonest;
  }

  #healthFor(id: string): Health {
    let health = this.#health.get(id);
    if (!health) {
      health = { rest: undefined, streak: 0, rejected: undefined, models: new Map(), unserved: new Map() };
      this.#health.set(id, health);
    }
    return health;
  }
}

export function servesModel(account: Account, model: string): boolean {
  if (!account.models || account.models.length === 0) return true;
  return account.models.some((pattern) => globMatches(pattern, model));
}
