import { expect } from 'vitest';
import type { BrowserContext, Page } from 'playwright-core';
import { EXTENSION_ID } from '../../shared/extension-identity.js';
import { startFakeOpenAIUpstream, type FakeOpenAIUpstream } from '../fakes/fake-openai-upstream.js';
import { runCli } from '../helpers/cli-process.js';
import { freePort } from '../helpers/temp-home.js';

/** Chrome caps an extension popup at 800 × 600; ours is 360 px wide. */
export const POPUP = { width: 360, maxHeight: 600 };
/** The one account that serves HOT_MODEL, so a 429 on it is certain to land on it. */
export const HOT_MODEL = 'gpt-hot';
export const LABELS = ['hot', 'work', 'spare', 'team', 'night'];

/**
 * The popup tests' daemon state, written with the CLI into `homeDir`: five accounts on a fake
 * OpenAI upstream (answering "fine"), `hot` the only one serving HOT_MODEL, on a free proxy port.
 */
export async function fiveAccountsOnFakeUpstream(homeDir: string): Promise<{ upstream: FakeOpenAIUpstream; proxyPort: number }> {
  const upstream = await startFakeOpenAIUpstream();
  upstream.fallback = { kind: 'ok', text: 'fine' };
  const proxyPort = await freePort();
  expect((await runCli(homeDir, ['config', 'set', `port=${proxyPort}`])).code).toBe(0);
  for (const label of LABELS) {
    const models = label === 'hot' ? HOT_MODEL : 'other-*';
    const added = await runCli(homeDir, ['accounts', 'add', '--provider', 'openai', '--base-url', upstream.baseUrl, '--api-key', upstream.apiKey, '--label', label, '--models', models]);
    expect(added.code, added.stderr).toBe(0);
  }
  return { upstream, proxyPort };
}

/**
 * What the popup's content needs: the body's own box (a toolbar popup is sized to it), not the
 * viewport, and the widest scrolling width.
 */
export function renderedSize(page: Page): Promise<{ height: number; width: number }> {
  return page.evaluate(() => {
    type Box = { getBoundingClientRect(): { height: number }; scrollWidth: number };
    const { body, documentElement } = (globalThis as unknown as { document: { body: Box; documentElement: Box } }).document;
    return { height: Math.ceil(body.getBoundingClientRect().height), width: documentElement.scrollWidth };
  });
}

/** The popup in a tab at the popup's size (Playwright does not expose the toolbar's own); `query` e.g. `?site=…`. */
export async function openPopup(context: BrowserContext, query = ''): Promise<Page> {
  const page = await context.newPage();
  await page.setViewportSize({ width: POPUP.width, height: POPUP.maxHeight });
  await page.goto(`chrome-extension://${EXTENSION_ID}/popup.html${query}`);
  return page;
}
