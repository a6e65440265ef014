import { maskSecret } from '../../shared/api-key.js';
import type { Account, AccountState, AccountView } from '../../shared/accounts.js';

/** An account as it may leave the host: the key masked, the pool's view of its health attached. */
export function toAccountView(account: Account, status: AccountState): AccountView {
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
  return view;
}
