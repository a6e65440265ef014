import type { Account, AccountState } from '../../shared/accounts.js';
import { toAccountView } from '../service/account-view.js';
import * as edits from '../service/edits.js';
import { loadAccounts, saveAccounts } from '../store/accounts-store.js';
import { loadConfig, saveConfig } from '../store/config-store.js';
import type { SettingsTarget } from './settings-target.js';

/**
 * Without a daemon there is no pool, so an account's state is only what the file says: ready
 * when enabled, else disabled (the same words the pool uses).
 */
function fileState(account: Account): AccountState {
  return account.enabled ? { state: 'ready' } : { state: 'disabled', kind: 'by-user', reason: 'disabled by user' };
}

const view = (account: Account) => toAccountView(account, fileState(account));

/** Settings read from and written to the data files (atomically), when no daemon runs. */
export function fileSettings(dataDir: string): SettingsTarget {
  const configView = () => {
    const config = loadConfig(dataDir);
    return { ...config, model_mapping: { ...config.model_mapping } };
  };
  return {
    via: 'files',
    configView: async () => configView(),
    updateConfig: async (patch) => {
      saveConfig(dataDir, edits.applyConfigPatch(loadConfig(dataDir), patch));
      return configView();
    },
    listAccounts: async () => loadAccounts(dataDir).map(view),
    addAccount: async (input) => {
      const { accounts, added } = edits.addAccount(loadAccounts(dataDir), input);
      saveAccounts(dataDir, accounts);
      return view(added);
    },
    removeAccount: async (id) => saveAccounts(dataDir, edits.removeAccount(loadAccounts(dataDir), id)),
    setAccountEnabled: async (id, enabled) => {
      const { accounts, changed } = edits.setAccountEnabled(loadAccounts(dataDir), id, enabled);
      saveAccounts(dataDir, accounts);
      return view(changed);
    },
    updateAccount: async (id, edit) => {
      const { accounts, changed } = edits.updateAccount(loadAccounts(dataDir), id, edit);
      saveAccounts(dataDir, accounts);
      return view(changed);
    },
    // No daemon, no pool: nothing is cooling; the id is still checked so a typo is reported.
    resetAccount: async (id) => view(edits.findAccount(loadAccounts(dataDir), id)),
    testAccount: async (id) => {
      const account = edits.findAccount(loadAccounts(dataDir), id);
      // Only this command needs undici and the codecs: loaded when it runs.
      const { testAccountOnce } = await import('../pipeline/account-test.js');
      return testAccountOnce(account);
    },
  };
}
