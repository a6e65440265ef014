import type { DaemonStatus } from '../../../shared/status.js';
import { connectToDaemon } from '../daemon-client.js';
import { printJson, printLine } from '../output.js';
import { describeAccountState } from './accounts/describe-state.js';

/**
 * Asks the daemon recorded in the data dir for its status and prints it. False when that daemon
 * is gone (a stale daemon file): the caller reports "not running".
 */
export async function reportRunningDaemon(dataDir: string, options: { json?: boolean }): Promise<boolean> {
  const connection = await connectToDaemon(dataDir);
  if (!connection) return false;
  let status: DaemonStatus;
  try {
    status = await connection.client.request('proxy.status');
  } finally {
    await connection.client.close();
  }
  const controlPort = connection.daemon.control_port;
  if (options.json) {
    printJson({ ...status, daemon: { state: 'running', ...status.daemon, control_port: controlPort } });
    return true;
  }
  printLine(describeStatus(status, controlPort));
  return true;
}

function describeStatus(status: DaemonStatus, controlPort: number): string {
  const { daemon, proxy } = status;
  const proxyLine =
    proxy.state === 'running'
      ? `running on http://${proxy.host}:${proxy.port}`
      : `stopped (configured for ${proxy.host}:${proxy.port})${proxy.last_error ? `: ${proxy.last_error.message}` : ''}`;
  const enabled = status.accounts.filter((account) => account.enabled).length;
  return [
    `Daemon:   running (pid ${daemon.pid}, version ${daemon.version}, control 127.0.0.1:${controlPort}, since ${new Date(daemon.started_at).toISOString()})`,
    `Data dir: ${daemon.data_dir}`,
    `Proxy:    ${proxyLine}`,
    `Accounts: ${status.active_accounts} active, ${enabled} enabled, ${status.accounts.length} total`,
    // Only the accounts that are not simply ready: why they rest, and until when.
    ...status.accounts
      .filter((account) => account.status.state !== 'ready' || (account.models_cooling?.length ?? 0) > 0)
      .map((account) => `          ${account.label} (${account.id}): ${describeAccountState(account)}`),
  ].join('\n');
}
