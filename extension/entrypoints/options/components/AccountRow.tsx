import { useState } from 'preact/hooks';
import { AccountEditSchema, type AccountEdit, type AccountTestResult, type AccountView } from '../../../../shared/accounts';
import { useBackground } from '../../../components/BackgroundContext';
import { ResetAccountButton } from '../../../components/ResetAccountButton';
import { accountHealthText, canResetAccount } from '../../../utils/format';
import { useDraft } from '../../../utils/use-draft';
import type { Outcome } from '../../../utils/view-protocol';
import { AccountFields, modelsText, parseModels } from './AccountFields';

/** What "Test" found, in the words of `localgate accounts test`. */
export function testResultText(result: AccountTestResult): string {
  const because = result.message ? `: ${result.message}` : '';
  switch (result.outcome) {
    case 'works':
      return `Works (${result.modelCount ?? 0} model${result.modelCount === 1 ? '' : 's'})`;
    case 'key-rejected':
      return `Key rejected${because}`;
    case 'unreachable':
      return `Unreachable${because}`;
    case 'provider-error':
      return `Provider error${because}`;
  }
}

/** One account: its state, Test, Edit, enable, Reset and Remove. Changes come back as the daemon's pushed status. */
export function AccountRow({ account }: { account: AccountView }) {
  const client = useBackground();
  const [busy, setBusy] = useState(false);
  const [confirming, setConfirming] = useState(false);
  const [editing, setEditing] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const [testing, setTesting] = useState(false);
  /** The user's click while the daemon has not answered: the box shows it instead of jumping back. */
  const [enabling, setEnabling] = useState<boolean | null>(null);
  const [tested, setTested] = useState<{ kind: 'ok' | 'error'; text: string } | null>(null);
  const toggleId = `account-enabled-${account.id}`;

  const run = async <T,>(action: () => Promise<Outcome<T>>): Promise<Outcome<T>> => {
    setBusy(true);
    setError(null);
    const reply = await action();
    setBusy(false);
    setConfirming(false);
    if (!reply.ok) setError(reply.error.message);
    return reply;
  };

  const test = async () => {
    setTested(null);
    setTesting(true);
    const reply = await run(() => client.request('accounts.test', { id: account.id }));
    setTesting(false);
    if (reply.ok) setTested({ kind: reply.result.outcome === 'works' ? 'ok' : 'error', text: testResultText(reply.result) });
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
        {canResetAccount(account) && <ResetAccountButton busy={busy} onReset={() => void run(() => client.request('accounts.reset', { id: account.id }))} />}
      </div>
      <div class="account-line">
        <span class="checkbox">
          <input
            id={toggleId}
            type="checkbox"
            data-testid="account-enabled"
            checked={enabling ?? account.enabled}
            disabled={busy || account.demo}
            onChange={async (e) => {
              const enabled = e.currentTarget.checked;
              setEnabling(enabled);
              // The daemon pushes the new status before it replies: by then `account` has it.
              await run(() => client.request('accounts.setEnabled', { id: account.id, enabled }));
              setEnabling(null);
            }}
          />
          <label for={toggleId}>Enabled</label>
        </span>
        {!account.demo && (
          <span class="row">
            <button type="button" class="secondary small" data-testid="account-test" disabled={busy} title="One call to the provider's model list with this key" onClick={() => void test()}>
              {testing ? 'Testing…' : 'Test'}
            </button>
            <button type="button" class="secondary small" data-testid="account-edit" aria-expanded={editing} disabled={busy} onClick={() => setEditing(!editing)}>
              Edit
            </button>
            {confirming ? (
              <>
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
              </>
            ) : (
              <button type="button" class="secondary small" data-testid="account-remove" disabled={busy} onClick={() => setConfirming(true)}>
                Remove
              </button>
            )}
          </span>
        )}
      </div>
      {tested && (
        <p class={tested.kind} role="status" data-testid="account-test-result">
          {tested.text}
        </p>
      )}
      {error && (
        <p class="error" role="alert" data-testid="account-error">
          {error}
        </p>
      )}
      {editing && <EditAccountForm account={account} onDone={() => setEditing(false)} />}
    </li>
  );
}

/**
 * Label, base URL and models start from the account and keep the user's edits when a pushed status
 * changes them meanwhile; the key field starts empty and replaces the key only when filled.
 */
export function EditAccountForm({ account, onDone }: { account: AccountView; onDone(): void }) {
  const client = useBackground();
  const label = useDraft(account.label);
  const baseUrl = useDraft(account.base_url);
  const models = useDraft(modelsText(account.models));
  const [apiKey, setApiKey] = useState('');
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const prefix = `edit-${account.id}`;

  const edit = (): AccountEdit => ({
    ...(label.dirty ? { label: label.value.trim() } : {}),
    ...(baseUrl.dirty ? { base_url: baseUrl.value.trim() } : {}),
    ...(models.dirty ? { models: parseModels(models.value) ?? null } : {}),
    ...(apiKey.trim() ? { api_key: apiKey.trim() } : {}),
  });

  const save = async (event: Event) => {
    event.preventDefault();
    const checked = AccountEditSchema.safeParse(edit());
    if (!checked.success) {
      const issue = checked.error.issues[0];
      return setError(issue ? `${issue.path.join('.') || 'account'}: ${issue.message}` : 'Invalid account');
    }
    if (Object.keys(checked.data).length === 0) return onDone();
    setBusy(true);
    setError(null);
    const reply = await client.request('accounts.update', { id: account.id, ...checked.data });
    setBusy(false);
    if (!reply.ok) return setError(reply.error.message);
    setApiKey('');
    onDone();
  };

  return (
    <form class="edit-account" data-testid="account-edit-form" onSubmit={save} noValidate>
      <AccountFields
        idPrefix={prefix}
        label={{ value: label.value, set: label.set, theirs: label.theirs }}
        baseUrl={{ value: baseUrl.value, set: baseUrl.set, theirs: baseUrl.theirs }}
        apiKey={{ value: apiKey, set: setApiKey }}
        models={{ value: models.value, set: models.set, theirs: models.theirs === undefined ? undefined : models.theirs || 'any model' }}
        apiKeyPlaceholder={`unchanged (${account.api_key_masked})`}
        apiKeyHint="Type a new key to replace the current one, which is never shown."
      />
      <div class="row actions">
        <button type="submit" class="primary small" data-testid="account-edit-save" disabled={busy}>
          {busy ? 'Saving…' : 'Save'}
        </button>
        <button type="button" class="secondary small" data-testid="account-edit-cancel" disabled={busy} onClick={onDone}>
          Cancel
        </button>
      </div>
      {error && (
        <p class="error" role="alert" data-testid="account-edit-error">
          {error}
        </p>
      )}
    </form>
  );
}
