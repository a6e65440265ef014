import type { AccountTestResult, AccountView } from '../../shared/accounts.js';
import { SLOW_REQUEST_TIMEOUTS_MS } from '../../shared/control/messages.js';
import type { ConfigView } from '../service/localgate-service.types.js';
import { connectToDaemon, type ControlPayloadInput, type DaemonClient } from './daemon-client.js';
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

/** Runs `action` against the daemon of `dataDir` if one runs, else against its files. */
export async function withSettings<T>(dataDir: string, action: (target: SettingsTarget) => Promise<T>): Promise<T> {
  const connection = await connectToDaemon(dataDir);
  if (!connection) return action(fileSettings(dataDir));
  try {
    return await action(daemonSettings(connection.client));
  } finally {
    await connection.client.close();
  }
}
