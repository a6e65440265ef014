import { Command, Option } from 'commander';
import { BROWSERS } from '../../manifest/native-host-locations.js';
import type { NativeHostOptions } from '../actions/install-native-host.js';

const browserOption = () => new Option('--browser <browser>', 'which browser').choices(BROWSERS).default('chrome');
const userDataDirOption = () => new Option('--user-data-dir <dir>', 'a Chromium profile started with --user-data-dir (tests, portable installs)');

export function installNativeHostCommand(): Command {
  return new Command('install-native-host')
    .description("Register the native host so the extension can start and control Localgate (writes the browser's host manifest).")
    .addOption(browserOption())
    .addOption(userDataDirOption())
    .option('--extension-id <id>', "the extension's ID when it is not the built-in one (installed from a store; the options page shows it)")
    .action(async (options: NativeHostOptions) => (await import('../actions/install-native-host.js')).runInstallNativeHost(options));
}

export function uninstallNativeHostCommand(): Command {
  return new Command('uninstall-native-host')
    .description('Remove the native host manifest for a browser.')
    .addOption(browserOption())
    .addOption(userDataDirOption())
    .action(async (options: NativeHostOptions) => (await import('../actions/install-native-host.js')).runUninstallNativeHost(options));
}
