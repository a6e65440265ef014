import { chmodSync, existsSync, mkdirSync, unlinkSync } from 'node:fs';
import { execFileSync } from 'node:child_process';
import path from 'node:path';
import { EXTENSION_ID, FIREFOX_EXTENSION_ID, NATIVE_HOST_NAME, extensionIdProblem } from '../../shared/extension-identity.js';
import { writeFileAtomic, writeJsonAtomic } from '../store/atomic-file.js';
import { CLI_PATH } from '../package-root.js';
import { ensureDataDir, ensurePrivateDir } from '../store/data-dir.js';
import { shellQuote } from '../store/shell-quote.js';
import { LocalgateError } from '../../shared/errors.js';
import { manifestLocation, type Browser, type Platform } from './native-host-locations.js';

export interface InstallOptions {
  browser: Browser;
  dataDir: string;
  userDataDir?: string;
  /** The extension's ID when it is not the built-in one (e.g. installed from a store). */
  extensionId?: string;
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
export function nativeHostManifest(browser: Browser, launcherPath: string, extensionId?: string): Record<string, unknown> {
  const base = { name: NATIVE_HOST_NAME, description: 'Localgate native host: controls the local AI gateway', path: launcherPath, type: 'stdio' };
  return browser === 'firefox'
    ? { ...base, allowed_extensions: [extensionId ?? FIREFOX_EXTENSION_ID] }
    : // The trailing slash is required: without it Chromium reports "host not found".
      { ...base, allowed_origins: [`chrome-extension://${extensionId ?? EXTENSION_ID}/`] };
}

/**
 * `value` as one quoted word in a .cmd file. Quotes keep spaces, `&`, `^`, `|`, `<`, `>` literal,
 * but cmd expands `%` even inside quotes, so it is doubled; a `"` (or line break) cannot be
 * escaped inside a quoted word at all, and Windows paths never contain one, so it is refused.
 */
export function cmdQuote(value: string): string {
  if (/["\r\n]/.test(value)) {
    throw new LocalgateError('UNSAFE_PATH', `Cannot write the Windows native-host launcher: the path ${JSON.stringify(value)} contains a double quote or a line break, which a .cmd file cannot quote.`);
  }
  return `"${value.replaceAll('%', '%%')}"`;
}

/** The .cmd launcher: `set "NAME=value"` quotes the whole assignment, so the value gets cmdQuote's rules too. */
export function windowsLauncher(nodePath: string, cliPath: string, localgateHome?: string): string {
  const home = localgateHome === undefined ? '' : `set ${cmdQuote(`LOCALGATE_HOME=${localgateHome}`)}\r\n`;
  return `@echo off\r\n${home}${cmdQuote(nodePath)} ${cmdQuote(cliPath)} native %*\r\n`;
}

/**
 * Writes the launcher the browser starts (a shell script, or a .cmd on Windows, since a manifest
 * cannot pass arguments) and the manifest that points at it; on Windows also the registry key.
 */
export function installNativeHost(options: InstallOptions): InstallResult {
  const platform = options.platform ?? (process.platform as Platform);
  const idProblem = options.extensionId === undefined ? null : extensionIdProblem(options.browser === 'firefox', options.extensionId);
  if (idProblem) throw new LocalgateError('INVALID_CONFIG', idProblem);
  const dataDir = ensureDataDir(options.dataDir);
  const nodePath = options.nodePath ?? process.execPath;
  const cliPath = options.cliPath ?? CLI_PATH;
  const location = manifestLocation({ ...options, platform, dataDir });
  const launcherDir = path.join(dataDir, 'native-host');
  ensurePrivateDir(launcherDir);
  let launcherPath: string;
  if (platform === 'win32') {
    launcherPath = path.join(launcherDir, 'localgate-native.cmd');
    writeFileAtomic(launcherPath, windowsLauncher(nodePath, cliPath, options.localgateHome || undefined));
  } else {
    launcherPath = path.join(launcherDir, 'localgate-native.sh');
    const home = options.localgateHome ? `LOCALGATE_HOME=${shellQuote(options.localgateHome)} ` : '';
    // Written atomically (a new file replaces whatever was there, mode included).
    // exec keeps one process, so the browser's pipes and kill reach the host itself.
    writeFileAtomic(launcherPath, `#!/bin/sh\n${home}exec ${shellQuote(nodePath)} ${shellQuote(cliPath)} native "$@"\n`, 0o755);
    chmodSync(launcherPath, 0o755);
  }
  mkdirSync(location.directory, { recursive: true });
  const manifestPath = path.join(location.directory, `${NATIVE_HOST_NAME}.json`);
  writeJsonAtomic(manifestPath, nativeHostManifest(options.browser, launcherPath, options.extensionId), 0o644);
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
