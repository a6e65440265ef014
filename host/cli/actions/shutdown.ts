import { setTimeout as delay } from 'node:timers/promises';
import { LocalgateError } from '../../../shared/errors.js';
import { isProcessAlive } from '../../store/daemon-file.js';
import { resolveDataDir } from '../../store/data-dir.js';
import { connectToDaemon } from '../daemon-client.js';
import { printLine } from '../output.js';

/** In-flight proxy requests get 5 s; the rest of the shutdown is quick. */
const STOP_WAIT_MS = 15_000;

export async function runShutdown(): Promise<void> {
  const dataDir = resolveDataDir();
  const connection = await connectToDaemon(dataDir);
  if (!connection) {
    printLine(`No Localgate daemon is running for ${dataDir}`);
    return;
  }
  const { pid } = connection.daemon;
  try {
    await connection.client.request('daemon.shutdown');
  } finally {
    await connection.client.close();
  }
  const deadline = Date.now() + STOP_WAIT_MS;
  while (isProcessAlive(pid)) {
    if (Date.now() > deadline) throw new LocalgateError('TIMEOUT', `The Localgate daemon (pid ${pid}) did not stop within ${STOP_WAIT_MS / 1000} s`);
    await delay(100);
  }
  printLine(`Localgate daemon (pid ${pid}) stopped`);
}
