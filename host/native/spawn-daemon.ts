import { spawn } from 'node:child_process';
import { readFileSync, watch, type FSWatcher } from 'node:fs';
import { LocalgateError } from '../../shared/errors.js';
import { CLI_PATH } from '../package-root.js';
import { ensureControlToken } from '../store/control-token.js';
import { DATA_FILES, dataFile } from '../store/data-dir.js';
import type { DaemonFile } from '../store/daemon-file.js';
import { isProcessAlive } from '../store/process-alive.js';

/**
 * How often daemon.json is checked besides the watch on the data dir, which reports it at once
 * where the file system tells (the poll covers those that do not); one check costs a file read.
 */
const POLL_MS = 10;

/**
 * The native relay's first step, taken before it loads the rest of itself: starts the daemon
 * unless daemon.json names a live process, so the daemon's start-up overlaps the relay's. Resolves with the started daemon
 * once it can be reached, or undefined when one was running already; rejects with what went
 * wrong (the relay reports it to the extension).
 */
export async function startDaemonUnlessRunning(dataDir: string): Promise<DaemonFile | undefined> {
  if (daemonFileNamesLiveProcess(dataDir)) return undefined;
  return spawnDaemon(dataDir);
}

/**
 * Enough to decide whether to start a daemon, without loading the schemas: whoever uses the file
 * reads it validated (readLiveDaemonFile). A file that is not even this means no daemon.
 */
function daemonFileNamesLiveProcess(dataDir: string): boolean {
  try {
    const { pid } = JSON.parse(readFileSync(dataFile(dataDir, 'daemon'), 'utf8')) as { pid?: unknown };
    return Number.isInteger(pid) && isProcessAlive(pid as number);
  } catch {
    return false;
  }
}

/**
 * Starts `localgate serve` for `dataDir` as a daemon that outlives whoever started it: its own
 * session and process group (`detached`), so neither the browser's 2 s kill of the native host
 * nor a kill of the browser's process group reaches it, and `stdio: 'ignore'`, so it holds none
 * of the browser's pipes (an inherited stderr keeps the browser waiting on exit).
 * Resolves once daemon.json names a live process.
 */
export async function spawnDaemon(dataDir: string, options: { timeoutMs?: number; env?: NodeJS.ProcessEnv } = {}): Promise<DaemonFile> {
  // Made before the daemon starts, which reads the same token: made by both at once, they could differ.
  ensureControlToken(dataDir);
  const child = spawn(process.execPath, [CLI_PATH, 'serve'], {
    detached: true,
    stdio: 'ignore',
    env: { ...(options.env ?? process.env), LOCALGATE_HOME: dataDir },
  });
  child.unref();
  const deadline = Date.now() + (options.timeoutMs ?? 10_000);
  let wake = (): void => undefined;
  let exited: number | null = null;
  child.once('exit', (code) => {
    exited = code ?? -1;
    wake();
  });
  // Loaded while the daemon starts: the schemas are not needed before it could have written its file.
  const { readLiveDaemonFile } = await import('../store/daemon-file.js');
  let watcher: FSWatcher | undefined;
  try {
    // The daemon renames daemon.json into place once its proxy has started (or failed to).
    watcher = watch(dataDir, (_event, name) => name === DATA_FILES.daemon && wake());
    watcher.on('error', () => undefined);
  } catch {
    // No watching here: the poll alone.
  }
  try {
    while (Date.now() < deadline) {
      const daemon = readLiveDaemonFile(dataDir);
      if (daemon) return daemon;
      if (exited !== null) {
        // Another daemon may have won a race for this data dir; if so, use it.
        const other = readLiveDaemonFile(dataDir);
        if (other) return other;
        throw new LocalgateError('DAEMON_UNREACHABLE', `The Localgate daemon exited at start (code ${exited}); run "npx localgate serve" to see why`);
      }
      await new Promise<void>((resolve) => {
        const timer = setTimeout(resolve, POLL_MS);
        wake = () => {
          clearTimeout(timer);
          resolve();
        };
      });
    }
  } finally {
    watcher?.close();
  }
  throw new LocalgateError('DAEMON_UNREACHABLE', 'The Localgate daemon did not start within 10 s');
}
