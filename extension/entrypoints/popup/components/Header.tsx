import type { DaemonStatus } from '../../../../shared/status';
import { activeAccountsText, proxyOrigin } from '../../../utils/format';

export interface HeaderProps {
  status: DaemonStatus;
  busy: boolean;
  onToggle(): void;
}

/** Proxy state word, Start/Stop, address and active account count. */
export function Header({ status, busy, onToggle }: HeaderProps) {
  const running = status.proxy.state === 'running';
  return (
    <header class="header">
      <div class="header-main">
        <h1>Localgate</h1>
        <span id="proxy-state" class={`state-badge ${running ? 'is-running' : 'is-stopped'}`}>
          {running ? 'running' : 'stopped'}
        </span>
        <button id="toggle-proxy" type="button" class={running ? 'danger' : 'primary'} disabled={busy} onClick={onToggle}>
          {running ? 'Stop' : 'Start'}
        </button>
      </div>
      <div class="header-meta">
        <code id="proxy-address" title={running ? 'Listening on' : 'Will listen on'}>
          {proxyOrigin(status.proxy)}
        </code>
        <span id="active-accounts">{activeAccountsText(status.active_accounts)}</span>
      </div>
      {!running && status.proxy.last_error && (
        <p id="proxy-last-error" class="error" role="alert">
          {status.proxy.last_error.message}
        </p>
      )}
    </header>
  );
}
