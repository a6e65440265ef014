import { useState } from 'preact/hooks';
import { NewAccountSchema, PROVIDERS, type AccountView, type NewAccount, type Provider } from '../../../../shared/accounts';
import { useBackground } from '../../../components/BackgroundContext';
import { ResetAccountButton } from '../../../components/ResetAccountButton';
import { accountHealthText, canResetAccount } from '../../../utils/format';

/** Each provider SDK's base URL convention (openai with /v1, the others the bare origin). */
export const DEFAULT_BASE_URLS: Record<Provider, string> = {
  openai: 'https://api.openai.com/v1',
  anthropic: 'https://api.anthropic.com',
  gemini: 'https://generativelanguage.googleapis.com',
};

/** Every account change comes back as the daemon's pushed status, so nothing here refreshes. */
export function Accounts({ accounts }: { accounts: AccountView[] }) {
  return (
    <section id="accounts" class="card" aria-labelledby="accounts-title">
      <h2 id="accounts-title">Accounts</h2>
      {accounts.length === 0 ? (
        <p class="muted" id="no-accounts">
          No accounts yet. Add one below.
        </p>
      ) : (
        <ul class="account-list">
          {accounts.map((account) => (
            <AccountRow key={account.id} account={account} />
          ))}
        </ul>
      )}
      <AddAccountForm />
    </section>
  );
}

export function AccountRow({ account }: { account: AccountView }) {
  const client = useBackground();
  const [busy, setBusy] = useState(false);
  const [confirming, setConfirming] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const toggleId = `account-enabled-${account.id}`;

  const run = async (action: () => Promise<{ ok: boolean; error?: { message: string } }>) => {
    setBusy(true);
    setError(null);
    const reply = await action();
    setBusy(false);
    setConfirming(false);
    if (!reply.ok) setError(reply.error?.message ?? null);
  };

  return (
    <li class="account" data-testid="account" data-account-id={account.id}>
      <div class="account-line">
        <span class={`provider provider-${account.provider}`}>{account.provider}</span>
        <strong class="account-label">{account.label}</strong>
        {account.demo && <span class="tag">demo</span>}
      </div>
      <div class="account-line">
        <span data-testid="account-state" class={`account-state state-${account.status.state}`}>
          {accountHealthText(account)}
        </span>
        {canResetAccount(account) && (
          <ResetAccountButton busy={busy} onReset={() => void run(() => client.request('accounts.reset', { id: account.id }))} />
        )}
      </div>
      <div class="account-line">
        <span class="checkbox">
          <input
            id={toggleId}
            type="checkbox"
            data-testid="account-enabled"
            checked={account.enabled}
            disabled={busy || account.demo}
            onChange={(e) => {
              const enabled = e.currentTarget.checked;
              void run(() => client.request('accounts.setEnabled', { id: account.id, enabled }));
            }}
          />
          <label for={toggleId}>Enabled</label>
        </span>
        {!account.demo &&
          (confirming ? (
            <span class="row">
              <button
                type="button"
                class="danger small"
                data-testid="account-remove-confirm"
                disabled={busy}
                onClick={() => void run(() => client.request('accounts.remove', { id: account.id }))}
              >
                Remove {account.label}
              </button>
              <button type="button" class="secondary small" onClick={() => setConfirming(false)}>
                Cancel
              </button>
            </span>
          ) : (
            <button type="button" class="secondary small" data-testid="account-remove" disabled={busy} onClick={() => setConfirming(true)}>
              Remove
            </button>
          ))}
      </div>
      {error && (
        <p class="error" role="alert" data-testid="account-error">
          {error}
        </p>
      )}
    </li>
  );
}

function parseModels(text: string): string[] | undefined {
  const models = text
    .split(/[,\s]+/)
    .map((model) => model.trim())
    .filter(Boolean);
  return models.length > 0 ? models : undefined;
}

export function AddAccountForm() {
  const client = useBackground();
  const [provider, setProvider] = useState<Provider>('openai');
  const [baseUrl, setBaseUrl] = useState(DEFAULT_BASE_URLS.openai);
  const [apiKey, setApiKey] = useState('');
  const [label, setLabel] = useState('');
  const [models, setModels] = useState('');
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const [added, setAdded] = useState<string | null>(null);

  const changeProvider = (next: Provider) => {
    // Follow the provider's default unless the user typed their own URL.
    if (baseUrl.trim() === '' || Object.values(DEFAULT_BASE_URLS).includes(baseUrl)) setBaseUrl(DEFAULT_BASE_URLS[next]);
    setProvider(next);
  };

  const submit = async (event: Event) => {
    event.preventDefault();
    setAdded(null);
    const account: NewAccount = {
      provider,
      base_url: baseUrl.trim(),
      api_key: apiKey.trim(),
      ...(label.trim() ? { label: label.trim() } : {}),
      ...(parseModels(models) ? { models: parseModels(models) } : {}),
    };
    const checked = NewAccountSchema.safeParse(account);
    if (!checked.success) {
      const issue = checked.error.issues[0];
      setError(issue ? `${issue.path.join('.') || 'account'}: ${issue.message}` : 'Invalid account');
      return;
    }
    setBusy(true);
    setError(null);
    const reply = await client.request('accounts.add', checked.data);
    setBusy(false);
    if (!reply.ok) return setError(reply.error.message);
    setAdded(`Added ${reply.result.label}`);
    setApiKey('');
    setLabel('');
    setModels('');
  };

  return (
    <form id="add-account-form" class="add-account" onSubmit={submit} noValidate>
      <h3>Add an account</h3>
      <div class="grid2">
        <div class="field">
          <label for="account-provider">Provider</label>
          <select id="account-provider" value={provider} onChange={(e) => changeProvider(e.currentTarget.value as Provider)}>
            {PROVIDERS.map((p) => (
              <option key={p} value={p}>
                {p}
              </option>
            ))}
          </select>
        </div>
        <div class="field">
          <label for="account-label">Label (optional)</label>
          <input id="account-label" type="text" value={label} onInput={(e) => setLabel(e.currentTarget.value)} />
        </div>
      </div>
      <div class="field">
        <label for="account-base-url">Base URL</label>
        <input id="account-base-url" type="url" value={baseUrl} onInput={(e) => setBaseUrl(e.currentTarget.value)} />
      </div>
      <div class="field">
        <label for="account-api-key">API key</label>
        <input
          id="account-api-key"
          type="password"
          autocomplete="off"
          value={apiKey}
          onInput={(e) => setApiKey(e.currentTarget.value)}
        />
      </div>
      <div class="field">
        <label for="account-models">Models (optional, comma-separated, * wildcards)</label>
        <input
          id="account-models"
          type="text"
          placeholder="any model"
          value={models}
          onInput={(e) => setModels(e.currentTarget.value)}
        />
      </div>
      <div class="row actions">
        <button id="add-account" type="submit" class="primary" disabled={busy}>
          {busy ? 'Adding…' : 'Add account'}
        </button>
        {added && (
          <span id="add-account-done" class="ok" role="status">
            {added}
          </span>
        )}
      </div>
      {error && (
        <p id="add-account-error" class="error" role="alert">
          {error}
        </p>
      )}
    </form>
  );
}
