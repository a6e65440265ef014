import { useBackground } from '../../../components/BackgroundContext';
import { InstallCommand } from '../../../components/InstallCommand';
import { PairingForm } from '../../../components/PairingForm';

export const PAIR_COMMAND = 'npx localgate pair';

/** Shown when the browser has no native host for us and no pairing is stored. */
export function NativeHostMissing({ onConnected }: { onConnected(): void }) {
  const client = useBackground();

  return (
    <section id="native-host-missing" class="card missing" aria-labelledby="missing-title">
      <h1 id="missing-title">Connect Localgate</h1>
      <p>The Localgate native host is not installed for this browser. Install it once from a terminal:</p>
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
        I installed it, connect
      </button>
      <hr />
      <h2>Or pair over WebSocket</h2>
      <p class="muted">
        Without the native host, paste the pairing string that <code>{PAIR_COMMAND}</code> prints.
      </p>
      <PairingForm onPaired={onConnected} />
    </section>
  );
}
