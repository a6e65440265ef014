import { useState } from 'preact/hooks';
import { useBackground } from '../../../components/BackgroundContext';
import { InstallCommand } from '../../../components/InstallCommand';
import { PairingForm } from '../../../components/PairingForm';
import type { ConnectionInfo } from '../../../utils/view-protocol';
import { PAIR_COMMAND } from '../../popup/components/NativeHostMissing';

/** What the connection says about the native host. The background tries it first and pairs over WebSocket only when it is missing. */
function connectionText(info: ConnectionInfo): string {
  if (info.state === 'connected') {
    return info.transport === 'native'
      ? 'Connected through the native host: it is installed for this browser.'
      : 'Connected over the paired WebSocket: the native host is not installed for this browser.';
  }
  if (info.state === 'native-host-missing') return 'Not connected: the native host is not installed for this browser, and no pairing is stored.';
  if (info.state === 'error') return `Not connected: ${info.message ?? 'the daemon cannot be reached'}`;
  return 'Connecting…';
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
      <h2 id="connection-title">Connection</h2>
      <p id="connection-state" data-transport={info.transport ?? ''} data-state={info.state}>
        {connectionText(info)}
      </p>
      {native ? (
        <details>
          <summary>Install command (to install it again, or for another browser)</summary>
          <InstallCommand />
        </details>
      ) : (
        <>
          <p>Install the native host once from a terminal, then connect:</p>
          <InstallCommand />
          <button id="retry-native" type="button" class="primary" disabled={busy} onClick={() => void act('connection.retry')}>
            I installed it, connect
          </button>
          <h3>Or pair over WebSocket</h3>
          <p class="muted">
            With the daemon running, paste the pairing string that <code>{PAIR_COMMAND}</code> prints.
          </p>
          <PairingForm onPaired={onConnected} />
          {info.paired && (
            <button id="forget-pairing" type="button" class="secondary small" disabled={busy} onClick={() => void act('pairing.clear')}>
              Forget the pairing
            </button>
          )}
        </>
      )}
    </section>
  );
}
