import type { Browser } from '../../manifest/native-host-locations.js';
import { installNativeHost, uninstallNativeHost } from '../../manifest/install-native-host.js';
import { resolveDataDir } from '../../store/data-dir.js';
import { printLine } from '../output.js';

export interface NativeHostOptions {
  browser: Browser;
  userDataDir?: string;
  extensionId?: string;
}

export function runInstallNativeHost(options: NativeHostOptions): void {
  const dataDir = resolveDataDir();
  const result = installNativeHost({
    browser: options.browser,
    dataDir,
    ...(options.userDataDir ? { userDataDir: options.userDataDir } : {}),
    ...(options.extensionId ? { extensionId: options.extensionId } : {}),
    // The browser starts the host with its own environment; bake in a custom data dir.
    ...(process.env.LOCALGATE_HOME ? { localgateHome: dataDir } : {}),
  });
  printLine(`Installed the Localgate native host for ${options.browser}: ${result.manifestPath}`);
  if (result.registryKey) printLine(`Registered ${result.registryKey}`);
  printLine('Reload the extension (or restart the browser) and open the Localgate popup.');
}

export function runUninstallNativeHost(options: NativeHostOptions): void {
  const result = uninstallNativeHost({ browser: options.browser, dataDir: resolveDataDir(), ...(options.userDataDir ? { userDataDir: options.userDataDir } : {}) });
  printLine(result.removed ? `Removed ${result.manifestPath}` : `No native host manifest at ${result.manifestPath}`);
}
