import type { Account, AccountTestResult } from '../../shared/accounts.js';
import type { ModelListResult } from './fetch-model-list.js';
import { servedModels } from './model-catalog.js';

/** `accounts test`'s answer from one model-list fetch: the outcome, the provider's words, or the account's model count. */
export function accountTestResult(account: Account, result: ModelListResult): AccountTestResult {
  return result.outcome === 'works' ? { outcome: 'works', modelCount: servedModels(account, result.models).length } : { outcome: result.outcome, message: result.message };
}
