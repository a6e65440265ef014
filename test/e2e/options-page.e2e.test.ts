import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readFileSync, statSync } from 'node:fs';
import path from 'node:path';
import OpenAI from 'openai';
import type { BrowserContext, Page } from 'playwright-core';
import { EXTENSION_ID } from '../../shared/extension-identity.js';
import { startFakeOpenAIUpstream, type FakeOpenAIUpstream } from '../fakes/fake-openai-upstream.js';
import { runCli } from '../helpers/cli-process.js';
import { freePort, makeTempHome } from '../helpers/temp-home.js';
import { ARTIFACTS_DIR, chromiumOrSkipReason, killDaemonOf, launchWithExtension, requireExtensionBuild } from './chromium.js';

const browser = chromiumOrSkipReason();

/**
 * The options page in headless Chromium with the real native host and daemon (started by the
 * browser as for a user): its edit flows write the daemon's files, and what it shows follows the
 * daemon's pushes (a change made from the CLI meanwhile included).
 */
describe.skipIf('skip' in browser)('options page (Chromium, real native host)', () => {
  let home: ReturnType<typeof makeTempHome>;
  let profile: ReturnType<typeof makeTempHome>;
  let upstream: FakeOpenAIUpstream;
  let context: BrowserContext;
  let options: Page;
  let proxyPort: number;

  const config = () => JSON.parse(readFileSync(path.join(home.dir, 'config.json'), 'utf8'));
  const accountsFile = () => JSON.parse(readFileSync(path.join(home.dir, 'accounts.json'), 'utf8')).accounts as Array<Record<string, unknown>>;
  const account = (label: string) => options.locator('[data-testid="account"]').filter({ has: options.locator('.account-label', { hasText: new RegExp(`^${label}$`) }) });
  const chat = (apiKey: string) =>
    new OpenAI({ baseURL: `http://127.0.0.1:${proxyPort}/v1`, apiKey, maxRetries: 0 }).chat.completions.create({ model: 'gpt-4o-mini', messages: [{ role: 'user', content: 'hi' }] });

  beforeAll(async () => {
    requireExtensionBuild();
    home = makeTempHome('localgate-e2e-options-home-');
    profile = makeTempHome('localgate-e2e-options-profile-');
    upstream = await startFakeOpenAIUpstream();
    upstream.fallback = { kind: 'ok', text: 'served' };
    proxyPort = await freePort();
    expect((await runCli(home.dir, ['config', 'set', `port=${proxyPort}`, 'auth_mode=strict'])).code).toBe(0);
    // A key the upstream refuses: the page's Edit gives it the right one.
    const added = await runCli(home.dir, ['accounts', 'add', '--provider', 'openai', '--base-url', upstream.baseUrl, '--api-key', 'sk-wrong-upstream-key', '--label', 'work']);
    expect(added.code, added.stderr).toBe(0);
    expect((await runCli(home.dir, ['install-native-host', '--browser', 'chromium', '--user-data-dir', profile.dir])).code).toBe(0);
    context = await launchWithExtension((browser as { executable: string }).executable, profile.dir, { ...process.env, LOCALGATE_HOME: home.dir });
    await (context.serviceWorkers()[0] ?? context.waitForEvent('serviceworker'));
    options = await context.newPage();
    await options.setViewportSize({ width: 900, height: 1200 });
    await options.goto(`chrome-extension://${EXTENSION_ID}/options.html`);
  }, 60_000);

  afterAll(async () => {
    await context?.close();
    if (home) killDaemonOf(home.dir);
    await upstream?.close();
    home?.cleanup();
    profile?.cleanup();
  });

  it('says the native host carries the connection, and shows the API key masked until revealed', async () => {
    await expect.poll(() => options.locator('#connection-state').textContent(), { timeout: 20_000 }).toBe('Connected through the native host: it is installed for this browser.');
    const apiKey = config().api_key as string;
    await expect.poll(() => options.locator('#api-key').textContent(), { timeout: 10_000 }).toBe(`${apiKey.slice(0, 3)}••••••••${apiKey.slice(-4)}`);
    expect(await options.locator('body').innerText()).not.toContain(apiKey);
    await options.locator('#reveal-api-key').click();
    expect(await options.locator('#api-key').textContent()).toBe(apiKey);
    await options.locator('#reveal-api-key').click();
    await options.screenshot({ path: path.join(ARTIFACTS_DIR, 'options-page.png'), fullPage: true });
  });

  it('Test says the key is rejected; Edit gives it a new key (never shown) and a label; it serves, and Test says it works', async () => {
    const apiKey = config().api_key as string;
    // The daemon the browser started serves at once (it has an account); the upstream refuses the key.
    await expect.poll(() => chat(apiKey).catch((error: { status?: number }) => error.status ?? 'no answer'), { timeout: 20_000 }).toBe(503);
    await expect.poll(() => account('work').locator('[data-testid="account-state"]').textContent(), { timeout: 10_000 }).toMatch(/^disabled — /);

    // Test: one model-list call with the account's key, as `localgate accounts test` makes.
    await account('work').locator('[data-testid="account-test"]').click();
    await expect.poll(() => account('work').locator('[data-testid="account-test-result"]').textContent(), { timeout: 20_000 }).toMatch(/^Key rejected/);
    expect(await options.locator('body').innerText()).not.toContain('sk-wrong-upstream-key');

    await account('work').locator('[data-testid="account-edit"]').click();
    const form = options.locator('[data-testid="account-edit-form"]');
    const keyField = form.locator('input[type="password"]');
    expect(await keyField.inputValue()).toBe('');
    expect(await keyField.getAttribute('placeholder')).toMatch(/^unchanged \(/);
    await form.locator('input[id$="-label"]').fill('team');
    await keyField.fill(upstream.apiKey);
    await account('work').screenshot({ path: path.join(ARTIFACTS_DIR, 'options-account-edit.png') });
    await form.locator('[data-testid="account-edit-save"]').click();

    await expect.poll(() => account('team').locator('[data-testid="account-state"]').textContent(), { timeout: 10_000 }).toBe('ready');
    expect(accountsFile()).toMatchObject([{ label: 'team', api_key: upstream.apiKey }]);
    expect(statSync(path.join(home.dir, 'accounts.json')).mode & 0o777).toBe(0o600);
    expect(await options.locator('body').innerText()).not.toContain(upstream.apiKey);
    expect((await chat(apiKey)).choices[0]?.message.content).toBe('served');
    await account('team').locator('[data-testid="account-test"]').click();
    await expect.poll(() => account('team').locator('[data-testid="account-test-result"]').textContent(), { timeout: 20_000 }).toBe(`Works (${upstream.models.length} models)`);
  });

  it('adds an account, disables, enables and removes it, and allows a web origin, all written by the daemon', async () => {
    await options.locator('#account-provider').selectOption('anthropic');
    expect(await options.locator('#account-base-url').inputValue()).toBe('https://api.anthropic.com');
    await options.locator('#account-base-url').fill('http://127.0.0.1:9');
    await options.locator('#account-label').fill('spare');
    await options.locator('#account-api-key').fill('sk-ant-spare-key');
    await options.locator('#account-models').fill('claude-*');
    await options.locator('#add-account').click();
    await expect.poll(() => account('spare').count(), { timeout: 10_000 }).toBe(1);
    expect(accountsFile().find((a) => a.label === 'spare')).toMatchObject({ provider: 'anthropic', base_url: 'http://127.0.0.1:9', api_key: 'sk-ant-spare-key', models: ['claude-*'], enabled: true });

    await account('spare').locator('[data-testid="account-enabled"]').uncheck();
    await expect.poll(() => accountsFile().find((a) => a.label === 'spare')?.enabled, { timeout: 10_000 }).toBe(false);
    await expect.poll(() => account('spare').locator('[data-testid="account-state"]').textContent(), { timeout: 10_000 }).toMatch(/^disabled/);
    await account('spare').locator('[data-testid="account-enabled"]').check();
    await expect.poll(() => accountsFile().find((a) => a.label === 'spare')?.enabled, { timeout: 10_000 }).toBe(true);
    await account('spare').locator('[data-testid="account-remove"]').click();
    await account('spare').locator('[data-testid="account-remove-confirm"]').click();
    await expect.poll(() => account('spare').count(), { timeout: 10_000 }).toBe(0);
    expect(accountsFile().map((a) => a.label)).toEqual(['team']);

    await options.locator('#add-origin').fill('https://chat.example.app');
    await options.locator('#add-origin-button').click();
    await expect.poll(() => options.locator('[data-testid="allowed-origin"][data-origin="https://chat.example.app"]').count(), { timeout: 10_000 }).toBe(1);
    expect(config().cors_allowed_origins).toEqual(['https://chat.example.app']);
  });

  it('saves settings, and keeps an edit in progress when the CLI changes the same setting, saying so', async () => {
    await options.locator('#scheduling').selectOption('fill_first');
    await options.locator('#mapping-add').click();
    await options.locator('[data-testid="mapping-pattern"]').last().fill('claude-*');
    await options.locator('[data-testid="mapping-model"]').last().fill('gpt-4o-mini');
    await options.locator('#save-settings').click();
    await expect.poll(() => options.locator('#settings-saved').count(), { timeout: 10_000 }).toBe(1);
    expect(config()).toMatchObject({ scheduling: 'fill_first', model_mapping: { 'claude-*': 'gpt-4o-mini' } });

    await options.locator('#request-timeout-s').fill('45');
    const changed = await runCli(home.dir, ['config', 'set', 'request_timeout_s=77', 'connect_timeout_s=7']);
    expect(changed.code, changed.stderr).toBe(0);
    // The pushed config: the untouched field follows, the edited one stays and says what it became.
    await expect.poll(() => options.locator('#connect-timeout-s').inputValue(), { timeout: 10_000 }).toBe('7');
    expect(await options.locator('#request-timeout-s').inputValue()).toBe('45');
    expect(await options.locator('#request-timeout-s-changed').textContent()).toContain('Changed elsewhere to 77');
    await options.locator('#settings').screenshot({ path: path.join(ARTIFACTS_DIR, 'options-changed-elsewhere.png') });
    await options.locator('#cancel-settings').click();
    expect(await options.locator('#request-timeout-s').inputValue()).toBe('77');
    expect(await options.locator('[data-testid="changed-elsewhere"]').count()).toBe(0);
  });

  it('Regenerate saves a new key (0600): the old one is refused, the page and snippets show the new one', async () => {
    const oldKey = config().api_key as string;
    await options.locator('#regenerate-api-key').click();
    await options.locator('#regenerate-api-key-confirm').click();
    await expect.poll(() => config().api_key, { timeout: 10_000 }).not.toBe(oldKey);
    const newKey = config().api_key as string;
    expect(newKey).toMatch(/^sk-/);
    expect(statSync(path.join(home.dir, 'config.json')).mode & 0o777).toBe(0o600);
    await expect.poll(() => options.locator('#api-key').textContent(), { timeout: 10_000 }).toMatch(new RegExp(`${newKey.slice(-4)}$`));
    await options.locator('#reveal-snippet-key').click();
    expect(await options.locator('#snippet-openai-python').textContent()).toContain(`api_key="${newKey}"`);
    await expect(chat(oldKey)).rejects.toMatchObject({ status: 401 });
    expect((await chat(newKey)).choices[0]?.message.content).toBe('served');
  });
});
