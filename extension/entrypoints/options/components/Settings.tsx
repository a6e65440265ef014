import { useState } from 'preact/hooks';
import type { AccountView } from '../../../../shared/accounts';
import { AUTH_MODES, ProxyConfigPatchSchema, SCHEDULING_MODES, type AuthMode, type ProxyConfigPatch, type SchedulingMode } from '../../../../shared/config';
import { useBackground } from '../../../components/BackgroundContext';
import type { ConfigView } from '../../../utils/types';
import { useDraft, type Draft } from '../../../utils/use-draft';
import { describedBy, Field } from './Field';
import { mappingProblem, mappingRows, mappingText, ModelMappingEditor, sameMapping, type MappingRow } from './ModelMappingEditor';

const AUTH_MODE_LABELS: Record<AuthMode, string> = {
  off: 'off: no key needed',
  strict: 'strict: key for every request',
  all_except_health: 'all_except_health: key for all but /healthz',
  auto: 'auto: key only with LAN access',
};

const SCHEDULING_LABELS: Record<SchedulingMode, string> = {
  round_robin: 'round_robin: ready accounts take turns',
  fill_first: 'fill_first: the first ready account until it rests',
  sticky: 'sticky: a conversation stays on its account',
};

/** The whole-number settings: each one field, checked against the shared schema's bounds. */
const NUMBER_SETTINGS = [
  { key: 'port', label: 'Port' },
  { key: 'max_attempts', label: 'Accounts tried per request', hint: 'Failover: how many accounts one request may try before the client gets the error.' },
  { key: 'request_timeout_s', label: 'First-byte timeout (seconds)', hint: 'How long an upstream may take to start answering.' },
  { key: 'connect_timeout_s', label: 'Connect timeout (seconds)' },
  { key: 'stream_idle_timeout_s', label: 'Stream idle timeout (seconds)', hint: 'The longest quiet gap inside a streamed answer.' },
] as const;
type NumberSetting = (typeof NUMBER_SETTINGS)[number]['key'];

/** Why `text` is not a valid value for `field` (the bounds are the daemon's own), or null. */
export function wholeNumberProblem(field: NumberSetting, text: string): string | null {
  if (text.trim() === '') return `${field} is required`;
  const schema = ProxyConfigPatchSchema.shape[field].unwrap();
  return schema.safeParse(Number(text)).success ? null : `${field} must be a whole number from ${schema.minValue} to ${schema.maxValue}`;
}

export interface SettingsProps {
  config: ConfigView;
  running: boolean;
  /** For the preferred account's choices. */
  accounts: AccountView[];
  onConfig(config: ConfigView): void;
}

/**
 * The proxy's settings as one form: edits stay until Save or Cancel, even when the daemon pushes
 * a change meanwhile (each such field says what it became). Save sends only what changed.
 */
export function Settings({ config, running, accounts, onConfig }: SettingsProps) {
  const client = useBackground();
  // A fixed list: the same hooks in the same order on every render.
  const numbers = NUMBER_SETTINGS.map(({ key }) => useDraft(config[key] === undefined ? '' : String(config[key])));
  const allowLan = useDraft(config.allow_lan_access);
  const authMode = useDraft(config.auth_mode);
  const scheduling = useDraft(config.scheduling ?? 'round_robin');
  const preferred = useDraft(config.preferred_account ?? '');
  const mapping = useDraft<MappingRow[]>(mappingRows(config.model_mapping), sameMapping);
  const [busy, setBusy] = useState(false);
  const [message, setMessage] = useState<{ kind: 'ok' | 'error'; text: string } | null>(null);

  const numberErrors = NUMBER_SETTINGS.map(({ key }, i) => (key === 'port' && running) || !numbers[i]!.dirty ? null : wholeNumberProblem(key, numbers[i]!.value));
  const mappingError = mapping.dirty ? mappingProblem(mapping.value) : null;
  const drafts: Draft<unknown>[] = [...numbers, allowLan, authMode, scheduling, preferred, mapping];
  const edited = drafts.some((draft) => draft.dirty);
  const hasErrors = numberErrors.some(Boolean) || mappingError !== null;

  const patch = (): ProxyConfigPatch => {
    const next: Record<string, unknown> = {};
    NUMBER_SETTINGS.forEach(({ key }, i) => {
      if (numbers[i]!.dirty && !(key === 'port' && running)) next[key] = Number(numbers[i]!.value);
    });
    if (allowLan.dirty) next.allow_lan_access = allowLan.value;
    if (authMode.dirty) next.auth_mode = authMode.value;
    if (scheduling.dirty) next.scheduling = scheduling.value;
    if (preferred.dirty) next.preferred_account = preferred.value === '' ? null : preferred.value;
    if (mapping.dirty) next.model_mapping = Object.fromEntries(mapping.value.map(([pattern, model]) => [pattern.trim(), model.trim()]));
    return next as ProxyConfigPatch;
  };

  const save = async (event: Event) => {
    event.preventDefault();
    if (!edited || hasErrors || busy) return;
    setBusy(true);
    setMessage(null);
    const reply = await client.request('config.update', patch());
    setBusy(false);
    if (!reply.ok) return setMessage({ kind: 'error', text: reply.error.message });
    setMessage({ kind: 'ok', text: 'Saved' });
    onConfig(reply.result);
  };

  const cancel = () => {
    drafts.forEach((draft) => draft.cancel());
    setMessage(null);
  };

  return (
    <section id="settings" class="card" aria-labelledby="settings-title">
      <h2 id="settings-title">Settings</h2>
      <form onSubmit={save} noValidate>
        {NUMBER_SETTINGS.map((setting, i) => {
          const draft = numbers[i]!;
          const locked = setting.key === 'port' && running;
          if (config[setting.key] === undefined) return null; // a daemon without this setting
          const field = { id: setting.key.replaceAll('_', '-'), hint: locked ? 'Stop the proxy to change the port.' : 'hint' in setting ? setting.hint : undefined, error: numberErrors[i], theirs: draft.theirs };
          return (
            <Field key={setting.key} label={setting.label} {...field}>
              <input
                id={field.id}
                type="number"
                inputMode="numeric"
                value={draft.value}
                disabled={locked}
                aria-invalid={field.error ? true : undefined}
                aria-describedby={describedBy(field)}
                onInput={(e) => draft.set(e.currentTarget.value)}
              />
            </Field>
          );
        })}

        <Field id="allow-lan" label="Allow LAN access (listen on 0.0.0.0)" inline theirs={allowLan.theirs === undefined ? undefined : allowLan.theirs ? 'on' : 'off'}>
          <input id="allow-lan" type="checkbox" checked={allowLan.value} onChange={(e) => allowLan.set(e.currentTarget.checked)} />
        </Field>
        {allowLan.value && authMode.value === 'off' && (
          <div id="lan-warning" class="warning" role="alert">
            <p>With LAN access on and auth off, anyone on your network can use your accounts.</p>
            <button id="lan-require-key" type="button" class="small" onClick={() => authMode.set('all_except_health')}>
              Require the key (all_except_health)
            </button>
          </div>
        )}

        <Field id="auth-mode" label="Auth mode" theirs={authMode.theirs}>
          <select id="auth-mode" value={authMode.value} onChange={(e) => authMode.set(e.currentTarget.value)}>
            {AUTH_MODES.map((mode) => (
              <option key={mode} value={mode}>
                {AUTH_MODE_LABELS[mode]}
              </option>
            ))}
          </select>
        </Field>

        <Field id="scheduling" label="Scheduling" theirs={scheduling.theirs}>
          <select id="scheduling" value={scheduling.value} onChange={(e) => scheduling.set(e.currentTarget.value)}>
            {SCHEDULING_MODES.map((mode) => (
              <option key={mode} value={mode}>
                {SCHEDULING_LABELS[mode]}
              </option>
            ))}
          </select>
        </Field>

        <Field id="preferred-account" label="Preferred account" hint="Tried first whenever it is ready for the model, whatever the scheduling." theirs={preferred.theirs === undefined ? undefined : preferred.theirs || 'none'}>
          <select id="preferred-account" value={preferred.value} onChange={(e) => preferred.set(e.currentTarget.value)}>
            <option value="">none</option>
            {accounts
              .filter((account) => !account.demo)
              .map((account) => (
                <option key={account.id} value={account.id}>
                  {account.label}
                </option>
              ))}
            {preferred.value && !accounts.some((account) => account.id === preferred.value) && <option value={preferred.value}>{preferred.value} (no such account)</option>}
          </select>
        </Field>

        <ModelMappingEditor rows={mapping.value} onRows={mapping.set} error={mappingError} theirs={mapping.theirs === undefined ? undefined : mappingText(mapping.theirs)} />

        <div class="row actions">
          <button id="save-settings" type="submit" class="primary" disabled={!edited || hasErrors || busy}>
            {busy ? 'Saving…' : 'Save'}
          </button>
          <button id="cancel-settings" type="button" class="secondary" disabled={!edited || busy} onClick={cancel}>
            Cancel
          </button>
          {message && !(message.kind === 'ok' && edited) && (
            <span id={message.kind === 'ok' ? 'settings-saved' : 'settings-error'} class={message.kind} role="status">
              {message.text}
            </span>
          )}
        </div>
      </form>
    </section>
  );
}
