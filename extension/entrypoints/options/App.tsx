import { BackgroundContext } from '../../components/BackgroundContext';
import type { BackgroundClient } from '../../utils/background-client';
import { proxyOrigin } from '../../utils/format';
import { useDaemon } from '../../utils/use-daemon';
import { ConnectionProblem } from '../popup/components/ConnectionProblem';
import { NativeHostMissing } from '../popup/components/NativeHostMissing';
import { Accounts } from './components/Accounts';
import { AllowedOrigins } from './components/AllowedOrigins';
import { Settings } from './components/Settings';
import { Snippets } from './components/Snippets';

export function App({ client }: { client: BackgroundClient }) {
  return (
    <BackgroundContext.Provider value={client}>
      <OptionsPage client={client} />
    </BackgroundContext.Provider>
  );
}

/** Everything to set up: proxy settings, accounts, allowed web sites, client snippets. */
function OptionsPage({ client }: { client: BackgroundClient }) {
  const daemon = useDaemon(client);
  const { connection, status, config } = daemon;
  if (connection.state === 'native-host-missing') {
    return (
      <main class="options">
        <NativeHostMissing onConnected={() => void daemon.load()} />
      </main>
    );
  }
  return (
    <main class="options">
      <h1>Localgate settings</h1>
      {connection.state === 'error' && <ConnectionProblem info={connection} onRetried={() => void daemon.load()} />}
      {daemon.error && (
        <p id="options-error" class="error banner" role="alert">
          {daemon.error}
        </p>
      )}
      {config && <Settings config={config} running={status?.proxy.state === 'running'} onConfig={daemon.setConfig} />}
      {status && <Accounts accounts={status.accounts} />}
      {config && <AllowedOrigins origins={config.cors_allowed_origins} onConfig={daemon.setConfig} />}
      {status && config && (
        <Snippets origin={proxyOrigin(status.proxy)} apiKey={config.api_key} authMode={config.auth_mode} allowLan={config.allow_lan_access} />
      )}
    </main>
  );
}
