import { useState } from 'preact/hooks';
import type { AccountView } from '../../../../shared/accounts';
import { useBackground } from '../../../components/BackgroundContext';
import { ResetAccountButton } from '../../../components/ResetAccountButton';
import { accountDotKind, accountHealthText, accountLineText, canResetAccount, modelCountText } from '../../../utils/format';

/** One line per account: label, provider, model count, a state dot with words, Reset where it helps. */
/** Account changes (Reset included) come back as the daemon's pushed status: nothing to refresh here. */
export function AccountList({ accounts }: { accounts: AccountView[] }) {
  if (accounts.length === 0) {
    return (
      <p class="muted" id="no-accounts">
        No accounts yet: add one in Settings.
      </p>
    );
  }
  return (
    <ul id="accounts" class="account-lines" aria-label="Accounts">
      {accounts.map((account) => (
        <AccountLine key={account.id} account={account} />
      ))}
    </ul>
  );
}

function AccountLine({ account }: { account: AccountView }) {
  const client = useBackground();
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const kind = accountDotKind(account);
  const models = modelCountText(account);

  const reset = async () => {
    setBusy(true);
    setError(null);
    const reply = await client.request('accounts.reset', { id: account.id });
    setBusy(false);
    if (!reply.ok) setError(reply.error.message);
  };

  return (
    <li class="account-line" data-testid="account" data-account-id={account.id}>
      <span class={`dot dot-${kind}`} aria-hidden="true" />
      <strong class="account-label" title={account.label}>
        {account.label}
      </strong>
      <span class={`provider provider-${account.provider}`}>{account.provider}</span>
      {models && (
        <span class="model-count" data-testid="model-count">
          {models}
        </span>
      )}
      <span data-testid="account-state" class={`account-state state-${kind}`} title={accountHealthText(account)}>
        {accountLineText(account)}
      </span>
      {canResetAccount(account) && <ResetAccountButton busy={busy} onReset={() => void reset()} />}
      {error && (
        <span class="error" role="alert" data-testid="account-error">
          {error}
        </span>
      )}
    </li>
  );
}
