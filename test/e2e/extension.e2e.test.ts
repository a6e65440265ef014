import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createServer, connect, type Server } from 'node:net';
import { createServer as createHttpServer } from 'node:http';
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import OpenAI from 'openai';
import type { BrowserContext, Page } from 'playwright-core';
import { EXTENSION_ID, NATIVE_HOST_NAME } from '../../shared/extension-identity.js';
import { readLiveDaemonFile } from '../../host/store/daemon-file.js';
import { startFakeOpenAIUpstream, type FakeOpenAIUpstream } from '../fakes/fake-openai-upstream.js';
import { runCli } from '../helpers/cli-process.js';
import { freePort, makeTempHome } from '../helpers/temp-home.js';
import { ARTIFACTS_DIR, chromiumOrSkipReason, killDaemonOf, launchWithExtension, requireExtensionBuild } from './chromium.js';

const browser = chromiumOrSkipReason();

function tryConnect(port: number): Promise<string> {
  return new Promise((resolve) => {
    const socket = connect({ host: '127.0.0.1', port });
    socket.once('connect', () => {
      socket.destroy();
      resolve('connected');
    });
    socket.once('error', (error: NodeJS.ErrnoException) => resolve(error.code ?? 'error'));
  });
}

describe.skipIf('skip' in browser)('extension in headless Chromium with the real native host', () => {
  let home: ReturnType<typeof makeTempHome>;
  let profile: ReturnType<typeof makeTempHome>;
  let upstream: FakeOpenAIUpstream;
  let context: BrowserContext;
  let popup: Page;
  let firstPort: number;

  beforeAll(async () => {
    requireExtensionBuild();
    home = makeTempHome('localgate-e2e-home-');
    profile = makeTempHome('localgate-e2e-profile-');
    upstream = await startFakeOpenAIUpstream();
    firstPort = await freePort();
    // Set up as a user would, with the CLI (no daemon yet: these edit the files).
    expect((await runCli(home.dir, ['config', 'set', `port=${firstPort}`])).code).toBe(0);
    expect((await runCli(home.dir, ['accounts', 'add', '--provider', 'openai', '--base-url', upstream.baseUrl, '--api-key', upstream.apiKey, '--label', 'e2e upstream'])).code).toBe(0);
    const install = await runCli(home.dir, ['install-native-host', '--browser', 'chromium', '--user-data-dir', profile.dir]);
    expect(install.code, install.stderr).toBe(0);
    expect(existsSync(path.join(profile.dir, 'NativeMessagingHosts', `${NATIVE_HOST_NAME}.json`))).toBe(true);

    context = await launchWithExtension((browser as { executable: string }).executable, profile.dir, { ...process.env, LOCALGATE_HOME: home.dir });
    const worker = context.serviceWorkers()[0] ?? (await context.waitForEvent('serviceworker'));
    expect(new URL(worker.url()).host).toBe(EXTENSION_ID);
    popup = await context.newPage();
    await popup.setViewportSize({ width: 360, height: 900 });
    await popup.goto(`chrome-extension://${EXTENSION_ID}/popup.html`);
  }, 60_000);

  afterAll(async () => {
    await context?.close();
    if (home) killDaemonOf(home.dir);
    await upstream?.close();
    home?.cleanup();
    profile?.cleanup();
  });

  const state = () => popup.locator('#proxy-state');
  const toggle = () => popup.locator('#toggle-proxy');

  it('shows the proxy that the daemon started, and stops it from the popup, releasing the port', async () => {
    // The browser launched `localgate native`, which started the daemon; with an account saved, the
    // daemon started the proxy at once (as `localgate serve` does).
    await expect.poll(() => state().textContent(), { timeout: 20_000 }).toBe('running');
    expect(await toggle().textContent()).toBe('Stop');
    await toggle().click();
    await expect.poll(() => state().textContent(), { timeout: 10_000 }).toBe('stopped');
    expect(await toggle().textContent()).toBe('Start');
    expect(await tryConnect(firstPort)).toBe('ECONNREFUSED');
    // Released means another program can bind it.
    const blocker: Server = createServer();
    await new Promise<void>((resolve, reject) => {
      blocker.once('error', reject);
      blocker.listen(firstPort, '127.0.0.1', () => resolve());
    });
    await new Promise<void>((resolve) => blocker.close(() => resolve()));
  });

  it('starts the proxy from the popup, and a real OpenAI SDK request goes through it', async () => {
    await toggle().click();
    await expect.poll(() => state().textContent(), { timeout: 10_000 }).toBe('running');
    expect(await toggle().textContent()).toBe('Stop');
    expect(await popup.locator('#proxy-address').textContent()).toContain(`127.0.0.1:${firstPort}`);
    expect(await popup.locator('#accounts-ready').textContent()).toBe('1 of 1 account ready');

    upstream.fallback = { kind: 'ok', text: 'Hello through the toolbar!' };
    const client = new OpenAI({ baseURL: `http://127.0.0.1:${firstPort}/v1`, apiKey: 'any' });
    const completion = await client.chat.completions.create({ model: 'gpt-4o-mini', messages: [{ role: 'user', content: 'hi' }] });
    expect(completion.choices[0]?.message.content).toBe('Hello through the toolbar!');
    expect(upstream.requests.at(-1)?.headers.authorization).toBe(`Bearer ${upstream.apiKey}`);
    await popup.screenshot({ path: path.join(ARTIFACTS_DIR, 'popup-running.png'), fullPage: true });
  });

  it('lists requests live on the monitor page', async () => {
    const monitor = await context.newPage();
    try {
      await monitor.goto(`chrome-extension://${EXTENSION_ID}/monitor.html`);
      const rows = monitor.locator('#monitor-table [data-testid="monitor-row"]');
      await expect.poll(() => rows.count(), { timeout: 10_000 }).toBeGreaterThan(0);
      expect(await rows.first().textContent()).toContain('/v1/chat/completions');
      const before = await rows.count();
      const client = new OpenAI({ baseURL: `http://127.0.0.1:${firstPort}/v1`, apiKey: 'any' });
      await client.chat.completions.create({ model: 'live-model-name', messages: [{ role: 'user', content: 'live' }] });
      await expect.poll(() => rows.count(), { timeout: 10_000 }).toBe(before + 1);
      const newest = await rows.first().textContent();
      expect(newest).toContain('live-model-name');
      expect(newest).toContain('e2e upstream');
      expect(newest).toContain('200');
      // The stats above the table come from monitor.stats through the background, refreshed
      // (throttled) when the entry arrives.
      expect(await monitor.locator('#chart-requests [data-testid="minute-bar"]').count()).toBe(60);
      await expect.poll(() => monitor.locator('#stats-models [data-name="live-model-name"]').count(), { timeout: 10_000 }).toBe(1);
      expect(await monitor.locator('#stats-accounts [data-name="e2e upstream"]').count()).toBe(1);
      expect(await monitor.locator('#chart-latency [data-testid="latency-bar"]').count()).toBe(3);
      await monitor.screenshot({ path: path.join(ARTIFACTS_DIR, 'monitor.png') });
    } finally {
      await monitor.close();
    }
  });

  it('checks /healthz from the popup', async () => {
    await popup.locator('#check-healthz').click();
    await expect.poll(() => popup.locator('#healthz-result').textContent(), { timeout: 10_000 }).toContain('{"status":"ok"}');
    expect(await popup.locator('#healthz-result').textContent()).toMatch(/\d+(\.\d+)? ms/);
  });

  it('stops again, so the port can be changed on the options page', async () => {
    const options = await context.newPage();
    try {
      await options.goto(`chrome-extension://${EXTENSION_ID}/options.html`);
      await expect.poll(() => options.locator('#port').isDisabled(), { timeout: 10_000 }).toBe(true);
      await toggle().click();
      await expect.poll(() => state().textContent(), { timeout: 10_000 }).toBe('stopped');
      // The options page follows the pushed status: no reload.
      await expect.poll(() => options.locator('#port').isDisabled(), { timeout: 10_000 }).toBe(false);
    } finally {
      await options.close();
    }
  });

  it('changes the port while stopped (options page) and starts again on the new port (popup)', async () => {
    const newPort = await freePort();
    const options = await context.newPage();
    try {
      await options.goto(`chrome-extension://${EXTENSION_ID}/options.html`);
      await expect.poll(() => options.locator('#port').isDisabled(), { timeout: 10_000 }).toBe(false);
      await options.locator('#port').fill(String(newPort));
      await options.locator('#save-settings').click();
      await expect.poll(() => options.locator('#settings-saved').count(), { timeout: 10_000 }).toBeGreaterThan(0);
    } finally {
      await options.close();
    }
    await toggle().click();
    await expect.poll(() => state().textContent(), { timeout: 10_000 }).toBe('running');
    expect(await popup.locator('#proxy-address').textContent()).toContain(`127.0.0.1:${newPort}`);
    const response = await fetch(`http://127.0.0.1:${newPort}/healthz`);
    expect(await response.json()).toEqual({ status: 'ok' });
    expect(await tryConnect(firstPort)).toBe('ECONNREFUSED');
    const config = JSON.parse(readFileSync(path.join(home.dir, 'config.json'), 'utf8'));
    expect(config.port).toBe(newPort);
  });

  it('recovers after the service worker is stopped', async () => {
    const cdp = await context.newCDPSession(popup);
    await cdp.send('ServiceWorker.enable');
    await cdp.send('ServiceWorker.stopAllWorkers');
    await cdp.detach();
    // The open popup's port to the old worker is gone; its next action must wake a fresh worker
    // (new global state, a new native host) and still work.
    await toggle().click();
    await expect.poll(() => state().textContent(), { timeout: 10_000 }).toBe('stopped');
    await toggle().click();
    await expect.poll(() => state().textContent(), { timeout: 10_000 }).toBe('running');
    // A popup opened afresh shows the same state.
    await popup.reload();
    await expect.poll(() => state().textContent(), { timeout: 20_000 }).toBe('running');
    await popup.screenshot({ path: path.join(ARTIFACTS_DIR, 'popup.png'), fullPage: true });
  });

  it('refuses a WebSocket to the control port from an ordinary web page', async () => {
    const daemon = readLiveDaemonFile(home.dir)!;
    const site = createHttpServer((_request, response) => response.writeHead(200, { 'content-type': 'text/html' }).end('<title>evil</title>'));
    await new Promise<void>((resolve) => site.listen(0, '127.0.0.1', () => resolve()));
    const page = await context.newPage();
    try {
      await page.goto(`http://127.0.0.1:${(site.address() as { port: number }).port}/`);
      // A web page's Origin is refused at the upgrade, before the handshake could even start.
      const outcome = await page.evaluate(
        ({ port }) =>
          new Promise<string>((resolve) => {
            const socket = new WebSocket(`ws://127.0.0.1:${port}/control`, ['localgate.v2']);
            socket.onopen = () => {
              socket.send(JSON.stringify({ auth: 'hello', nonce: '0'.repeat(64) }));
              resolve('open');
            };
            socket.onerror = () => resolve('refused');
          }),
        { port: daemon.control_port },
      );
      expect(outcome).toBe('refused');
      expect((await fetch(`http://127.0.0.1:${JSON.parse(readFileSync(path.join(home.dir, 'config.json'), 'utf8')).port}/healthz`)).status).toBe(200);
    } finally {
      await page.close();
      site.closeAllConnections(); // the page's keep-alive connection would hold close() open
      await new Promise<void>((resolve) => site.close(() => resolve()));
    }
  });
});
