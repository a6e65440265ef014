import { chmodSync, mkdirSync, statSync } from 'node:fs';
import path from 'node:path';
import envPaths from 'env-paths';
import { LocalgateError } from '../../shared/errors.js';
import { shellQuote } from './shell-quote.js';

/** The data directory: `LOCALGATE_HOME` if set, else the OS config dir (e.g. ~/.config/localgate). */
export function resolveDataDir(env: NodeJS.ProcessEnv = process.env): string {
  const override = env.LOCALGATE_HOME;
  if (override) return path.resolve(override);
  return envPaths('localgate', { suffix: '' }).config;
}

/** Creates the data directory if needed (see ensurePrivateDir) and returns it. */
export function ensureDataDir(dir: string): string {
  ensurePrivateDir(dir);
  return dir;
}

/**
 * Makes sure `dir` exists and only its owner can write into it, since it holds keys. A directory
 * Localgate creates (parents included) is made 0700. An existing one is the user's: its mode is
 * left alone, but one that group or others can write is refused (on POSIX; Windows uses ACLs),
 * because anyone who can write there could swap accounts.json or the launcher under us.
 */
export function ensurePrivateDir(dir: string, platform: NodeJS.Platform = process.platform): void {
  const firstCreated = mkdirSync(dir, { recursive: true, mode: 0o700 });
  if (firstCreated !== undefined) {
    tightenCreated(firstCreated, dir);
    return;
  }
  if (platform === 'win32') return;
  const mode = statSync(dir).mode & 0o777;
  if ((mode & 0o022) !== 0) {
    throw new LocalgateError(
      'UNSAFE_PATH',
      `Refusing to use ${dir}: other users can write to it (mode ${mode.toString(8).padStart(3, '0')}), and it holds your keys. Fix it with: chmod go-w ${shellQuote(dir)}`,
    );
  }
}

/** chmod 0700 every directory from `first` (the top one mkdir created) down to `dir`: mkdir's mode is masked by the umask. */
function tightenCreated(first: string, dir: string): void {
  const below = path.relative(first, dir).split(path.sep).filter((part) => part.length > 0);
  let current = first;
  for (const part of [undefined, ...below]) {
    if (part !== undefined) current = path.join(current, part);
    try {
      chmodSync(current, 0o700);
    } catch {
      // Not ours to fix (e.g. a mount that ignores modes); the files themselves are still 0600.
    }
  }
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
