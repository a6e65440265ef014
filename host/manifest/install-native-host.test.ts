import { afterEach, describe, expect, it } from 'vitest';
import { readFileSync, statSync, existsSync } from 'node:fs';
import path from 'node:path';
import { createHash } from 'node:crypto';
import { EXTENSION_ID, EXTENSION_PUBLIC_KEY, FIREFOX_EXTENSION_ID, NATIVE_HOST_NAME } from '../../shared/extension-identity.js';
import { makeTempHome } from '../../test/helpers/temp-home.js';
import { LocalgateError } from '../../shared/errors.js';
import { installNativeHost, uninstallNativeHost, windowsLauncher } from './install-native-host.js';
import { manifestLocation } from './native-host-locations.js';

describe('native host manifests', () => {
  const homes: Array<ReturnType<typeof makeTempHome>> = [];
  afterEach(() => homes.splice(0).forEach((h) => h.cleanup()));
  const temp = () => {
    const h = makeTempHome();
    homes.push(h);
    return h.dir;
  };

  it('the committed public key yields the committed extension ID', () => {
    const digest = createHash('sha256').update(Buffer.from(EXTENSION_PUBLIC_KEY, 'base64')).digest('hex').slice(0, 32);
    const id = digest.replace(/[0-9a-f]/g, (c) => String.fromCharCode(97 + parseInt(c, 16)));
    expect(id).toBe(EXTENSION_ID);
  });

  it('installs into <user-data-dir>/NativeMessagingHosts with an absolute executable launcher', () => {
    const dataDir = temp();
    const profile = temp();
    const result = installNativeHost({ browser: 'chromium', dataDir, userDataDir: profile, nodePath: '/usr/bin/node', cliPath: '/opt/local gate/bin/localgate.js', localgateHome: dataDir });
    expect(result.manifestPath).toBe(path.join(profile, 'NativeMessagingHosts', `${NATIVE_HOST_NAME}.json`));
    const manifest = JSON.parse(readFileSync(result.manifestPath, 'utf8'));
    expect(manifest).toEqual({
      name: NATIVE_HOST_NAME,
      description: expect.any(String),
      path: result.launcherPath,
      type: 'stdio',
      allowed_origins: [`chrome-extension://${EXTENSION_ID}/`],
    });
    expect(path.isAbsolute(manifest.path)).toBe(true);
    expect(statSync(result.launcherPath).mode & 0o111).not.toBe(0);
    const launcher = readFileSync(result.launcherPath, 'utf8');
    expect(launcher).toBe(`#!/bin/sh\nLOCALGATE_HOME='${dataDir}' exec '/usr/bin/node' '/opt/local gate/bin/localgate.js' native "$@"\n`);

    expect(uninstallNativeHost({ browser: 'chromium', dataDir, userDataDir: profile })).toMatchObject({ removed: true });
    expect(existsSync(result.manifestPath)).toBe(false);
  });

  it('writes allowed_extensions for Firefox', () => {
    const dataDir = temp();
    const home = temp();
    const result = installNativeHost({ browser: 'firefox', dataDir, platform: 'linux', homeDir: home });
    expect(result.manifestPath).toBe(path.join(home, '.mozilla/native-messaging-hosts', `${NATIVE_HOST_NAME}.json`));
    expect(JSON.parse(readFileSync(result.manifestPath, 'utf8')).allowed_extensions).toEqual([FIREFOX_EXTENSION_ID]);
  });

  it('names another extension ID when given one (a store install), and refuses one of the wrong shape', () => {
    const dataDir = temp();
    const profile = temp();
    const storeId = 'abcdefghijklmnopabcdefghijklmnop';
    const result = installNativeHost({ browser: 'edge', dataDir, userDataDir: profile, extensionId: storeId });
    expect(JSON.parse(readFileSync(result.manifestPath, 'utf8')).allowed_origins).toEqual([`chrome-extension://${storeId}/`]);
    const home = temp();
    const firefox = installNativeHost({ browser: 'firefox', dataDir, platform: 'linux', homeDir: home, extensionId: '{12345678-1234-1234-1234-123456789abc}' });
    expect(JSON.parse(readFileSync(firefox.manifestPath, 'utf8')).allowed_extensions).toEqual(['{12345678-1234-1234-1234-123456789abc}']);
    expect(() => installNativeHost({ browser: 'chrome', dataDir, userDataDir: profile, extensionId: 'localgate@localgate.dev' })).toThrow(/32 letters a to p/);
    expect(() => installNativeHost({ browser: 'firefox', dataDir, platform: 'linux', homeDir: home, extensionId: 'not an id' })).toThrow(/add-on ID/);
  });

  it.each([
    ['chrome', 'linux', '.config/google-chrome/NativeMessagingHosts'],
    ['edge', 'linux', '.config/microsoft-edge/NativeMessagingHosts'],
    ['brave', 'linux', '.config/BraveSoftware/Brave-Browser/NativeMessagingHosts'],
    ['chrome', 'darwin', 'Library/Application Support/Google/Chrome/NativeMessagingHosts'],
    ['firefox', 'darwin', 'Library/Application Support/Mozilla/NativeMessagingHosts'],
  ] as const)('knows where %s on %s looks', (browser, platform, relative) => {
    expect(manifestLocation({ browser, platform, homeDir: '/home/u', dataDir: '/d' }).directory).toBe(path.join('/home/u', relative));
  });

  it('registers the manifest with `reg add` on Windows', () => {
    const dataDir = temp();
    const calls: string[][] = [];
    const result = installNativeHost({ browser: 'edge', dataDir, platform: 'win32', nodePath: 'C:\\node.exe', cliPath: 'C:\\lg\\bin\\localgate.js', runRegistry: (args) => calls.push(args) });
    expect(result.launcherPath.endsWith('localgate-native.cmd')).toBe(true);
    expect(calls).toEqual([['add', `HKCU\\Software\\Microsoft\\Edge\\NativeMessagingHosts\\${NATIVE_HOST_NAME}`, '/ve', '/t', 'REG_SZ', '/d', result.manifestPath, '/f']]);
    uninstallNativeHost({ browser: 'edge', dataDir, platform: 'win32', runRegistry: (args) => calls.push(args) });
    expect(calls[1]).toEqual(['delete', `HKCU\\Software\\Microsoft\\Edge\\NativeMessagingHosts\\${NATIVE_HOST_NAME}`, '/f']);
  });

  describe('the Windows .cmd launcher', () => {
    it('quotes every path and doubles % (cmd expands it even inside quotes)', () => {
      const launcher = windowsLauncher('C:\\Program Files\\nodejs\\node.exe', 'C:\\Users\\a&b^c\\100%\\lg\\bin\\localgate.js', 'C:\\Users\\a&b^c\\%APPDATA%\\lg');
      expect(launcher).toBe(
        '@echo off\r\n' +
          'set "LOCALGATE_HOME=C:\\Users\\a&b^c\\%%APPDATA%%\\lg"\r\n' +
          '"C:\\Program Files\\nodejs\\node.exe" "C:\\Users\\a&b^c\\100%%\\lg\\bin\\localgate.js" native %*\r\n',
      );
    });

    it('has no LOCALGATE_HOME line when none is baked in', () => {
      expect(windowsLauncher('C:\\node.exe', 'C:\\lg.js')).toBe('@echo off\r\n"C:\\node.exe" "C:\\lg.js" native %*\r\n');
    });

    it.each([
      ['node', 'C:\\no"de.exe', 'C:\\lg.js', undefined],
      ['CLI', 'C:\\node.exe', 'C:\\l"g.js', undefined],
      ['data dir', 'C:\\node.exe', 'C:\\lg.js', 'C:\\ho"me'],
      ['data dir (line break)', 'C:\\node.exe', 'C:\\lg.js', 'C:\\home\r\ndel x'],
    ])('refuses a %s path a .cmd file cannot quote', (_what, nodePath, cliPath, home) => {
      let thrown: unknown;
      try {
        windowsLauncher(nodePath, cliPath, home);
      } catch (error) {
        thrown = error;
      }
      expect(thrown).toBeInstanceOf(LocalgateError);
      expect((thrown as LocalgateError).code).toBe('UNSAFE_PATH');
      expect((thrown as LocalgateError).message).toMatch(/contains a double quote or a line break, which a \.cmd file cannot quote/);
    });

    it('is what installNativeHost writes on Windows', () => {
      const dataDir = temp();
      const nodePath = 'C:\\100% node\\node.exe';
      const result = installNativeHost({ browser: 'chrome', dataDir, platform: 'win32', nodePath, cliPath: 'C:\\lg.js', localgateHome: dataDir, runRegistry: () => undefined });
      expect(readFileSync(result.launcherPath, 'utf8')).toBe(windowsLauncher(nodePath, 'C:\\lg.js', dataDir));
      expect(readFileSync(result.launcherPath, 'utf8')).toContain('"C:\\100%% node\\node.exe"');
    });
  });
});
