import { useState } from 'preact/hooks';
import { BackgroundContext } from '../../components/BackgroundContext';
import { isOriginAllowed } from '../../utils/active-site';
import type { BackgroundClient } from '../../utils/background-client';
import { errorText } from '../../utils/error-text';
import { t } from '../../utils/i18n';
import type { DaemonSnapshot } from '../../utils/daemon-snapshot';
import { useDaemon } from '../../utils/use-daemon';
import { AccountList } from './components/AccountList';
import { AllowSite } from './components/AllowSite';
import { ConnectionProblem } from './components/ConnectionProblem';
import { Header } from './components/Header';
import { HealthzCheck } from './components/HealthzCheck';
import { NativeHostMissing } from './components/NativeHostMissing';

export interface AppProps {
  client: BackgroundClient;
  /** Status and config, asked for before the popup rendered (requestDaemonSnapshot). */
  firstSnapshot?: DaemonSnapshot;
  /** The web origin of the tab the popup acts on (see siteOriginOf), or null. */
  siteOrigin: string | null;
  openMonitor(): void;
  openSettings(): void;
}

export function App(props: AppProps) {
  return (
    <BackgroundContext.Provider value={props.client}>
      <Popup {...props} />
    </BackgroundContext.Provider>
  );
}

/**
 * The toolbar popup: state at a glance and the few actions that belong there. Everything shown
 * comes from useDaemon (one snapshot, then pushed status); the forms live on the options page.
 */
function Popup({ client, firstSnapshot, siteOrigin, openMonitor, openSettings }: AppProps) {
  const daemon = useDaemon(client, firstSnapshot);
  const { connection, settled, status, config } = daemon;
  const [actionError, setActionError] = useState<string | null>(null);
  const [toggling, setToggling] = useState(false);

  const toggle = async () => {
    if (!status) return;
    setToggling(true);
    setActionError(null);
    const reply = await client.request(status.proxy.state === 'running' ? 'proxy.stop' : 'proxy.start');
    setToggling(false);
    if (reply.ok) daemon.setStatus(reply.result);
    else setActionError(errorText(reply.error));
  };

  const missing =
    connection.state === 'native-host-missing' || (connection.state === 'connecting' && settled === 'native-host-missing');
  if (missing) {
    return (
      <main class="popup">
        <NativeHostMissing onConnected={() => void daemon.load()} />
      </main>
    );
  }

  const error = actionError ?? daemon.error;
  return (
    <main class="popup">
      {status ? (
        <Header status={status} busy={toggling} onToggle={toggle} />
      ) : (
        <header class="header">
          <h1>{t('extName')}</h1>
          <p id="connecting" class="muted" role="status">
            {connection.state === 'error' ? t('notConnected') : t('connecting')}
          </p>
        </header>
      )}
      {connection.state === 'error' && <ConnectionProblem info={connection} onRetried={() => void daemon.load()} />}
      {error && connection.state !== 'error' && !(status?.proxy.last_error && error === errorText(status.proxy.last_error)) && (
        <p id="popup-error" class="error banner" role="alert">
          {error}
        </p>
      )}
      {status && <HealthzCheck />}
      {status && <AccountList accounts={status.accounts} />}
      {siteOrigin &&
        config &&
        (isOriginAllowed(siteOrigin, config.cors_allowed_origins) ? (
          <p id="site-allowed" class="muted">
            {t('siteCanUse', { origin: siteOrigin })}
          </p>
        ) : (
          <AllowSite origin={siteOrigin} onConfig={daemon.setConfig} />
        ))}
      <footer class="footer">
        <button id="open-monitor" type="button" class="link" onClick={openMonitor}>
          {t('openMonitor')}
        </button>
        <button id="open-settings" type="button" class="link" onClick={openSettings}>
          {t('openSettings')}
        </button>
        {connection.transport && connection.state === 'connected' && (
          <span id="transport" class="muted">
            {connection.transport === 'native' ? t('viaNativeHost') : t('viaWebSocket')}
          </span>
        )}
      </footer>
    </main>
  );
}
