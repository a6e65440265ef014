import type { DaemonStatus } from '../../../../shared/status';
import { CopyButton } from '../../../components/CopyButton';
import { errorText } from '../../../utils/error-text';
import { accountsReadyText, proxyOrigin } from '../../../utils/format';
import { t } from '../../../utils/i18n';

export interface HeaderProps {
  status: DaemonStatus;
  busy: boolean;
  onToggle(): void;
}

/** Proxy state (running / stopped / error with its message), Start/Stop, the address to copy, accounts ready. */
export function Header({ status, busy, onToggle }: HeaderProps) {
  const running = status.proxy.state === 'running';
  const failed = !running && status.proxy.last_error;
  const address = proxyOrigin(status.proxy);
  return (
    <header class="header">
      <div class="header-main">
        <h1>{t('extName')}</h1>
        <span id="proxy-state" class={`state-badge ${running ? 'is-running' : failed ? 'is-error' : 'is-stopped'}`}>
          {running ? t('proxyRunning') : failed ? t('proxyError') : t('proxyStopped')}
        </span>
        <button id="toggle-proxy" type="button" class={running ? 'danger' : 'primary'} disabled={busy} onClick={onToggle}>
          {running ? t('stopProxy') : t('startProxy')}
        </button>
      </div>
      <div class="header-meta">
        <code id="proxy-address" title={running ? t('listeningOn') : t('willListenOn')}>
          {address}
        </code>
        <CopyButton id="copy-address" text={address} />
        <span id="accounts-ready">{accountsReadyText(status)}</span>
      </div>
      {failed && (
        <p id="proxy-last-error" class="error" role="alert">
          {errorText(status.proxy.last_error!)}
        </p>
      )}
    </header>
  );
}
