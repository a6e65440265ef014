import { Command } from 'commander';
import { resolveDataDir } from '../../store/data-dir.js';
import { runNativeRelay } from '../../native/native-relay.js';

/**
 * The entry a browser launches through the native-messaging manifest. stdout carries framed
 * messages only, so nothing else may ever be printed here.
 */
export function nativeCommand(): Command {
  return new Command('native')
    .description('Native-messaging host for the browser extension (started by the browser, not by hand).')
    .argument('[caller...]', 'what the browser passes: the caller origin (Chromium) or manifest path and add-on id (Firefox)')
    .allowUnknownOption(true)
    .helpOption(false)
    .action((caller: string[]) => {
      runNativeRelay({
        dataDir: resolveDataDir(),
        callerArgs: caller,
        input: process.stdin,
        output: process.stdout,
        exit: (code) => process.exit(code),
      });
    });
}
