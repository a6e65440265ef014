import { generateApiKey } from '../../shared/api-key.js';
import { ProxyConfigSchema, type ProxyConfig } from '../../shared/config.js';
import { readJsonFile, writeJsonAtomic } from './atomic-file.js';
import { dataFile, ensureDataDir } from './data-dir.js';

/** Loads config.json, creating it (with a freshly generated api_key) on first run. */
export function loadConfig(dataDir: string): ProxyConfig {
  const file = dataFile(dataDir, 'config');
  const existing = readJsonFile(file, ProxyConfigSchema);
  if (existing) return existing;
  const fresh = ProxyConfigSchema.parse({ api_key: generateApiKey() });
  saveConfig(dataDir, fresh);
  return fresh;
}

export function saveConfig(dataDir: string, config: ProxyConfig): void {
  ensureDataDir(dataDir);
  writeJsonAtomic(dataFile(dataDir, 'config'), config);
}
