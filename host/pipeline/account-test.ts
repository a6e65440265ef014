import type { Account, AccountTestResult } from '../../shared/accounts.js';
import { createUpstreamAgent } from '../providers/upstream-client.js';
import { fetchModelList, type ModelListResult } from './fetch-model-list.js';
import { servedModels } from './model-catalog.js';

/** Longest wait for one model-list page when testing without a daemon. */
const TEST_TIMEOUT_MS = 10_000;

/** `accounts test`'s answer from one model-list fetch: the outcome, the provider's words, or the account's model count. */
export function accountTestResult(account: Account, result: ModelListResult): AccountTestResult {
  return result.outcome === 'works' ? { outcome: 'works', modelCount: servedModels(account, result.models).length } : { outcome: result.outcome, message: result.message };
}

/** Tests an account from this process (no daemon runs): one model-list fetch over a connection pool of its own. */
export async function testAccountOnce(account: Account): Promise<AccountTestResult> {
  const agent = createUpstreamAgent();
  try {
    return accountTestResult(account, await fetchModelList(agent, account, TEST_TIMEOUT_MS));
  } finally {
    await agent.destroy().catch(() => undefined);
  }
}
