import { useState } from 'preact/hooks';
import { useBackground } from '../../../components/BackgroundContext';
import type { ConfigView } from '../../../utils/types';

/** The web origins allowed to call the proxy (cors_allowed_origins), each with Remove. */
export function AllowedOrigins({ origins, onConfig }: { origins: string[]; onConfig(config: ConfigView): void }) {
  const client = useBackground();
  const [busy, setBusy] = useState<string | null>(null);
  const [error, setError] = useState<string | null>(null);

  const remove = async (origin: string) => {
    setBusy(origin);
    setError(null);
    const reply = await client.request('cors.removeOrigin', { origin });
    setBusy(null);
    if (reply.ok) onConfig(reply.result);
    else setError(reply.error.message);
  };

  return (
    <section id="allowed-origins" class="card" aria-labelledby="allowed-origins-title">
      <h2 id="allowed-origins-title">Allowed web sites</h2>
      <p class="hint">Pages on these origins may call the proxy from the browser. Add one from the toolbar popup while on its page.</p>
      {origins.length === 0 ? (
        <p class="muted" id="no-allowed-origins">
          None besides local pages.
        </p>
      ) : (
        <ul class="origin-list">
          {origins.map((origin) => (
            <li key={origin} data-testid="allowed-origin" data-origin={origin}>
              <code>{origin}</code>
              <button type="button" class="secondary small" data-testid="allowed-origin-remove" disabled={busy !== null} onClick={() => void remove(origin)}>
                Remove
              </button>
            </li>
          ))}
        </ul>
      )}
      {error && (
        <p id="allowed-origins-error" class="error" role="alert">
          {error}
        </p>
      )}
    </section>
  );
}
