import { readFileSync } from 'node:fs';
import { randomBytes } from 'node:crypto';
import { writeFileAtomic } from './atomic-file.js';
import { dataFile, ensureDataDir } from './data-dir.js';

/** The per-install secret a control client must present. Created once, mode 0600. */
export function ensureControlToken(dataDir: string): string {
  const existing = readControlToken(dataDir);
  if (existing) return existing;
  ensureDataDir(dataDir);
  const token = randomBytes(32).toString('hex');
  writeFileAtomic(dataFile(dataDir, 'controlToken'), `${token}\n`);
  return token;
}

export function readControlToken(dataDir: string): string | undefined {
  try {
    const token = readFileSync(dataFile(dataDir, 'controlToken'), 'utf8').trim();
    return token.length >= 32 ? token : undefined;
  } catch {
    return undefined;
  }
}
