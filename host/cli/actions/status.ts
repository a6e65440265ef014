import { existsSync } from 'node:fs';
import { dataFile, resolveDataDir } from '../../store/data-dir.js';
import { printJson, printLine } from '../output.js';

/**
 * `localgate status`. Without a daemon file nothing runs, and the answer needs nothing more: the
 * control client (WebSocket, the shared schemas) loads only when there is a daemon to ask, which
 * keeps the common "is it running?" as quick as `--version`.
 */
export async function runStatus(options: { json?: boolean }): Promise<void> {
  const dataDir = resolveDataDir();
  if (existsSync(dataFile(dataDir, 'daemon')) && (await (await import('./status-of-running-daemon.js')).reportRunningDaemon(dataDir, options))) return;
  if (options.json) printJson({ daemon: { state: 'not running', data_dir: dataDir } });
  else printLine(`Daemon:   not running\nData dir: ${dataDir}`);
}
