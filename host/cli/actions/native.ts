import { isAllowedCaller } from '../../native/allowed-caller.js';
import { startDaemonUnlessRunning } from '../../native/spawn-daemon.js';
import { resolveDataDir } from '../../store/data-dir.js';

/** stdout carries framed messages only, so nothing else may ever be printed here. */
export async function runNative(caller: string[]): Promise<void> {
  const dataDir = resolveDataDir();
  // The popup waits on the daemon: it is started before the relay loads the rest of itself (the
  // WebSocket client, the schemas), so the two start-ups overlap. Never for a stranger.
  const daemonStart = isAllowedCaller(caller) ? startDaemonUnlessRunning(dataDir) : undefined;
  const { runNativeRelay } = await import('../../native/native-relay.js');
  runNativeRelay({
    dataDir,
    callerArgs: caller,
    input: process.stdin,
    output: process.stdout,
    exit: (code) => process.exit(code),
    daemonStart,
  });
}
