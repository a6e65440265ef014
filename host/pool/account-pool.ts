import type { Account, AccountState, Provider } from '../../shared/accounts.js';
import { globMatches } from './glob.js';
import { backoffMs, type FailureKind } from './cooldown.js';

/** Mutable per-account health, kept in one place. Times are epoch ms; no account owns a timer. */
interface Health {
  coolingUntil: number;
  coolingReason: string;
  disabledReason: string | undefined;
  failureStreak: number;
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
 * The account pool: which accounts exist, their health, and which one serves the next request.
 * Selection is round-robin among ready accounts whose `models` match; state changes come from the
 * request pipeline (`markSuccess`, `markFailure`, `markRejected`).
 */
export class AccountPool {
  #accounts: Account[] = [];
  readonly #health = new Map<string, Health>();
  #cursor = 0;
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

  /** Enabled accounts not disabled by an upstream and not cooling right now. */
  activeCount(): number {
    const now = this.#now();
    return this.#accounts.filter((a) => a.enabled && this.stateOf(a.id, now).state === 'ready').length;
  }

  enabledCount(): number {
    return this.#accounts.filter((a) => a.enabled).length;
  }

  stateOf(id: string, now = this.#now()): AccountState {
    const account = this.#accounts.find((a) => a.id === id);
    if (account && !account.enabled) return { state: 'disabled', reason: 'disabled by user' };
    const health = this.#health.get(id);
    if (!health) return { state: 'ready' };
    if (health.disabledReason) return { state: 'disabled', reason: health.disabledReason };
    if (health.coolingUntil > now) return { state: 'cooling', until: health.coolingUntil, reason: health.coolingReason };
    return { state: 'ready' };
  }

  /** Picks the next account for `model`, skipping `exclude` (accounts already tried for this request). */
  pick(model: string, exclude: ReadonlySet<string> = new Set(), providers?: readonly Provider[]): PickResult {
    const now = this.#now();
    const eligible = (a: Account): boolean => a.enabled && servesModel(a, model) && (!providers || providers.includes(a.provider));
    const serving = this.#accounts.filter(eligible);
    if (serving.length === 0) return { kind: 'no-account-for-model' };
    const count = this.#accounts.length;
    for (let step = 0; step < count; step++) {
      const index = (this.#cursor + step) % count;
      const account = this.#accounts[index]!;
      if (exclude.has(account.id) || !eligible(account)) continue;
      if (this.stateOf(account.id, now).state !== 'ready') continue;
      this.#cursor = (index + 1) % count;
      return { kind: 'account', account };
    }
    const cooling = serving
      .map((a) => this.stateOf(a.id, now))
      .filter((s): s is Extract<AccountState, { state: 'cooling' }> => s.state === 'cooling');
    if (cooling.length > 0) return { kind: 'exhausted', retryAt: Math.min(...cooling.map((s) => s.until)) };
    const disabled = serving
      .map((a) => this.stateOf(a.id, now))
      .filter((s): s is Extract<AccountState, { state: 'disabled' }> => s.state === 'disabled');
    if (disabled.length === serving.length) return { kind: 'unavailable', reasons: disabled.map((s) => s.reason) };
    // Every serving account was already tried for this request and failed without cooling.
    return { kind: 'exhausted', retryAt: now };
  }

  markSuccess(id: string): void {
    const health = this.#health.get(id);
    if (health) health.failureStreak = 0;
  }

  /** A transient failure: the account rests for the upstream's hint, or an exponential backoff. */
  markFailure(id: string, kind: FailureKind, reason: string, hintMs?: number): void {
    const health = this.#healthFor(id);
    health.failureStreak += 1;
    const restMs = hintMs ?? backoffMs(kind, health.failureStreak);
    health.coolingUntil = this.#now() + restMs;
    health.coolingReason = reason;
  }

  /** The upstream rejected the key (401/403): no request will succeed until the user acts. */
  markRejected(id: string, reason: string): void {
    this.#healthFor(id).disabledReason = reason;
  }

  /** Clears cooling and rejection (the user fixed the key, or asked to retry now). */
  reset(id: string): void {
    this.#health.delete(id);
  }

  #healthFor(id: string): Health {
    let health = this.#health.get(id);
    if (!health) {
      health = { coolingUntil: 0, coolingReason: '', disabledReason: undefined, failureStreak: 0 };
      this.#health.set(id, health);
    }
    return health;
  }
}

export function servesModel(account: Account, model: string): boolean {
  if (!account.models || account.models.length === 0) return true;
  return account.models.some((pattern) => globMatches(pattern, model));
}
