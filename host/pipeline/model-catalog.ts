import type { Dispatcher } from 'undici';
import type { Account } from '../../shared/accounts.js';
import type { AccountPool } from '../pool/account-pool.js';
import { isGlob } from '../pool/glob.js';
import { PROVIDERS } from '../providers/providers.js';
import { sendUpstream } from '../providers/upstream-client.js';

const CACHE_MS = 5 * 60_000;
const LIST_TIMEOUT_MS = 5_000;

/**
 * The models the pool can serve, for the model-list endpoints: exact names from each account's
 * `models`, exact keys of the model mapping, and — for accounts that serve any model — the
 * upstream's own list, cached for a few minutes so listing models stays cheap.
 */
export class ModelCatalog {
  readonly #cache = new Map<string, { at: number; models: string[] }>();

  constructor(
    private readonly pool: AccountPool,
    private readonly upstream: Dispatcher,
    private readonly mapping: () => Readonly<Record<string, string>>,
  ) {}

  async list(): Promise<string[]> {
    const names = new Set<string>(Object.keys(this.mapping()).filter((pattern) => !isGlob(pattern)));
    const accounts = this.pool.accounts().filter((a) => a.enabled && this.pool.stateOf(a.id).state !== 'disabled');
    const upstreamLists = await Promise.all(
      accounts.map((account) => (account.models?.length ? Promise.resolve(account.models) : this.#upstreamModels(account))),
    );
    for (const list of upstreamLists) for (const name of list) if (!isGlob(name)) names.add(name);
    return [...names].sort();
  }

  async #upstreamModels(account: Account): Promise<string[]> {
    const cached = this.#cache.get(account.id);
    if (cached && Date.now() - cached.at < CACHE_MS) return cached.models;
    const provider = PROVIDERS[account.provider];
    try {
      const response = await sendUpstream(this.upstream, {
        url: provider.modelsUrl(account),
        method: 'GET',
        headers: provider.headers(account, { stream: false }),
        timeoutMs: LIST_TIMEOUT_MS,
      });
      const body = await response.body.json();
      const models = response.statusCode === 200 ? provider.parseModelList(body) : [];
      this.#cache.set(account.id, { at: Date.now(), models });
      return models;
    } catch {
      return []; // A model list is best effort: an unreachable upstream lists nothing.
    }
  }
}
