import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createServer as createHttpServer, type Server as HttpServer } from 'node:http';
import { createServer, type Server } from 'node:net';
import type { AddressInfo } from 'node:net';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import OpenAI from 'openai';
import type { BrowserContext, Page, Worker } from 'playwright-core';
import { EXTENSION_ID } from '../../shared/extension-identity.js';
import type { FakeOpenAIUpstream } from '../fakes/fake-openai-upstream.js';
import { runCli } from '../helpers/cli-process.js';
import { freePort, makeTempHome } from '../helpers/temp-home.js';
import { ARTIFACTS_DIR, chromiumOrSkipReason, killDaemonOf, launchWithExtension, requireExtensionBuild } from './chromium.js';
import { fiveAccountsOnFakeUpstream, HOT_MODEL, LABELS, openPopup, POPUP, renderedSize } from './five-accounts.js';

const browser = chromiumOrSkipReason();

/**
 * The toolbar popup, options page and badge in headless Chromium with the real native host and
 * daemon (started by the browser as for a user), five accounts on a fake OpenAI upstream.
 *
 * What this cannot cover: the popup is driven as a page in a tab (Playwright does not expose the
 * real toolbar popup), so its "active tab" is named with `popup.html?site=<url>` — headless
 * Chromium cannot make the user gesture that grants activeTab (chrome.action.openPopup() and the
 * action's keyboard shortcut do not grant it). The activeTab read itself is unit-tested
 * (extension/tests/active-site.test.ts).
 */
describe.skipIf('skip' in browser)('toolbar: popup that fits, badge, Allow this site (Chromium, real native host)', () => {
  let home: ReturnType<typeof makeTempHome>;
  let profile: ReturnType<typeof makeTempHome>;
  let upstream: FakeOpenAIUpstream;
  let site: HttpServer;
  let siteOrigin: string;
  let context: BrowserContext;
  let worker: Worker;
  let popup: Page;
  let proxyPort: number;

  beforeAll(async () => {
    requireExtensionBuild();
    home = makeTempHome('localgate-e2e-toolbar-home-');
    profile = makeTempHome('localgate-e2e-toolbar-profile-');
    ({ upstream, proxyPort } = await fiveAccountsOnFakeUpstream(home.dir));
    expect((await runCli(home.dir, ['install-native-host', '--browser', 'chromium', '--user-data-dir', profile.dir])).code).toBe(0);

    // A web tool on a non-loopback name (tool.test → 127.0.0.1) that calls the proxy with fetch.
    site = createHttpServer((_request, response) => response.writeHead(200, { 'content-type': 'text/html' }).end('<title>a web AI tool</title><p>tool</p>'));
    await new Promise<void>((resolve) => site.listen(0, '127.0.0.1', () => resolve()));
    siteOrigin = `http://tool.test:${(site.address() as AddressInfo).port}`;

    context = await launchWithExtension((browser as { executable: string }).executable, profile.dir, { ...process.env, LOCALGATE_HOME: home.dir }, [
      '--host-resolver-rules=MAP tool.test 127.0.0.1',
      '--no-proxy-server',
      // The texts below are English (other languages: i18n.e2e.test.ts).
      '--lang=en-US',
    ]);
    worker = context.serviceWorkers()[0] ?? (await context.waitForEvent('serviceworker'));
    popup = await openPopup(context);
  }, 60_000);

  afterAll(async () => {
    await context?.close();
    if (home) killDaemonOf(home.dir);
    await upstream?.close();
    if (site) {
      site.closeAllConnections();
      await new Promise((resolve) => site.close(resolve));
    }
    home?.cleanup();
    profile?.cleanup();
  });

  const state = () => popup.locator('#proxy-state');
  const toggle = () => popup.locator('#toggle-proxy');
  const line = (label: string) => popup.locator('[data-testid="account"]').filter({ has: popup.locator('.account-label', { hasText: new RegExp(`^${label}$`) }) });
  const hotState = () => line('hot').locator('[data-testid="account-state"]').textContent();
  const badge = () =>
    worker.evaluate(async () => {
      const { action } = (globalThis as unknown as { chrome: { action: { getBadgeText(details: object): Promise<string>; getTitle(details: object): Promise<string> } } }).chrome;
      return { text: await action.getBadgeText({}), title: await action.getTitle({}) };
    });
  const chatHot = () => new OpenAI({ baseURL: `http://127.0.0.1:${proxyPort}/v1`, apiKey: 'any', maxRetries: 0 }).chat.completions.create({ model: HOT_MODEL, messages: [{ role: 'user', content: 'hi' }] });

  it('fits: five accounts, one line each, no scrolling within 600 px, and the API key is nowhere', async () => {
    await expect.poll(() => state().textContent(), { timeout: 20_000 }).toBe('running');
    await expect.poll(() => popup.locator('[data-testid="account"]').count(), { timeout: 10_000 }).toBe(5);
    expect(await popup.locator('#accounts-ready').textContent()).toBe('5 of 5 accounts ready');
    const size = await renderedSize(popup);
    expect(size.height).toBeLessThanOrEqual(POPUP.maxHeight);
    expect(size.width).toBeLessThanOrEqual(POPUP.width);
    for (const label of LABELS) expect(await line(label).boundingBox().then((box) => box!.height)).toBeLessThan(40);
    const apiKey = JSON.parse(readFileSync(path.join(home.dir, 'config.json'), 'utf8')).api_key as string;
    expect(await popup.locator('body').innerText()).not.toContain(apiKey);
    expect(await popup.locator('form, input').count()).toBe(0);
    await popup.screenshot({ path: path.join(ARTIFACTS_DIR, 'popup-5-accounts.png'), fullPage: true });
    console.info(`popup rendered ${size.width} × ${size.height} px with 5 accounts`);
  });

  it('the badge shows the port while running, and Stop / Start from the popup change it', async () => {
    await expect.poll(badge, { timeout: 10_000 }).toEqual({ text: String(proxyPort), title: `Localgate: running on http://127.0.0.1:${proxyPort}` });
    await toggle().click();
    await expect.poll(() => state().textContent(), { timeout: 10_000 }).toBe('stopped');
    await expect.poll(badge, { timeout: 10_000 }).toEqual({ text: 'off', title: 'Localgate: stopped' });
  });

  it('a start that fails shows "error" with its message, in the popup and on the badge', async () => {
    const blocker: Server = createServer();
    await new Promise<void>((resolve) => blocker.listen(proxyPort, '127.0.0.1', () => resolve()));
    try {
      await toggle().click();
      await expect.poll(() => state().textContent(), { timeout: 10_000 }).toBe('error');
      const message = await popup.locator('#proxy-last-error').textContent();
      expect(message).toBeTruthy();
      await expect.poll(badge, { timeout: 10_000 }).toEqual({ text: '!', title: `Localgate: error — ${message}` });
    } finally {
      await new Promise<void>((resolve) => blocker.close(() => resolve()));
    }
    await toggle().click();
    await expect.poll(() => state().textContent(), { timeout: 10_000 }).toBe('running');
    await expect.poll(badge, { timeout: 10_000 }).toMatchObject({ text: String(proxyPort) });
  });

  it('the badge follows the daemon with no popup open (the port changed from the CLI)', async () => {
    await popup.close();
    const newPort = await freePort();
    const changed = await runCli(home.dir, ['config', 'set', `port=${newPort}`]);
    expect(changed.code, changed.stderr).toBe(0);
    await expect.poll(badge, { timeout: 10_000 }).toEqual({ text: String(newPort), title: `Localgate: running on http://127.0.0.1:${newPort}` });
    proxyPort = newPort;
    popup = await openPopup(context);
    await expect.poll(() => popup.locator('#proxy-address').textContent(), { timeout: 10_000 }).toBe(`http://127.0.0.1:${newPort}`);
  });

  it('a 429 puts the account to "cooling" and it comes back "ready", the popup untouched', async () => {
    await expect.poll(hotState, { timeout: 10_000 }).toBe('ready');
    upstream.queue.push({ kind: 'error', status: 429, headers: { 'retry-after': '2' } });
    await expect(chatHot()).rejects.toBeInstanceOf(OpenAI.RateLimitError);
    await expect.poll(hotState, { timeout: 5_000, interval: 100 }).toMatch(/cooling until \d{1,2}:\d\d:\d\d\s[AP]M — rate limited/);
    expect(await line('hot').locator('.dot').getAttribute('class')).toMatch(/dot-(partial|cooling)/);
    await popup.screenshot({ path: path.join(ARTIFACTS_DIR, 'popup-cooling.png') });
    await expect.poll(hotState, { timeout: 10_000, interval: 200 }).toBe('ready');
    expect((await chatHot()).choices[0]?.message.content).toBe('fine');
  });

  it('Reset clears a long cooldown from the popup', async () => {
    upstream.queue.push({ kind: 'error', status: 429, headers: { 'retry-after': '600' } });
    await expect(chatHot()).rejects.toBeInstanceOf(OpenAI.RateLimitError);
    await expect.poll(hotState, { timeout: 5_000, interval: 100 }).toMatch(/cooling until/);
    await line('hot').locator('[data-testid="account-reset"]').click();
    await expect.poll(hotState, { timeout: 5_000, interval: 100 }).toBe('ready');
    expect(await line('hot').locator('[data-testid="account-reset"]').count()).toBe(0);
    expect((await chatHot()).choices[0]?.message.content).toBe('fine');
  });

  it('Allow this site: the web tool is refused before the click, answered after it, refused again after Remove', async () => {
    const tool = await context.newPage();
    await tool.goto(`${siteOrigin}/`);
    const callProxy = () =>
      tool.evaluate(async ({ url, model }) => {
        try {
          const response = await fetch(url, {
            method: 'POST',
            headers: { 'content-type': 'application/json' },
            body: JSON.stringify({ model, messages: [{ role: 'user', content: 'hi' }] }),
          });
          return `status ${response.status}`;
        } catch (error) {
          return `${(error as Error).name}`;
        }
      }, { url: `http://127.0.0.1:${proxyPort}/v1/chat/completions`, model: HOT_MODEL });
    expect(await callProxy()).toBe('TypeError');

    const forSite = await openPopup(context, `?site=${encodeURIComponent(`${siteOrigin}/some/page`)}`);
    const allow = forSite.locator('#allow-site-button');
    await expect.poll(() => allow.textContent(), { timeout: 10_000 }).toBe(`Allow ${siteOrigin} to use Localgate`);
    await forSite.screenshot({ path: path.join(ARTIFACTS_DIR, 'popup-allow-site.png'), fullPage: true });
    expect((await renderedSize(forSite)).height).toBeLessThanOrEqual(POPUP.maxHeight);
    await allow.click();
    await expect.poll(() => forSite.locator('#site-allowed').textContent(), { timeout: 10_000 }).toBe(`${siteOrigin} can use Localgate`);
    expect(JSON.parse(readFileSync(path.join(home.dir, 'config.json'), 'utf8')).cors_allowed_origins).toEqual([siteOrigin]);
    expect(await callProxy()).toBe('status 200');

    const options = await context.newPage();
    await options.goto(`chrome-extension://${EXTENSION_ID}/options.html`);
    const listed = options.locator(`[data-testid="allowed-origin"][data-origin="${siteOrigin}"]`);
    await expect.poll(() => listed.count(), { timeout: 10_000 }).toBe(1);
    await listed.locator('[data-testid="allowed-origin-remove"]').click();
    await expect.poll(() => listed.count(), { timeout: 10_000 }).toBe(0);
    expect(JSON.parse(readFileSync(path.join(home.dir, 'config.json'), 'utf8')).cors_allowed_origins).toEqual([]);
    expect(await callProxy()).toBe('TypeError');
    for (const page of [tool, forSite, options]) await page.close();
  });
});
