import { useBackground } from '../../../components/BackgroundContext';
import { InstallCommand } from '../../../components/InstallCommand';
import { PairingForm } from '../../../components/PairingForm';
import { t, tParts } from '../../../utils/i18n';

export const PAIR_COMMAND = 'npx localgate pair';

/** Shown when the browser has no native host for us and no pairing is stored. */
export function NativeHostMissing({ onConnected }: { onConnected(): void }) {
  const client = useBackground();

  return (
    <section id="native-host-missing" class="card missing" aria-labelledby="missing-title">
      <h1 id="missing-title">{t('connectTitle')}</h1>
      <p>{t('nativeHostNotInstalled')}</p>
      <InstallCommand />
      <button
        id="retry-native"
        type="button"
        class="primary"
        onClick={async () => {
          await client.request('connection.retry');
          onConnected();
        }}
      >
        {t('installedConnect')}
      </button>
      <hr />
      <h2>{t('orPairTitle')}</h2>
      <p class="muted">{tParts('pairHint', { command: <code>{PAIR_COMMAND}</code> })}</p>
      <PairingForm onPaired={onConnected} />
    </section>
  );
}
