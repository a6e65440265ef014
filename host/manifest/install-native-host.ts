import { chmodSync, existsSync, mkdirSync, unlinkSync, writeFileSync } from 'node:fs';
import { execFileSync } from 'node:child_process';
import path from 'node:path';
import { EXTENSION_ID, FIREFOX_EXTENSION_ID, NATIVE_HOST_NAME } from '../../shared/extension-identity.js';
import { writeJsonAtomic } from '../store/atomic-file.js';
import { CLI_PATH } from '../package-root.js';
import { ensureDataDir } from '../store/data-dir.js';
import { manifestLocation, type Browser, type Platform } from './native-host-locations.js';

export interface InstallOptions {
  browser: Browser;
  dataDir: string;
  userDataDir?: string;
  platform?: Platform;
  homeDir?: string;
  /** Absolute path of the node binary and of bin/localgate.js; defaults: this process's. */
  nodePath?: string;
  cliPath?: string;
  /** Baked into the launcher so the browser-started host finds the same data dir. */
  localgateHome?: string;
  /** Windows only: runs `reg`; tests pass a recorder. */
  runRegistry?: (args: string[]) => void;
}

export interface InstallResult {
  manifestPath: string;
  launcherPath: string;
  registryKey?: string;
}

/** The host manifest browsers read: absolute launcher path, our extension only. */
export function nativeHostManifest(browser: Browser, launcherPath: string): Record<string, unknown> {
  const base = { name: NATIVE_HOST_NAME, description: 'Localgate native host: controls the local AI gateway', path: launcherPath, type: 'stdio' };
  return browser === 'firefox'
    ? { ...base, allowed_extensions: [FIREFOX_EXTENSION_ID] }
    : // The trailing slash is required: without it Chromium reports "host not found".
      { ...base, allowed_origins: [`chrome-extension://${EXTENSION_ID}/`] };
}

function shellQuote(value: string): string {
  return `'${value.replaceAll("'", `'\\''`)}'`;
}

/**
 * Writes the launcher the browser starts (a shell script, or a .cmd on Windows, since a manifest
 * cannot pass arguments) and the manifest that points at it; on Windows also the registry key.
 */
export function installNativeHost(options: InstallOptions): InstallResult {
  const platform = options.platform ?? (process.platform as Platform);
  const dataDir = ensureDataDir(options.dataDir);
  const nodePath = options.nodePath ?? process.execPath;
  const cliPath = options.cliPath ?? CLI_PATH;
  const location = manifestLocation({ ...options, platform, dataDir });
  const launcherDir = path.join(dataDir, 'native-host');
  mkdirSync(launcherDir, { recursive: true, mode: 0o700 });
  let launcherPath: string;
  if (platform === 'win32') {
    launcherPath = path.join(launcherDir, 'localgate-native.cmd');
    const home = options.localgateHome ? `set "LOCALGATE_HOME=${options.localgateHome}"\r\n` : '';
    writeFileSync(launcherPath, `@echo off\r\n${home}"${nodePath}" "${cliPath}" native %*\r\n`);
  } else {
    launcherPath = path.join(launcherDir, 'localgate-native.sh');
    const home = options.localgateHome ? `LOCALGATE_HOME=${shellQuote(options.localgateHome)} ` : '';
    // exec keeps one process, so the browser's pipes and kill reach the host itself.
    writeFileSync(launcherPath, `#!/bin/sh\n${home}exec ${shellQuote(nodePath)} ${shellQuote(cliPath)} native "$@"\n`);
    chmodSync(launcherPath, 0o755);
  }
  mkdirSync(location.directory, { recursive: true });
  const manifestPath = path.join(location.directory, `${NATIVE_HOST_NAME}.json`);
  writeJsonAtomic(manifestPath, nativeHostManifest(options.browser, launcherPath), 0o644);
  if (location.registryKey) {
    const run = options.runRegistry ?? ((args: string[]) => execFileSync('reg', args, { stdio: 'ignore' }));
    run(['add', `${location.registryKey}\\${NATIVE_HOST_NAME}`, '/ve', '/t', 'REG_SZ', '/d', manifestPath, '/f']);
    return { manifestPath, launcherPath, registryKey: `${location.registryKey}\\${NATIVE_HOST_NAME}` };
  }
  return { manifestPath, launcherPath };
}

/** Removes the manifest (and the registry key on Windows). Returns whether there was one. */
export function uninstallNativeHost(options: Omit<InstallOptions, 'nodePath' | 'cliPath' | 'localgateHome'>): { manifestPath: string; removed: boolean } {
  const platform = options.platform ?? (process.platform as Platform);
  const location = manifestLocation({ ...options, platform });
  const manifestPath = path.join(location.directory, `${NATIVE_HOST_NAME}.json`);
  const removed = existsSync(manifestPath);
  if (removed) unlinkSync(manifestPath);
  if (location.registryKey) {
    const run = options.runRegistry ?? ((args: string[]) => execFileSync('reg', args, { stdio: 'ignore' }));
    try {
      run(['delete', `${location.registryKey}\\${NATIVE_HOST_NAME}`, '/f']);
    } catch {
      // No key: nothing to remove.
    }
  }
  return { manifestPath, removed };
}
