import { useState } from 'preact/hooks';
import { ApiKeySchema } from '../../../../shared/api-key';
import { AUTH_MODES, PortSchema, type AuthMode, type ProxyConfigPatch } from '../../../../shared/config';
import type { ConfigView } from '../../../utils/types';
import { CopyButton } from '../../../components/CopyButton';
import { useBackground } from '../../../components/BackgroundContext';
import { useDraft } from '../../../utils/use-draft';

const AUTH_MODE_LABELS: Record<AuthMode, string> = {
  off: 'off: no key needed',
  strict: 'strict: key for every request',
  all_except_health: 'all_except_health: key for all but /healthz',
  auto: 'auto: key only with LAN access',
};

/** The same messages the CLI prints for a bad key (ApiKeySchema), joined. */
export function apiKeyProblem(key: string): string | null {
  const checked = ApiKeySchema.safeParse(key);
  return checked.success ? null : checked.error.issues.map((issue) => issue.message).join('; ');
}

export function portProblem(text: string): string | null {
  if (text.trim() === '') return 'port is required';
  const checked = PortSchema.safeParse(Number(text));
  return checked.success ? null : 'port must be a whole number from 1024 to 65535';
}

export interface SettingsProps {
  config: ConfigView;
  running: boolean;
  onConfig(config: ConfigView): void;
}

/** Port, LAN access, auth mode and API key; Save sends only what changed (config.update). */
export function Settings({ config, running, onConfig }: SettingsProps) {
  const client = useBackground();
  const [port, setPort] = useDraft(String(config.port));
  const [allowLan, setAllowLan] = useDraft(config.allow_lan_access);
  const [authMode, setAuthMode] = useDraft(config.auth_mode);
  const [apiKey, setApiKey] = useDraft(config.api_key);
  const [busy, setBusy] = useState(false);
  const [message, setMessage] = useState<{ kind: 'ok' | 'error'; text: string } | null>(null);

  const keyError = apiKeyProblem(apiKey);
  const portError = running ? null : portProblem(port);

  const patch: ProxyConfigPatch = {};
  if (!running && !portError && Number(port) !== config.port) patch.port = Number(port);
  if (allowLan !== config.allow_lan_access) patch.allow_lan_access = allowLan;
  if (authMode !== config.auth_mode) patch.auth_mode = authMode as AuthMode;
  if (apiKey !== config.api_key && !keyError) patch.api_key = apiKey;
  const dirty = Object.keys(patch).length > 0;
  const canSave = dirty && !keyError && !portError && !busy;

  const save = async (event: Event) => {
    event.preventDefault();
    if (!canSave) return;
    setBusy(true);
    setMessage(null);
    const reply = await client.request('config.update', patch);
    setBusy(false);
    if (!reply.ok) return setMessage({ kind: 'error', text: reply.error.message });
    setMessage({ kind: 'ok', text: 'Saved' });
    onConfig(reply.result);
  };

  const generate = async () => {
    setBusy(true);
    setMessage(null);
    const reply = await client.request('apiKey.generate');
    setBusy(false);
    if (!reply.ok) return setMessage({ kind: 'error', text: reply.error.message });
    setMessage({ kind: 'ok', text: 'New key generated and saved' });
    setApiKey(reply.result.api_key); // replaces an edit in progress too: the user asked for a new key
    onConfig(reply.result);
  };

  return (
    <section id="settings" class="card" aria-labelledby="settings-title">
      <h2 id="settings-title">Settings</h2>
      <form onSubmit={save} noValidate>
        <div class="field">
          <label for="port">Port</label>
          <input
            id="port"
            type="number"
            inputMode="numeric"
            min={1024}
            max={65535}
            value={port}
            disabled={running}
            aria-invalid={portError ? true : undefined}
            aria-describedby={running ? 'port-hint' : portError ? 'port-error' : undefined}
            onInput={(e) => setPort(e.currentTarget.value)}
          />
          {running && (
            <p id="port-hint" class="hint">
              Stop the proxy to change the port.
            </p>
          )}
          {portError && (
            <p id="port-error" class="error">
              {portError}
            </p>
          )}
        </div>

        <div class="field checkbox">
          <input id="allow-lan" type="checkbox" checked={allowLan} onChange={(e) => setAllowLan(e.currentTarget.checked)} />
          <label for="allow-lan">Allow LAN access (listen on 0.0.0.0)</label>
        </div>
        {allowLan && authMode === 'off' && (
          <div id="lan-warning" class="warning" role="alert">
            <p>With LAN access on and auth off, anyone on your network can use your accounts.</p>
            <button id="lan-require-key" type="button" class="small" onClick={() => setAuthMode('all_except_health')}>
              Require the key (all_except_health)
            </button>
          </div>
        )}

        <div class="field">
          <label for="auth-mode">Auth mode</label>
          <select id="auth-mode" value={authMode} onChange={(e) => setAuthMode(e.currentTarget.value)}>
            {AUTH_MODES.map((mode) => (
              <option key={mode} value={mode}>
                {AUTH_MODE_LABELS[mode]}
              </option>
            ))}
          </select>
        </div>

        <div class="field">
          <label for="api-key">API key</label>
          <input
            id="api-key"
            type="text"
            autocomplete="off"
            spellcheck={false}
            value={apiKey}
            aria-invalid={keyError ? true : undefined}
            aria-describedby={keyError ? 'api-key-error' : undefined}
            onInput={(e) => setApiKey(e.currentTarget.value)}
          />
          {keyError && (
            <p id="api-key-error" class="error">
              {keyError}
            </p>
          )}
          <div class="row">
            <button id="generate-api-key" type="button" class="secondary small" disabled={busy} onClick={generate}>
              Generate
            </button>
            <CopyButton id="copy-api-key" text={apiKey} />
          </div>
        </div>

        <div class="row actions">
          <button id="save-settings" type="submit" class="primary" disabled={!canSave}>
            {busy ? 'Saving…' : 'Save'}
          </button>
          {message && (
            <span id={message.kind === 'ok' ? 'settings-saved' : 'settings-error'} class={message.kind} role="status">
              {message.text}
            </span>
          )}
        </div>
      </form>
    </section>
  );
}
