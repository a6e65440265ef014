import { Command, Option } from 'commander';
import { BROWSERS, type Browser } from '../../manifest/native-host-locations.js';
import { installNativeHost, uninstallNativeHost } from '../../manifest/install-native-host.js';
import { resolveDataDir } from '../../store/data-dir.js';
import { printLine } from '../output.js';

const browserOption = () => new Option('--browser <browser>', 'which browser').choices(BROWSERS).default('chrome');
const userDataDirOption = () => new Option('--user-data-dir <dir>', 'a Chromium profile started with --user-data-dir (tests, portable installs)');

export function installNativeHostCommand(): Command {
  return new Command('install-native-host')
    .description("Register the native host so the extension can start and control Localgate (writes the browser's host manifest).")
    .addOption(browserOption())
    .addOption(userDataDirOption())
    .action((options: { browser: Browser; userDataDir?: string }) => {
      const dataDir = resolveDataDir();
      const result = installNativeHost({
        browser: options.browser,
        dataDir,
        ...(options.userDataDir ? { userDataDir: options.userDataDir } : {}),
        // The browser starts the host with its own environment; bake in a custom data dir.
        ...(process.env.LOCALGATE_HOME ? { localgateHome: dataDir } : {}),
      });
      printLine(`Installed the Localgate native host for ${options.browser}: ${result.manifestPath}`);
      if (result.registryKey) printLine(`Registered ${result.registryKey}`);
      printLine('Reload the extension (or restart the browser) and open the Localgate popup.');
    });
}

export function uninstallNativeHostCommand(): Command {
  return new Command('uninstall-native-host')
    .description('Remove the native host manifest for a browser.')
    .addOption(browserOption())
    .addOption(userDataDirOption())
    .action((options: { browser: Browser; userDataDir?: string }) => {
      const result = uninstallNativeHost({ browser: options.browser, dataDir: resolveDataDir(), ...(options.userDataDir ? { userDataDir: options.userDataDir } : {}) });
      printLine(result.removed ? `Removed ${result.manifestPath}` : `No native host manifest at ${result.manifestPath}`);
    });
}
