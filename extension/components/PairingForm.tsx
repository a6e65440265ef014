import { useState } from 'preact/hooks';
import { PAIRING_FORMAT_HINT, parsePairingString } from '../../shared/control/pairing';
import { errorText, pairingProblemText } from '../utils/error-text';
import { t } from '../utils/i18n';
import { useBackground } from './BackgroundContext';

/** Paste the string `localgate pair` prints; the background stores it and connects with it. */
export function PairingForm({ onPaired }: { onPaired?: () => void }) {
  const client = useBackground();
  const [text, setText] = useState('');
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);

  const submit = async (event: Event) => {
    event.preventDefault();
    const parsed = parsePairingString(text);
    if (!parsed.ok) {
      setError(pairingProblemText(parsed.problem));
      return;
    }
    setBusy(true);
    setError(null);
    const reply = await client.request('pairing.set', { pairing: text.trim() });
    setBusy(false);
    if (!reply.ok) {
      setError(errorText(reply.error));
      return;
    }
    setText('');
    onPaired?.();
  };

  return (
    <form class="pairing" onSubmit={submit}>
      <label for="pairing-input">{t('pairingString')}</label>
      <div class="row">
        <input
          id="pairing-input"
          type="text"
          autocomplete="off"
          spellcheck={false}
          placeholder={PAIRING_FORMAT_HINT}
          value={text}
          aria-invalid={error ? true : undefined}
          aria-describedby={error ? 'pairing-error' : undefined}
          onInput={(e) => setText(e.currentTarget.value)}
        />
        <button id="pair-button" type="submit" disabled={busy || text.trim() === ''}>
          {t('pair')}
        </button>
      </div>
      {error && (
        <p id="pairing-error" class="error" role="alert">
          {error}
        </p>
      )}
    </form>
  );
}
