import { unlinkSync } from 'node:fs';
import * as z from 'zod';
import { readJsonFile, writeJsonAtomic } from './atomic-file.js';
import { dataFile } from './data-dir.js';
import { isProcessAlive } from './process-alive.js';

export { isProcessAlive };

/** Where a running daemon can be reached. Written once its proxy has started (or failed to), before that is reported. */
export const DaemonFileSchema = z.object({
  pid: z.number().int(),
  control_port: z.number().int(),
  started_at: z.number(),
  version: z.string(),
});
export type DaemonFile = z.infer<typeof DaemonFileSchema>;

export function writeDaemonFile(dataDir: string, info: DaemonFile): void {
  writeJsonAtomic(dataFile(dataDir, 'daemon'), info);
}

/** The recorded daemon, only if its process is still alive (a stale file is ignored). */
export function readLiveDaemonFile(dataDir: string): DaemonFile | undefined {
  let info: DaemonFile | undefined;
  try {
    info = readJsonFile(dataFile(dataDir, 'daemon'), DaemonFileSchema);
  } catch {
    return undefined; // A torn or foreign daemon.json only means "no daemon we can reach".
  }
  if (!info || !isProcessAlive(info.pid)) return undefined;
  return info;
}

export function removeDaemonFile(dataDir: string, pid: number): void {
  const file = dataFile(dataDir, 'daemon');
  try {
    const info = readJsonFile(file, DaemonFileSchema);
    if (info && info.pid !== pid) return; // Another daemon's file: not ours to delete.
    unlinkSync(file);
  } catch {
    // Already gone.
  }
}
