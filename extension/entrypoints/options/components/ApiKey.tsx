import { useState } from 'preact/hooks';
import { useBackground } from '../../../components/BackgroundContext';
import { CopyButton } from '../../../components/CopyButton';
import { maskSecret } from '../../../utils/format';
import type { ConfigView } from '../../../utils/types';

/**
 * The key clients present to the proxy: masked until revealed, copied whole, and regenerated
 * (after a confirmation: clients holding the old key stop working) by the daemon, which saves it.
 */
export function ApiKey({ apiKey, onConfig }: { apiKey: string; onConfig(config: ConfigView): void }) {
  const client = useBackground();
  const [revealed, setRevealed] = useState(false);
  const [confirming, setConfirming] = useState(false);
  const [busy, setBusy] = useState(false);
  const [message, setMessage] = useState<{ kind: 'ok' | 'error'; text: string } | null>(null);

  const regenerate = async () => {
    setBusy(true);
    setMessage(null);
    const reply = await client.request('apiKey.generate');
    setBusy(false);
    setConfirming(false);
    if (!reply.ok) return setMessage({ kind: 'error', text: reply.error.message });
    setMessage({ kind: 'ok', text: 'New key saved. Give it to your clients.' });
    onConfig(reply.result);
  };

  return (
    <section id="api-key-section" class="card" aria-labelledby="api-key-title">
      <h2 id="api-key-title">API key</h2>
      <p class="hint">What clients send to the proxy (Authorization: Bearer, x-api-key or x-goog-api-key) when the auth mode asks for it.</p>
      <div class="command">
        <code id="api-key" data-revealed={revealed ? 'true' : 'false'}>
          {revealed ? apiKey : maskSecret(apiKey)}
        </code>
        <button id="reveal-api-key" type="button" class="secondary small" aria-pressed={revealed} onClick={() => setRevealed(!revealed)}>
          {revealed ? 'Hide' : 'Reveal'}
        </button>
        <CopyButton id="copy-api-key" text={apiKey} />
      </div>
      <div class="row actions">
        {confirming ? (
          <>
            <span class="warning-text">Clients using the current key will stop working.</span>
            <button id="regenerate-api-key-confirm" type="button" class="danger small" disabled={busy} onClick={() => void regenerate()}>
              {busy ? 'Regenerating…' : 'Regenerate the key'}
            </button>
            <button type="button" class="secondary small" disabled={busy} onClick={() => setConfirming(false)}>
              Cancel
            </button>
          </>
        ) : (
          <button id="regenerate-api-key" type="button" class="secondary small" onClick={() => setConfirming(true)}>
            Regenerate
          </button>
        )}
        {message && (
          <span id={message.kind === 'ok' ? 'api-key-saved' : 'api-key-error'} class={message.kind} role="status">
            {message.text}
          </span>
        )}
      </div>
    </section>
  );
}
