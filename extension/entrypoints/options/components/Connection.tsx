import { useState } from 'preact/hooks';
import { useBackground } from '../../../components/BackgroundContext';
import { InstallCommand } from '../../../components/InstallCommand';
import { PairingForm } from '../../../components/PairingForm';
import { errorText } from '../../../utils/error-text';
import { t, tParts } from '../../../utils/i18n';
import type { ConnectionInfo } from '../../../utils/view-protocol';
import { PAIR_COMMAND } from '../../popup/components/NativeHostMissing';

/** What the connection says about the native host. The background tries it first and pairs over WebSocket only when it is missing. */
function connectionText(info: ConnectionInfo): string {
  if (info.state === 'connected') {
    return info.transport === 'native' ? t('connectedNative') : t('connectedWebSocket');
  }
  if (info.state === 'native-host-missing') return t('notConnectedNoHost');
  if (info.state === 'error') return t('notConnectedBecause', { reason: errorText(info) || t('daemonCannotBeReached') });
  return t('connecting');
}

/**
 * How this browser reaches the daemon: through the native host (installed or not, with the exact
 * command that installs it here) or, as the fallback, a pairing with the daemon's WebSocket.
 */
export function Connection({ info, onConnected }: { info: ConnectionInfo; onConnected(): void }) {
  const client = useBackground();
  const [busy, setBusy] = useState(false);
  // The native host answered (connected, or it runs but the daemon failed): it is installed.
  const native = info.transport === 'native';

  const act = async (type: 'connection.retry' | 'pairing.clear') => {
    setBusy(true);
    await client.request(type);
    setBusy(false);
    onConnected();
  };

  return (
    <section id="connection" class="card" aria-labelledby="connection-title">
      <h2 id="connection-title">{t('connectionTitle')}</h2>
      <p id="connection-state" data-transport={info.transport ?? ''} data-state={info.state}>
        {connectionText(info)}
      </p>
      {native ? (
        <details>
          <summary>{t('installCommandAgain')}</summary>
          <InstallCommand />
        </details>
      ) : (
        <>
          <p>{t('installThenConnect')}</p>
          <InstallCommand />
          <button id="retry-native" type="button" class="primary" disabled={busy} onClick={() => void act('connection.retry')}>
            {t('installedConnect')}
          </button>
          <h3>{t('orPairTitle')}</h3>
          <p class="muted">{tParts('pairHintDaemonRunning', { command: <code>{PAIR_COMMAND}</code> })}</p>
          <PairingForm onPaired={onConnected} />
          {info.paired && (
            <button id="forget-pairing" type="button" class="secondary small" disabled={busy} onClick={() => void act('pairing.clear')}>
              {t('forgetPairing')}
            </button>
          )}
        </>
      )}
    </section>
  );
}
