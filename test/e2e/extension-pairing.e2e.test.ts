import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { BrowserContext, Page } from 'playwright-core';
import { EXTENSION_ID } from '../../shared/extension-identity.js';
import { runCli, ServeProcess } from '../helpers/cli-process.js';
import { freePort, makeTempHome } from '../helpers/temp-home.js';
import { chromiumOrSkipReason, launchWithExtension } from './chromium.js';

const browser = chromiumOrSkipReason();

describe.skipIf('skip' in browser)('extension without a native host: install hint, then the paired WebSocket fallback', () => {
  let home: ReturnType<typeof makeTempHome>;
  let profile: ReturnType<typeof makeTempHome>;
  let serve: ServeProcess;
  let context: BrowserContext;
  let popup: Page;

  beforeAll(async () => {
    home = makeTempHome('localgate-e2e-pair-home-');
    profile = makeTempHome('localgate-e2e-pair-profile-');
    expect((await runCli(home.dir, ['config', 'set', `port=${await freePort()}`])).code).toBe(0);
    serve = ServeProcess.start(home.dir, ['--demo']);
    await serve.waitForOutput('Localgate proxy listening on');
    // No install-native-host: this profile has no NativeMessagingHosts folder.
    context = await launchWithExtension((browser as { executable: string }).executable, profile.dir, { ...process.env, LOCALGATE_HOME: home.dir });
    popup = await context.newPage();
    await popup.goto(`chrome-extension://${EXTENSION_ID}/popup.html`);
  }, 60_000);

  afterAll(async () => {
    await context?.close();
    await serve?.kill();
    home?.cleanup();
    profile?.cleanup();
  });

  it('shows the one command that installs the native host', async () => {
    const screen = popup.locator('#native-host-missing');
    await expect.poll(() => screen.isVisible(), { timeout: 20_000 }).toBe(true);
    expect(await popup.locator('#install-command').textContent()).toContain('npx localgate install-native-host --browser chrome');
  });

  it('rejects a malformed pairing string with a human message', async () => {
    await popup.locator('#pairing-input').fill('ws://127.0.0.1:1/control');
    await popup.locator('#pair-button').click();
    await expect.poll(() => popup.locator('#pairing-error').textContent(), { timeout: 5_000 }).toContain('localgate-pair:');
  });

  it('pairs with the string `localgate pair` prints and then controls the daemon over the WebSocket', async () => {
    const pair = await runCli(home.dir, ['pair']);
    expect(pair.code, pair.stderr).toBe(0);
    await popup.locator('#pairing-input').fill(pair.stdout.trim());
    await popup.locator('#pair-button').click();
    await expect.poll(() => popup.locator('#proxy-state').textContent(), { timeout: 15_000 }).toBe('running');
    expect(await popup.locator('#transport').textContent()).toContain('WebSocket');
    await popup.locator('#toggle-proxy').click();
    await expect.poll(() => popup.locator('#proxy-state').textContent(), { timeout: 10_000 }).toBe('stopped');
    const status = JSON.parse((await runCli(home.dir, ['status', '--json'])).stdout);
    expect(status.proxy.state).toBe('stopped');
  });
});
