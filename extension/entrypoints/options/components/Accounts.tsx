import { useState } from 'preact/hooks';
import { NewAccountSchema, PROVIDERS, type AccountView, type NewAccount, type Provider } from '../../../../shared/accounts';
import { useBackground } from '../../../components/BackgroundContext';
import { AccountFields, parseModels } from './AccountFields';
import { AccountRow } from './AccountRow';
import { Field } from './Field';

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
    const chosenModels = parseModels(models);
    const account: NewAccount = {
      provider,
      base_url: baseUrl.trim(),
      api_key: apiKey.trim(),
      ...(label.trim() ? { label: label.trim() } : {}),
      ...(chosenModels ? { models: chosenModels } : {}),
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
      <Field id="account-provider" label="Provider">
        <select id="account-provider" value={provider} onChange={(e) => changeProvider(e.currentTarget.value as Provider)}>
          {PROVIDERS.map((p) => (
            <option key={p} value={p}>
              {p}
            </option>
          ))}
        </select>
      </Field>
      <AccountFields
        idPrefix="account"
        label={{ value: label, set: setLabel }}
        baseUrl={{ value: baseUrl, set: setBaseUrl }}
        apiKey={{ value: apiKey, set: setApiKey }}
        models={{ value: models, set: setModels }}
        labelHint="Optional: provider @ host when empty."
      />
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
