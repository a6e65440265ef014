import type { AccountTestResult, AccountView } from '../../shared/accounts.js';
import { SLOW_REQUEST_TIMEOUTS_MS } from '../../shared/control/messages.js';
import type { ConfigView } from '../service/localgate-service.types.js';
import { LocalgateError } from '../../shared/errors.js';
import { daemonLockHolder } from '../store/daemon-lock.js';
import { connectToDaemon, type ControlPayloadInput, type DaemonClient, type DaemonConnection } from './daemon-client.js';
import { fileSettings } from './file-settings.js';

/**
 * What `accounts` and `config` need, answered by the running daemon (changes apply live) or, when
 * none runs, by the data files (validated by the same pure edits the daemon uses).
 */
export interface SettingsTarget {
  /** Where changes go. */
  readonly via: 'daemon' | 'files';
  configView(): Promise<ConfigView>;
  updateConfig(patch: Record<string, unknown>): Promise<ConfigView>;
  listAccounts(): Promise<AccountView[]>;
  addAccount(input: Record<string, unknown>): Promise<AccountView>;
  removeAccount(id: string): Promise<void>;
  setAccountEnabled(id: string, enabled: boolean): Promise<AccountView>;
  /** Label, base URL, models or a new key; what is not named stays. */
  updateAccount(id: string, edit: Record<string, unknown>): Promise<AccountView>;
  /** Clears cooldowns and an upstream's disabling. Health lives in the daemon only: with files, it only checks the id. */
  resetAccount(id: string): Promise<AccountView>;
  /** One model-list call with the account's key (the daemon's, or straight from this process). */
  testAccount(id: string): Promise<AccountTestResult>;
}


function daemonSettings(client: DaemonClient): SettingsTarget {
  return {
    via: 'daemon',
    configView: () => client.request('config.get'),
    updateConfig: (patch) => client.request('config.update', patch),
    listAccounts: () => client.request('accounts.list'),
    // The daemon validates the account; the cast only lets an unchecked record through the type.
    addAccount: (input) => client.request('accounts.add', input as ControlPayloadInput<'accounts.add'>),
    removeAccount: async (id) => void (await client.request('accounts.remove', { id })),
    setAccountEnabled: (id, enabled) => client.request('accounts.setEnabled', { id, enabled }),
    updateAccount: (id, edit) => client.request('accounts.update', { ...(edit as ControlPayloadInput<'accounts.update'>), id }),
    resetAccount: (id) => client.request('accounts.reset', { id }),
    testAccount: (id) => client.request('accounts.test', { id }, { timeoutMs: SLOW_REQUEST_TIMEOUTS_MS['accounts.test'] }),
  };
}

/** How long a change waits for a daemon that is starting (it has read the files, not yet listening). */
const STARTING_DAEMON_WAIT_MS = 15_000;

/**
 * The running daemon, or — while a daemon is starting — that daemon once it listens: it has
 * already read the data files, so a change written to them now would be missed until its next
 * start. Undefined when no daemon runs or starts (the files are the target).
 */
async function connectToRunningOrStartingDaemon(dataDir: string): Promise<DaemonConnection | undefined> {
  const deadline = Date.now() + STARTING_DAEMON_WAIT_MS;
  for (;;) {
    const connection = await connectToDaemon(dataDir);
    if (connection) return connection;
    const starting = daemonLockHolder(dataDir);
    if (starting === undefined) return undefined;
    if (Date.now() > deadline) {
      throw new LocalgateError('DAEMON_UNREACHABLE', `A Localgate daemon (pid ${starting}) is starting for ${dataDir} but did not come up within ${STARTING_DAEMON_WAIT_MS / 1000} s; nothing was changed. Try again, or stop it.`);
    }
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

/** Runs `action` against the daemon of `dataDir` if one runs (or is starting), else against its files. */
export async function withSettings<T>(dataDir: string, action: (target: SettingsTarget) => Promise<T>): Promise<T> {
  const connection = await connectToRunningOrStartingDaemon(dataDir);
  if (!connection) return action(fileSettings(dataDir));
  try {
    return await action(daemonSettings(connection.client));
  } finally {
    await connection.client.close();
  }
}
