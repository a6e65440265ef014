import type { Dispatcher } from 'undici';
import type { Account } from '../../shared/accounts.js';
import type { AccountPool } from '../pool/account-pool.js';
import { globMatches, isGlob } from '../pool/glob.js';
import { fetchModelList, type ModelListResult } from './fetch-model-list.js';

/** A fetched list is served this long before it is fetched again (in the background). */
const FRESH_MS = 10 * 60_000;
/** After a failed fetch the upstream is left alone this long (the last good list, if any, still counts). */
const FAILURE_MEMORY_MS = 30_000;
/** Longest wait for one model-list page. */
const FETCH_TIMEOUT_MS = 10_000;
/**
 * How long a model-list request waits for an account's first fetch; after that it answers
 * without that account (the fetch goes on, and the next listing has it).
 */
const FIRST_FETCH_WAIT_MS = 5_000;

interface CatalogEntry {
  /** What the list was fetched with: another key or base URL means another list. */
  identity: string;
  /** The upstream's last good list. */
  models?: string[];
  fetchedAt?: number;
  failedAt?: number;
  /** The fetch on its way: every caller meanwhile waits for this one. */
  inFlight?: Promise<ModelListResult>;
}

/**
 * The models an account serves, from its upstream's list: all of them without a `models`
 * setting, else those its patterns match, plus its exact names (listed even when the upstream
 * does not say so: the user named them).
 */
export function servedModels(account: Pick<Account, 'models'>, upstreamModels: readonly string[]): string[] {
  const patterns = account.models;
  if (!patterns?.length) return [...upstreamModels];
  const served = new Set(upstreamModels.filter((model) => patterns.some((pattern) => globMatches(pattern, model))));
  for (const pattern of patterns) if (!isGlob(pattern)) served.add(pattern);
  return [...served];
}

/**
 * The models the pool can serve, for the model-list endpoints and the accounts' model counts:
 * each account's real model list, fetched from its provider with its key (when the account is
 * added or reset, or first needed), kept and refreshed in the background; merged with the exact
 * names of the model mapping, each model once.
 */
export class ModelCatalog {
  readonly #entries = new Map<string, CatalogEntry>();
  /** Aborts the fetches on their way when the daemon stops (an upstream that never answers must not hold it up). */
  readonly #closing = new AbortController();

  constructor(
    private readonly pool: AccountPool,
    private readonly upstream: Dispatcher,
    private readonly mapping: () => Readonly<Record<string, string>>,
    /** Told when an account's list changed (its model count is part of the status). */
    private readonly onChange: () => void = () => undefined,
  ) {}

  async list(): Promise<string[]> {
    const names = new Set<string>(Object.keys(this.mapping()).filter((pattern) => !isGlob(pattern)));
    const accounts = this.pool.accounts().filter((a) => a.enabled && this.pool.stateOf(a.id).state !== 'disabled');
    await Promise.all(accounts.map((account) => this.#firstFetch(account)));
    for (const account of accounts) for (const model of this.#served(account) ?? exactNames(account)) names.add(model);
    return [...names].sort();
  }

  /** How many models the account serves; undefined until its upstream's list has been fetched once. */
  modelCount(account: Account): number | undefined {
    return this.#served(account)?.length;
  }

  /**
   * Fetches the account's list now (or joins the fetch on its way: one per account at a time),
   * whatever the cache says: the account was just added or reset, or the user asks for a test.
   */
  refresh(account: Account): Promise<ModelListResult> {
    const entry = this.#entry(account);
    if (entry.inFlight) return entry.inFlight;
    const fetched = fetchModelList(this.upstream, account, FETCH_TIMEOUT_MS, this.#closing.signal).catch(
      (error: unknown): ModelListResult => ({ outcome: 'provider-error', message: `could not read the model list (${(error as Error).message})` }),
    );
    const inFlight = fetched.then((result) => {
      entry.inFlight = undefined;
      const before = this.#served(account)?.length;
      if (result.outcome === 'works') {
        entry.models = result.models;
        entry.fetchedAt = Date.now();
        entry.failedAt = undefined;
      } else entry.failedAt = Date.now();
      if (this.#entries.get(account.id) === entry && this.#served(account)?.length !== before) this.onChange();
      return result;
    });
    entry.inFlight = inFlight;
    return inFlight;
  }

  /** Stops the fetches on their way (they end as `unreachable`). */
  close(): void {
    this.#closing.abort();
  }

  /** Forgets the lists of accounts that are gone. */
  retain(accounts: readonly Account[]): void {
    const ids = new Set(accounts.map((account) => account.id));
    for (const id of this.#entries.keys()) if (!ids.has(id)) this.#entries.delete(id);
  }

  /**
   * Waits (a little) for an account never fetched; starts a background refresh of a stale list.
   * A recent failure is remembered: the upstream is not asked again at every listing.
   */
  async #firstFetch(account: Account): Promise<void> {
    const entry = this.#entry(account);
    const now = Date.now();
    if (entry.failedAt !== undefined && now - entry.failedAt < FAILURE_MEMORY_MS) return;
    if (entry.fetchedAt !== undefined && now - entry.fetchedAt < FRESH_MS) return;
    const fetching = this.refresh(account);
    if (entry.models) return;
    let timer: NodeJS.Timeout | undefined;
    const waited = new Promise<void>((resolve) => {
      timer = setTimeout(resolve, FIRST_FETCH_WAIT_MS);
      timer.unref();
    });
    await Promise.race([fetching, waited]);
    clearTimeout(timer);
  }

  #served(account: Account): string[] | undefined {
    const entry = this.#entries.get(account.id);
    return entry?.models && entry.identity === identityOf(account) ? servedModels(account, entry.models) : undefined;
  }

  #entry(account: Account): CatalogEntry {
    const identity = identityOf(account);
    let entry = this.#entries.get(account.id);
    if (entry?.identity !== identity) {
      entry = { identity };
      this.#entries.set(account.id, entry);
    }
    return entry;
  }
}

/** An account's list depends on where it is fetched and with which key (kept in memory only, as the account itself is). */
function identityOf(account: Account): string {
  return `${account.provider} ${account.base_url} ${account.api_key}`;
}

/** What an account serves before (or without) its upstream's list: the names it was given. */
function exactNames(account: Account): string[] {
  return (account.models ?? []).filter((pattern) => !isGlob(pattern));
}
