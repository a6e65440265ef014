import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import path from 'node:path';
import OpenAI from 'openai';
import type { BrowserContext, Page, Worker } from 'playwright-core';
import { EXTENSION_ID } from '../../shared/extension-identity.js';
import type { FakeOpenAIUpstream } from '../fakes/fake-openai-upstream.js';
import { runCli } from '../helpers/cli-process.js';
import { makeTempHome } from '../helpers/temp-home.js';
import { ARTIFACTS_DIR, chromiumOrSkipReason, killDaemonOf, launchWithExtension, requireExtensionBuild } from './chromium.js';
import { fiveAccountsOnFakeUpstream, HOT_MODEL, LABELS, openPopup, POPUP, renderedSize } from './five-accounts.js';

const browser = chromiumOrSkipReason();

/** What each UI language must show for the same daemon state. */
const LANGUAGES = [
  {
    lang: 'ru',
    optionsTitle: 'Настройки Localgate',
    apiKey: 'API-ключ',
    modelCounts: ['1 модель', '0 моделей'],
    htmlLang: 'ru',
    running: 'работает',
    stop: 'Остановить',
    fiveOfFiveReady: 'В работе 5 из 5 аккаунтов',
    ready: 'готов',
    reset: 'Сбросить',
    rateLimited: /^gpt-hot: пауза до \d\d:\d\d:\d\d — лимит запросов \(HTTP 429\)$/,
    badgeTitle: (origin: string) => `Localgate: работает на ${origin}`,
    monitorTitle: 'Монитор Localgate',
    live: 'онлайн',
  },
  {
    lang: 'zh-CN',
    optionsTitle: 'Localgate 设置',
    apiKey: 'API 密钥',
    modelCounts: ['1 个模型', '0 个模型'],
    htmlLang: 'zh-CN',
    running: '运行中',
    stop: '停止',
    fiveOfFiveReady: '5 个账号中 5 个可用',
    ready: '可用',
    reset: '重置',
    rateLimited: /^gpt-hot 冷却至 \d\d:\d\d:\d\d — 请求频率受限（HTTP 429）$/,
    badgeTitle: (origin: string) => `Localgate：运行于 ${origin}`,
    monitorTitle: 'Localgate 监控',
    live: '实时',
  },
  {
    lang: 'en-US',
    optionsTitle: 'Localgate settings',
    apiKey: 'API key',
    modelCounts: ['1 model', '0 models'],
    htmlLang: 'en',
    running: 'running',
    stop: 'Stop',
    fiveOfFiveReady: '5 of 5 accounts ready',
    ready: 'ready',
    reset: 'Reset',
    rateLimited: /^gpt-hot cooling until \d{1,2}:\d\d:\d\d\s[AP]M — rate limited \(HTTP 429\)$/,
    badgeTitle: (origin: string) => `Localgate: running on ${origin}`,
    monitorTitle: 'Localgate monitor',
    live: 'live',
  },
] as const;

/** The monitor's request count, as each language says it (Russian: 1 запрос, 2 запроса, 5 запросов). */
const MONITOR_COUNT: Record<(typeof LANGUAGES)[number]['lang'], (count: number) => string> = {
  ru: (count) => `${count} ${count % 10 === 1 && count % 100 !== 11 ? 'запрос' : [2, 3, 4].includes(count % 10) && ![12, 13, 14].includes(count % 100) ? 'запроса' : 'запросов'}`,
  'zh-CN': (count) => `${count} 个请求`,
  'en-US': (count) => `${count} request${count === 1 ? '' : 's'}`,
};

/**
 * The extension's own language follows the browser's (`--lang`): Russian, Simplified Chinese and
 * English runs of the same daemon state — five accounts, one rate-limited — against the real
 * native host and daemon. The popup must still fit Chrome's 600 px with Russian's longer words.
 */
describe.skipIf('skip' in browser)('the extension speaks the browser language (Chromium --lang, real native host)', () => {
  let home: ReturnType<typeof makeTempHome>;
  let upstream: FakeOpenAIUpstream;
  let proxyPort: number;
  let requestsSent = 0;

  beforeAll(async () => {
    requireExtensionBuild();
    home = makeTempHome('localgate-e2e-i18n-home-');
    ({ upstream, proxyPort } = await fiveAccountsOnFakeUpstream(home.dir));
  }, 60_000);

  afterAll(async () => {
    if (home) killDaemonOf(home.dir);
    await upstream?.close();
    home?.cleanup();
  });

  describe.each(LANGUAGES)('--lang=$lang', (language) => {
    let profile: ReturnType<typeof makeTempHome>;
    let context: BrowserContext;
    let worker: Worker;
    let popup: Page;

    beforeAll(async () => {
      profile = makeTempHome(`localgate-e2e-i18n-profile-${language.lang}-`);
      expect((await runCli(home.dir, ['install-native-host', '--browser', 'chromium', '--user-data-dir', profile.dir])).code).toBe(0);
      context = await launchWithExtension((browser as { executable: string }).executable, profile.dir, { ...process.env, LOCALGATE_HOME: home.dir }, [`--lang=${language.lang}`]);
      worker = context.serviceWorkers()[0] ?? (await context.waitForEvent('serviceworker'));
      popup = await openPopup(context);
    }, 60_000);

    afterAll(async () => {
      await context?.close();
      profile?.cleanup();
    });

    const line = (label: string) => popup.locator('[data-testid="account"]').filter({ has: popup.locator('.account-label', { hasText: new RegExp(`^${label}$`) }) });
    const hotState = () => line('hot').locator('[data-testid="account-state"]').textContent();

    it('the popup: state, Stop, the accounts count, in the language; five accounts and the whole address still fit in 360 × 600 px', async () => {
      await expect.poll(() => popup.locator('#proxy-state').textContent(), { timeout: 20_000 }).toBe(language.running);
      await expect.poll(() => popup.locator('[data-testid="account"]').count(), { timeout: 10_000 }).toBe(5);
      expect(await popup.locator('#accounts-ready').textContent()).toBe(language.fiveOfFiveReady);
      expect(await popup.locator('#toggle-proxy').textContent()).toBe(language.stop);
      expect(await hotState()).toBe(language.ready);
      // hot serves one model, the others none of the fake upstream's (plural forms from the daemon's counts).
      const modelCount = (label: string) => line(label).locator('[data-testid="model-count"]').textContent();
      await expect.poll(() => Promise.all([modelCount('hot'), modelCount('work')]), { timeout: 10_000 }).toEqual(language.modelCounts);
      expect(await popup.evaluate(() => (globalThis as unknown as { document: { documentElement: { lang: string } } }).document.documentElement.lang)).toBe(language.htmlLang);

      const size = await renderedSize(popup);
      expect(size.height).toBeLessThanOrEqual(POPUP.maxHeight);
      expect(size.width).toBeLessThanOrEqual(POPUP.width);
      for (const label of LABELS) expect(await line(label).boundingBox().then((box) => box!.height)).toBeLessThan(40);
      // Longer words must not cut the address short (it is what a user copies into a client).
      const address = await popup.locator('#proxy-address').evaluate((element) => ({ scroll: element.scrollWidth, client: element.clientWidth }));
      expect(address.scroll).toBeLessThanOrEqual(address.client);
      await popup.screenshot({ path: path.join(ARTIFACTS_DIR, `popup-5-accounts-${language.lang}.png`), fullPage: true });
      console.info(`popup (${language.lang}) rendered ${size.width} × ${size.height} px with 5 accounts`);
    });

    it('the toolbar badge title', async () => {
      const title = () =>
        worker.evaluate(() => (globalThis as unknown as { chrome: { action: { getTitle(details: object): Promise<string> } } }).chrome.action.getTitle({}));
      await expect.poll(title, { timeout: 10_000 }).toBe(language.badgeTitle(`http://127.0.0.1:${proxyPort}`));
    });

    it('a model rate-limited on an account says so, with the time as the language writes it, and Reset (in the language) clears it', async () => {
      upstream.queue.push({ kind: 'error', status: 429, headers: { 'retry-after': '600' } });
      requestsSent += 1;
      const client = new OpenAI({ baseURL: `http://127.0.0.1:${proxyPort}/v1`, apiKey: 'any', maxRetries: 0 });
      await expect(client.chat.completions.create({ model: HOT_MODEL, messages: [{ role: 'user', content: 'hi' }] })).rejects.toBeInstanceOf(OpenAI.RateLimitError);
      await expect.poll(hotState, { timeout: 5_000, interval: 100 }).toMatch(language.rateLimited);
      const reset = line('hot').locator('[data-testid="account-reset"]');
      expect(await reset.textContent()).toBe(language.reset);
      await reset.click();
      await expect.poll(hotState, { timeout: 5_000, interval: 100 }).toBe(language.ready);
    });

    it('the options page: title and the API key section in the language', async () => {
      const options = await context.newPage();
      await options.goto(`chrome-extension://${EXTENSION_ID}/options.html`);
      await expect.poll(() => options.locator('#api-key-title').textContent(), { timeout: 10_000 }).toBe(language.apiKey);
      expect(await options.locator('h1').first().textContent()).toBe(language.optionsTitle);
      expect(await options.title()).toBe(language.optionsTitle);
      await options.screenshot({ path: path.join(ARTIFACTS_DIR, `options-${language.lang}.png`), fullPage: true });
      await options.close();
    });

    it('the monitor page: title, connection and the request count in the language', async () => {
      const monitor = await context.newPage();
      await monitor.goto(`chrome-extension://${EXTENSION_ID}/monitor.html`);
      await expect.poll(() => monitor.locator('#monitor-connection').textContent(), { timeout: 10_000 }).toBe(language.live);
      await expect.poll(() => monitor.locator('#monitor-count').textContent(), { timeout: 10_000 }).toBe(MONITOR_COUNT[language.lang](requestsSent));
      expect(await monitor.title()).toBe(language.monitorTitle);
      await monitor.screenshot({ path: path.join(ARTIFACTS_DIR, `monitor-${language.lang}.png`) });
      await monitor.close();
    });
  });
});
