import { AccountsFileSchema, type Account } from '../../shared/accounts.js';
import { readJsonFile, writeJsonAtomic } from './atomic-file.js';
import { dataFile, ensureDataDir } from './data-dir.js';

export function loadAccounts(dataDir: string): Account[] {
  return readJsonFile(dataFile(dataDir, 'accounts'), AccountsFileSchema)?.accounts ?? [];
}

export function saveAccounts(dataDir: string, accounts: readonly Account[]): void {
  ensureDataDir(dataDir);
  writeJsonAtomic(dataFile(dataDir, 'accounts'), { version: 1, accounts });
}
