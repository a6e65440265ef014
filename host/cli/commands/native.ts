import { Command } from 'commander';

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
    .action(async (caller: string[]) => (await import('../actions/native.js')).runNative(caller));
}
