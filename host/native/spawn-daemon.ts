import { spawn } from 'node:child_process';
import { LocalgateError } from '../../shared/errors.js';
import { CLI_PATH } from '../package-root.js';
import { readLiveDaemonFile, type DaemonFile } from '../store/daemon-file.js';

/** How often daemon.json is checked: a popup waits on this, and one check costs a file read. */
const POLL_MS = 10;

/**
 * Starts `localgate serve` for `dataDir` as a daemon that outlives whoever started it: its own
 * session and process group (`detached`), so neither the browser's 2 s kill of the native host
 * nor a kill of the browser's process group reaches it, and `stdio: 'ignore'`, so it holds none
 * of the browser's pipes (an inherited stderr keeps the browser waiting on exit).
 * Resolves once daemon.json names a live process.
 */
export async function spawnDaemon(dataDir: string, options: { timeoutMs?: number; env?: NodeJS.ProcessEnv } = {}): Promise<DaemonFile> {
  const child = spawn(process.execPath, [CLI_PATH, 'serve'], {
    detached: true,
    stdio: 'ignore',
    env: { ...(options.env ?? process.env), LOCALGATE_HOME: dataDir },
  });
  child.unref();
  let exited: number | null = null;
  child.once('exit', (code) => (exited = code ?? -1));
  const deadline = Date.now() + (options.timeoutMs ?? 10_000);
  while (Date.now() < deadline) {
    const daemon = readLiveDaemonFile(dataDir);
    if (daemon) return daemon;
    if (exited !== null) {
      // Another daemon may have won a race for this data dir; if so, use it.
      const other = readLiveDaemonFile(dataDir);
      if (other) return other;
      throw new LocalgateError('DAEMON_UNREACHABLE', `The Localgate daemon exited at start (code ${exited}); run "npx localgate serve" to see why`);
    }
    await new Promise((resolve) => setTimeout(resolve, POLL_MS));
  }
  throw new LocalgateError('DAEMON_UNREACHABLE', 'The Localgate daemon did not start within 10 s');
}
