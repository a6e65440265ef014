import { useCallback, useEffect, useRef, useState } from 'preact/hooks';
import type { DaemonStatus } from '../../../shared/status';
import { BackgroundContext } from '../../components/BackgroundContext';
import type { BackgroundClient } from '../../utils/background-client';
import { proxyOrigin } from '../../utils/format';
import type { ConfigView } from '../../utils/types';
import type { ConnectionInfo } from '../../utils/view-protocol';
import { Accounts } from './components/Accounts';
import { ConnectionProblem } from './components/ConnectionProblem';
import { Header } from './components/Header';
import { HealthzCheck } from './components/HealthzCheck';
import { NativeHostMissing } from './components/NativeHostMissing';
import { Settings } from './components/Settings';
import { Snippets } from './components/Snippets';

export interface AppProps {
  client: BackgroundClient;
  openMonitor(): void;
}

export function App({ client, openMonitor }: AppProps) {
  return (
    <BackgroundContext.Provider value={client}>
      <Popup openMonitor={openMonitor} client={client} />
    </BackgroundContext.Provider>
  );
}

function Popup({ client, openMonitor }: AppProps) {
  const [connection, setConnection] = useState<ConnectionInfo>({ state: 'connecting' });
  /** The last state that was not `connecting`, so a reconnect attempt does not flash the UI. */
  const [settled, setSettled] = useState<ConnectionInfo['state'] | null>(null);
  const [status, setStatus] = useState<DaemonStatus | null>(null);
  const [config, setConfig] = useState<ConfigView | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [toggling, setToggling] = useState(false);
  const loading = useRef(false);

  const refresh = useCallback(async () => {
    if (loading.current) return;
    loading.current = true;
    const [nextStatus, nextConfig] = await Promise.all([client.request('proxy.status'), client.request('config.get')]);
    loading.current = false;
    if (nextStatus.ok) setStatus(nextStatus.result);
    if (nextConfig.ok) setConfig(nextConfig.result);
    const failed = !nextStatus.ok ? nextStatus : !nextConfig.ok ? nextConfig : null;
    setError(failed && !failed.ok ? failed.error.message : null);
  }, [client]);

  const refreshStatus = useCallback(async () => {
    const reply = await client.request('proxy.status');
    if (reply.ok) setStatus(reply.result);
  }, [client]);

  useEffect(() => {
    const offConnection = client.on('connection', setConnection);
    const offStatus = client.on('status', setStatus);
    void client.request('connection.state').then((reply) => reply.ok && setConnection(reply.result));
    void refresh();
    return () => {
      offConnection();
      offStatus();
    };
  }, [client, refresh]);

  // Coming (back) to `connected` after anything else: load what we show.
  const previous = useRef(connection.state);
  useEffect(() => {
    if (connection.state !== 'connecting') setSettled(connection.state);
    if (connection.state === 'connected' && previous.current !== 'connected') void refresh();
    previous.current = connection.state;
  }, [connection.state, refresh]);

  const toggle = async () => {
    if (!status) return;
    setToggling(true);
    setError(null);
    const reply = await client.request(status.proxy.state === 'running' ? 'proxy.stop' : 'proxy.start');
    setToggling(false);
    if (reply.ok) setStatus(reply.result);
    else setError(reply.error.message);
  };

  const missing =
    connection.state === 'native-host-missing' || (connection.state === 'connecting' && settled === 'native-host-missing');
  if (missing) {
    return (
      <main class="popup">
        <NativeHostMissing onConnected={() => void refresh()} />
      </main>
    );
  }

  const running = status?.proxy.state === 'running';
  return (
    <main class="popup">
      {status ? (
        <Header status={status} busy={toggling} onToggle={toggle} />
      ) : (
        <header class="header">
          <h1>Localgate</h1>
          <p id="connecting" class="muted" role="status">
            {connection.state === 'error' ? 'Not connected' : 'Connecting…'}
          </p>
        </header>
      )}
      {connection.state === 'error' && <ConnectionProblem info={connection} onRetried={() => void refresh()} />}
      {error && connection.state !== 'error' && error !== status?.proxy.last_error?.message && (
        <p id="popup-error" class="error banner" role="alert">
          {error}
        </p>
      )}
      {status && <HealthzCheck />}
      {config && <Settings config={config} running={running} onConfig={setConfig} />}
      {status && <Accounts accounts={status.accounts} onChanged={() => void refreshStatus()} />}
      {status && config && (
        <Snippets
          origin={proxyOrigin(status.proxy)}
          apiKey={config.api_key}
          authMode={config.auth_mode}
          allowLan={config.allow_lan_access}
        />
      )}
      <footer class="footer">
        <button id="open-monitor" type="button" class="secondary" onClick={openMonitor}>
          Open monitor
        </button>
        {connection.transport && connection.state === 'connected' && (
          <span id="transport" class="muted">
            via {connection.transport === 'native' ? 'native host' : 'WebSocket'}
          </span>
        )}
      </footer>
    </main>
  );
}
