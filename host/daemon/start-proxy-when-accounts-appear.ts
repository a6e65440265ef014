import type { LocalgateApi } from '../service/localgate-service.types.js';
import type { DaemonLog } from './daemon-log.js';
import { startProxyAndReport } from './start-proxy-and-report.js';

/**
 * `serve` means "I want the proxy up". When it could not start for lack of accounts, the first
 * account that becomes active (added or enabled from the CLI or the popup) starts it, so a user
 * who follows "please add an account first" need not restart the daemon. Only that refusal
 * triggers it: a proxy stopped on purpose, or one that failed to bind, is left alone.
 * Returns the unsubscribe function.
 */
export function startProxyWhenAccountsAppear(api: LocalgateApi, log: DaemonLog): () => void {
  let starting = false;
  return api.onStatus((status) => {
    const waitingForAccounts = status.proxy.state === 'stopped' && status.proxy.last_error?.code === 'NO_ACCOUNTS';
    if (!waitingForAccounts || status.active_accounts === 0 || starting) return;
    starting = true;
    void startProxyAndReport(api, log)
      .catch((error: unknown) => log.error(`Could not start the proxy: ${(error as Error)?.message ?? String(error)}`))
      .finally(() => {
        starting = false;
      });
  });
}
