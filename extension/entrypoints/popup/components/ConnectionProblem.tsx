import { useBackground } from '../../../components/BackgroundContext';
import { PairingForm } from '../../../components/PairingForm';
import { errorText } from '../../../utils/error-text';
import { t } from '../../../utils/i18n';
import type { ConnectionInfo } from '../../../utils/view-protocol';

/** The daemon cannot be reached: say so, offer a retry, and a fresh pairing when on WebSocket. */
export function ConnectionProblem({ info, onRetried }: { info: ConnectionInfo; onRetried(): void }) {
  const client = useBackground();
  return (
    <div id="connection-error" class="banner error-banner" role="alert">
      <p>{errorText(info) || t('daemonNotConnected')}</p>
      <button
        id="retry-connection"
        type="button"
        class="secondary small"
        onClick={async () => {
          await client.request('connection.retry');
          onRetried();
        }}
      >
        {t('retry')}
      </button>
      {info.transport === 'websocket' && (
        <>
          <p class="muted">{t('pairingMayBeStale')}</p>
          <PairingForm onPaired={onRetried} />
        </>
      )}
    </div>
  );
}
