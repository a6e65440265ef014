import { resolveDataDir } from '../../store/data-dir.js';
import { runNativeRelay } from '../../native/native-relay.js';

/** stdout carries framed messages only, so nothing else may ever be printed here. */
export function runNative(caller: string[]): void {
  runNativeRelay({
    dataDir: resolveDataDir(),
    callerArgs: caller,
    input: process.stdin,
    output: process.stdout,
    exit: (code) => process.exit(code),
  });
}
