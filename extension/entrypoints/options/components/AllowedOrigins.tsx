import { useState } from 'preact/hooks';
import { OriginSchema } from '../../../../shared/config';
import { useBackground } from '../../../components/BackgroundContext';
import type { ConfigView } from '../../../utils/types';
import type { Outcome } from '../../../utils/view-protocol';
import { describedBy, Field } from './Field';

/** The web origins allowed to call the proxy (cors_allowed_origins): each with Remove, and a field to add one. */
export function AllowedOrigins({ origins, onConfig }: { origins: string[]; onConfig(config: ConfigView): void }) {
  const client = useBackground();
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const [adding, setAdding] = useState('');
  const [addError, setAddError] = useState<string | null>(null);

  /** One message per origin (not the whole list): an origin added elsewhere meanwhile is never lost. */
  const run = async (action: () => Promise<Outcome<ConfigView>>, fail: (message: string) => void): Promise<boolean> => {
    setBusy(true);
    setError(null);
    setAddError(null);
    const reply = await action();
    setBusy(false);
    if (!reply.ok) {
      fail(reply.error.message);
      return false;
    }
    onConfig(reply.result);
    return true;
  };

  const add = async (event: Event) => {
    event.preventDefault();
    const checked = OriginSchema.safeParse(adding.trim());
    if (!checked.success) return setAddError(checked.error.issues[0]?.message ?? 'not an origin');
    if (await run(() => client.request('cors.allowOrigin', { origin: checked.data }), setAddError)) setAdding('');
  };

  return (
    <section id="allowed-origins" class="card" aria-labelledby="allowed-origins-title">
      <h2 id="allowed-origins-title">Allowed web sites</h2>
      <p class="hint">Pages on these origins may call the proxy from the browser (CORS). The toolbar popup adds the page you are on.</p>
      {origins.length === 0 ? (
        <p class="muted" id="no-allowed-origins">
          None besides local pages.
        </p>
      ) : (
        <ul class="origin-list">
          {origins.map((origin) => (
            <li key={origin} data-testid="allowed-origin" data-origin={origin}>
              <code>{origin}</code>
              <button
                type="button"
                class="secondary small"
                data-testid="allowed-origin-remove"
                disabled={busy}
                onClick={() => void run(() => client.request('cors.removeOrigin', { origin }), setError)}
              >
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
      <form class="row" onSubmit={add} noValidate>
        <Field id="add-origin" label="Allow another origin" error={addError}>
          <input
            id="add-origin"
            type="text"
            placeholder="https://chat.example.com"
            spellcheck={false}
            value={adding}
            aria-invalid={addError ? true : undefined}
            aria-describedby={describedBy({ id: 'add-origin', error: addError })}
            onInput={(e) => setAdding(e.currentTarget.value)}
          />
        </Field>
        <button id="add-origin-button" type="submit" class="secondary" disabled={busy || adding.trim() === ''}>
          Allow
        </button>
      </form>
    </section>
  );
}
