import { afterEach, describe, expect, it } from 'vitest';
import { readFileSync, statSync, existsSync } from 'node:fs';
import path from 'node:path';
import { createHash } from 'node:crypto';
import { EXTENSION_ID, EXTENSION_PUBLIC_KEY, FIREFOX_EXTENSION_ID, NATIVE_HOST_NAME } from '../../shared/extension-identity.js';
import { makeTempHome } from '../../test/helpers/temp-home.js';
import { installNativeHost, uninstallNativeHost } from './install-native-host.js';
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
});
