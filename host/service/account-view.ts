import { maskSecret } from '../../shared/api-key.js';
import type { Account, AccountState, AccountView, ModelCooling } from '../../shared/accounts.js';

/**
 * An account as it may leave the host: the key masked, the pool's view of its health attached
 * (and the models it rests for, when there are any, and how many it serves, once known).
 */
export function toAccountView(account: Account, status: AccountState, modelsCooling: readonly ModelCooling[] = [], modelCount?: number): AccountView {
  const view: AccountView = {
    id: account.id,
    provider: account.provider,
    label: account.label,
    base_url: account.base_url,
    api_key_masked: maskSecret(account.api_key),
    enabled: account.enabled,
    status,
  };
  if (account.models) view.models = [...account.models];
  if (modelsCooling.length > 0) view.models_cooling = modelsCooling.map((cooling) => ({ ...cooling }));
  if (modelCount !== undefined) view.model_count = modelCount;
  return view;
}
