import { BackgroundContext } from '../../components/BackgroundContext';
import type { BackgroundClient } from '../../utils/background-client';
import { proxyOrigin } from '../../utils/format';
import { useDaemon } from '../../utils/use-daemon';
import { ConnectionProblem } from '../popup/components/ConnectionProblem';
import { Accounts } from './components/Accounts';
import { AllowedOrigins } from './components/AllowedOrigins';
import { ApiKey } from './components/ApiKey';
import { Connection } from './components/Connection';
import { Settings } from './components/Settings';
import { Snippets } from './components/Snippets';

export function App({ client }: { client: BackgroundClient }) {
  return (
    <BackgroundContext.Provider value={client}>
      <OptionsPage client={client} />
    </BackgroundContext.Provider>
  );
}

/**
 * Everything to set up: proxy settings, the API key, accounts, allowed web sites, client snippets
 * and the connection. All of it shows the daemon's pushed status and config; nothing is polled.
 */
function OptionsPage({ client }: { client: BackgroundClient }) {
  const daemon = useDaemon(client);
  const { connection, status, config } = daemon;
  const reload = () => void daemon.load();
  if (connection.state === 'native-host-missing') {
    return (
      <main class="options">
        <h1>Localgate settings</h1>
        <Connection info={connection} onConnected={reload} />
      </main>
    );
  }
  return (
    <main class="options">
      <h1>Localgate settings</h1>
      {connection.state === 'error' && <ConnectionProblem info={connection} onRetried={reload} />}
      {daemon.error && (
        <p id="options-error" class="error banner" role="alert">
          {daemon.error}
        </p>
      )}
      {config && status && <Settings config={config} running={status.proxy.state === 'running'} accounts={status.accounts} onConfig={daemon.setConfig} />}
      {config && <ApiKey apiKey={config.api_key} onConfig={daemon.setConfig} />}
      {status && <Accounts accounts={status.accounts} />}
      {config && <AllowedOrigins origins={config.cors_allowed_origins} onConfig={daemon.setConfig} />}
      {status && config && (
        <Snippets origin={proxyOrigin(status.proxy)} apiKey={config.api_key} authMode={config.auth_mode} allowLan={config.allow_lan_access} />
      )}
      <Connection info={connection} onConnected={reload} />
    </main>
  );
}
