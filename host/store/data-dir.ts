import { mkdirSync, chmodSync } from 'node:fs';
import path from 'node:path';
import envPaths from 'env-paths';

/** The data directory: `LOCALGATE_HOME` if set, else the OS config dir (e.g. ~/.config/localgate). */
export function resolveDataDir(env: NodeJS.ProcessEnv = process.env): string {
  const override = env.LOCALGATE_HOME;
  if (override) return path.resolve(override);
  return envPaths('localgate', { suffix: '' }).config;
}

/** Creates the directory (mode 0700: it holds keys) if needed and returns it. */
export function ensureDataDir(dir: string): string {
  mkdirSync(dir, { recursive: true, mode: 0o700 });
  try {
    chmodSync(dir, 0o700);
  } catch {
    // Not ours to fix (e.g. a mount that ignores modes); the files themselves are still 0600.
  }
  return dir;
}

export const DATA_FILES = {
  config: 'config.json',
  accounts: 'accounts.json',
  controlToken: 'control-token',
  daemon: 'daemon.json',
  logs: 'logs',
} as const;

export function dataFile(dir: string, name: keyof typeof DATA_FILES): string {
  return path.join(dir, DATA_FILES[name]);
}
