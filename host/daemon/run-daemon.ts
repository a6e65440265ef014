import { createDaemonLog } from './daemon-log.js';
import { releaseStartUpHolds } from './daemon-v8-flags.js';
import { controlPortFromEnv, startDaemon, type RunningDaemon } from './start-daemon.js';

export interface RunDaemonOptions {
  dataDir: string;
  port?: number;
  demo?: boolean;
}

/** Past this, a shutdown that hangs (a stuck socket, a leaked handle) is cut short. */
const SHUTDOWN_DEADLINE_MS = 10_000;

/**
 * `localgate serve`: runs the daemon in the foreground until SIGTERM, SIGINT (Ctrl-C, or either
 * signal sent to the whole process group) or a `daemon.shutdown` control message, then shuts
 * down gracefully: in-flight proxy requests get up to 5 s, daemon.json is removed. Resolves once
 * everything is closed; rejects if the daemon cannot start at all.
 */
export async function runDaemon(options: RunDaemonOptions): Promise<void> {
  const log = createDaemonLog();
  let daemon: RunningDaemon | undefined;
  let signalled = false;
  // Installed before starting, so a signal during startup still ends in a clean shutdown.
  const onSignal = (signal: NodeJS.Signals) => {
    log.info(`Received ${signal}, shutting down`);
    // A repeated signal (a group-wide one after a direct one) must not abort the graceful stop.
    if (signalled) return;
    signalled = true;
    void daemon?.stop();
    setTimeout(() => {
      log.error('Shutdown took too long; exiting anyway');
      process.exit(1);
    }, SHUTDOWN_DEADLINE_MS).unref();
  };
  process.on('SIGTERM', onSignal);
  process.on('SIGINT', onSignal);
  try {
    try {
      daemon = await startDaemon({ ...options, controlPort: controlPortFromEnv(), log });
    } finally {
      releaseStartUpHolds();
    }
    if (signalled) void daemon.stop();
    await daemon.stopped;
  } finally {
    process.off('SIGTERM', onSignal);
    process.off('SIGINT', onSignal);
  }
  log.info('Localgate daemon stopped');
}
