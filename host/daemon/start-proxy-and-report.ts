import { LocalgateError } from '../../shared/errors.js';
import type { LocalgateApi } from '../service/localgate-service.types.js';
import type { DaemonLog } from './daemon-log.js';

/**
 * Starts the proxy and says so. A refusal the user can fix (NO_ACCOUNTS, BIND_FAILED) is printed
 * with its exact message and swallowed: the daemon stays up so the popup or CLI can fix it.
 * Returns whether the proxy is running. `beforeReport` runs once the outcome is known, before it
 * is printed (the daemon writes daemon.json there: whoever waits for the message finds the file).
 */
export async function startProxyAndReport(api: LocalgateApi, log: DaemonLog, options: { demo?: boolean; beforeReport?: () => void } = {}): Promise<boolean> {
  try {
    const { proxy } = await api.startProxy();
    options.beforeReport?.();
    log.info(`Localgate proxy listening on http://${proxy.host}:${proxy.port}`);
    if (options.demo) log.info('Demo mode: a demo account answers every model with a local echo model (it repeats your last message); nothing leaves this machine.');
    return true;
  } catch (error) {
    if (!(error instanceof LocalgateError)) throw error;
    options.beforeReport?.();
    log.error(error.message);
    return false;
  }
}
