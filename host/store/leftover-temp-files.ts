import { readdirSync, statSync, unlinkSync } from 'node:fs';
import path from 'node:path';

/** The temp names of writeFileAtomic (`.config.json.<hex>.tmp`) and of the daemon lock. */
const TEMP_NAME = /\.[0-9a-f]{12}\.tmp$/;
/** A write in flight takes milliseconds; a temp file this old was left by a killed process. */
const LEFTOVER_AGE_MS = 60_000;

/**
 * Deletes temp files a crash left between "write temp" and "rename over the target". They are
 * never read as data (only the final names are), so this is tidiness, run by the daemon once it
 * holds the lock. Young ones are left alone: a CLI editing files directly may be mid-write.
 */
export function removeLeftoverTempFiles(dataDir: string, now = Date.now()): string[] {
  const removed: string[] = [];
  let names: string[];
  try {
    names = readdirSync(dataDir);
  } catch {
    return removed;
  }
  for (const name of names) {
    if (!TEMP_NAME.test(name)) continue;
    const file = path.join(dataDir, name);
    try {
      if (now - statSync(file).mtimeMs < LEFTOVER_AGE_MS) continue;
      unlinkSync(file);
      removed.push(name);
    } catch {
      // Gone meanwhile.
    }
  }
  return removed;
}
