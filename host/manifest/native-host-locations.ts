import os from 'node:os';
import path from 'node:path';

export const BROWSERS = ['chrome', 'chromium', 'edge', 'brave', 'firefox'] as const;
export type Browser = (typeof BROWSERS)[number];

export type Platform = 'linux' | 'darwin' | 'win32';

/**
 * Where each browser looks for a user-level native-messaging host manifest.
 * @see https://developer.chrome.com/docs/extensions/develop/concepts/native-messaging#native-messaging-host-location
 * @see https://developer.mozilla.org/en-US/docs/Mozilla/Add-ons/WebExtensions/Native_manifests#manifest_location
 * Chromium forks (Edge, Brave) follow Chrome's layout under their own profile folders.
 */
const LINUX_DIRS: Record<Browser, string> = {
  chrome: '.config/google-chrome/NativeMessagingHosts',
  chromium: '.config/chromium/NativeMessagingHosts',
  edge: '.config/microsoft-edge/NativeMessagingHosts',
  brave: '.config/BraveSoftware/Brave-Browser/NativeMessagingHosts',
  firefox: '.mozilla/native-messaging-hosts',
};

const MAC_DIRS: Record<Browser, string> = {
  chrome: 'Library/Application Support/Google/Chrome/NativeMessagingHosts',
  chromium: 'Library/Application Support/Chromium/NativeMessagingHosts',
  edge: 'Library/Application Support/Microsoft Edge/NativeMessagingHosts',
  brave: 'Library/Application Support/BraveSoftware/Brave-Browser/NativeMessagingHosts',
  firefox: 'Library/Application Support/Mozilla/NativeMessagingHosts',
};

/** On Windows the manifest can live anywhere; the browser finds it through this registry key. */
const WINDOWS_REGISTRY_KEYS: Record<Browser, string> = {
  chrome: 'HKCU\\Software\\Google\\Chrome\\NativeMessagingHosts',
  chromium: 'HKCU\\Software\\Chromium\\NativeMessagingHosts',
  edge: 'HKCU\\Software\\Microsoft\\Edge\\NativeMessagingHosts',
  brave: 'HKCU\\Software\\BraveSoftware\\Brave-Browser\\NativeMessagingHosts',
  firefox: 'HKCU\\Software\\Mozilla\\NativeMessagingHosts',
};

export interface ManifestLocation {
  /** Folder the manifest file goes in. */
  directory: string;
  /** Windows only: the registry key (without the host name) whose default value names the file. */
  registryKey?: string;
}

export function manifestLocation(options: {
  browser: Browser;
  platform: Platform;
  homeDir?: string;
  /** A browser profile started with --user-data-dir looks in <DIR>/NativeMessagingHosts (Chromium only). */
  userDataDir?: string;
  /** Windows: where our own files live (the data dir). */
  dataDir: string;
}): ManifestLocation {
  const { browser, platform } = options;
  if (options.userDataDir) {
    if (browser === 'firefox') throw new Error('--user-data-dir applies to Chromium-based browsers only');
    return { directory: path.join(path.resolve(options.userDataDir), 'NativeMessagingHosts') };
  }
  const home = options.homeDir ?? os.homedir();
  if (platform === 'win32') {
    return { directory: path.join(options.dataDir, 'native-host', browser), registryKey: WINDOWS_REGISTRY_KEYS[browser] };
  }
  return { directory: path.join(home, platform === 'darwin' ? MAC_DIRS[browser] : LINUX_DIRS[browser]) };
}
