import { useBackground } from '../../../components/BackgroundContext';
import { PairingForm } from '../../../components/PairingForm';
import type { ConnectionInfo } from '../../../utils/view-protocol';

/** The daemon cannot be reached: say so, offer a retry, and a fresh pairing when on WebSocket. */
export function ConnectionProblem({ info, onRetried }: { info: ConnectionInfo; onRetried(): void }) {
  const client = useBackground();
  return (
    <div id="connection-error" class="banner error-banner" role="alert">
      <p>{info.message ?? 'Not connected to the Localgate daemon'}</p>
      <button
        id="retry-connection"
        type="button"
        class="secondary small"
        onClick={async () => {
          await client.request('connection.retry');
          onRetried();
        }}
      >
        Retry
      </button>
      {info.transport === 'websocket' && (
        <>
          <p class="muted">If the daemon is running, the pairing may be out of date. Paste a fresh one:</p>
          <PairingForm onPaired={onRetried} />
        </>
      )}
    </div>
  );
}
