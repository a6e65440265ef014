import { useState } from 'preact/hooks';
import { useBackground } from '../../../components/BackgroundContext';
import { errorText } from '../../../utils/error-text';
import { t, tParts } from '../../../utils/i18n';
import type { ConfigView } from '../../../utils/types';

export interface AllowSiteProps {
  /** The active tab's web origin (see siteOriginOf), not yet allowed. */
  origin: string;
  onConfig(config: ConfigView): void;
}

/** "Allow https://example.app to use Localgate": one click adds the origin to cors_allowed_origins. */
export function AllowSite({ origin, onConfig }: AllowSiteProps) {
  const client = useBackground();
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);

  const allow = async () => {
    setBusy(true);
    setError(null);
    const reply = await client.request('cors.allowOrigin', { origin });
    setBusy(false);
    if (reply.ok) onConfig(reply.result);
    else setError(errorText(reply.error));
  };

  return (
    <section id="allow-site" class="allow-site" aria-label={t('thisSite')}>
      <button id="allow-site-button" type="button" class="secondary" disabled={busy} onClick={() => void allow()}>
        {tParts('allowSite', { origin: <strong>{origin}</strong> })}
      </button>
      {error && (
        <p id="allow-site-error" class="error" role="alert">
          {error}
        </p>
      )}
    </section>
  );
}
