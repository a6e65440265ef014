import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { chromium, type Browser, type Page } from 'playwright-core';
import { startFakeOpenAIUpstream, type FakeOpenAIUpstream } from '../fakes/fake-openai-upstream.js';
import { openService } from '../helpers/running-service.js';
import { chromiumOrSkipReason } from './chromium.js';

const browserSetup = chromiumOrSkipReason();
const STREAMED_TEXT = 'one two three four five six seven eight';

/** What a page's script reports after streaming a chat completion with fetch + a stream reader. */
interface StreamOutcome {
  status: number;
  reads: number;
  text: string;
}

describe.skipIf('skip' in browserSetup)('browsers: CORS allowlist, Private Network Access and DNS rebinding (Chromium)', () => {
  let browser: Browser;
  let harness: Awaited<ReturnType<typeof openService>>;
  let upstream: FakeOpenAIUpstream;
  let pages: Server;
  let pagePort: number;
  let proxyPort: number;

  beforeAll(async () => {
    upstream = await startFakeOpenAIUpstream();
    // Pauses between chunks, so a stream the proxy buffered would show up as a single read.
    upstream.fallback = { kind: 'ok', text: STREAMED_TEXT, delayBetweenChunksMs: 40 };
    pages = createServer((_request, response) => {
      response.writeHead(200, { 'content-type': 'text/html; charset=utf-8' });
      response.end('<!doctype html><title>a web tool</title><p>a page that calls Localgate</p>');
    });
    await new Promise<void>((resolve) => pages.listen(0, '127.0.0.1', () => resolve()));
    pagePort = (pages.address() as AddressInfo).port;
    harness = await openService({ cors_allowed_origins: [`http://tool.test:${pagePort}`] });
    harness.service.addAccount({ provider: 'openai', base_url: upstream.baseUrl, api_key: upstream.apiKey });
    await harness.service.startProxy();
    proxyPort = harness.service.config().port;
    browser = await chromium.launch({
      executablePath: (browserSetup as { executable: string }).executable,
      headless: true,
      args: [
        // Pages get non-loopback origins (tool.test, evil.test) that still reach this machine.
        '--host-resolver-rules=MAP tool.test 127.0.0.1, MAP evil.test 127.0.0.1',
        '--no-proxy-server',
        '--no-sandbox',
        '--disable-gpu',
        '--disable-quic',
        '--no-first-run',
        '--disable-background-networking',
        '--disable-component-update',
        '--disable-sync',
      ],
    });
  }, 60_000);

  afterAll(async () => {
    await browser?.close();
    await harness?.close();
    await upstream?.close();
    if (pages) {
      pages.closeAllConnections();
      await new Promise((resolve) => pages.close(resolve));
    }
  });

  async function pageAt(origin: string): Promise<Page> {
    const page = await browser.newPage();
    const response = await page.goto(`${origin}/`);
    expect(response?.status()).toBe(200);
    expect(await page.evaluate(() => (globalThis as unknown as { location: { origin: string } }).location.origin)).toBe(origin);
    return page;
  }

  /** Runs in the page: POST a streamed chat completion and read the body chunk by chunk. */
  function streamFrom(page: Page, headers: Record<string, string> = {}): Promise<StreamOutcome> {
    return page.evaluate(
      async ({ url, headers: extra }) => {
        const response = await fetch(url, {
          method: 'POST',
          headers: { 'content-type': 'application/json', ...extra },
          body: JSON.stringify({ model: 'gpt-4o-mini', stream: true, messages: [{ role: 'user', content: 'hi' }] }),
        });
        const reader = response.body!.getReader();
        const decoder = new TextDecoder();
        let raw = '';
        let reads = 0;
        for (;;) {
          const { done, value } = await reader.read();
          if (done) break;
          reads += 1;
          raw += decoder.decode(value, { stream: true });
        }
        let text = '';
        for (const line of raw.split('\n')) {
          if (!line.startsWith('data: ') || line === 'data: [DONE]') continue;
          text += JSON.parse(line.slice(6)).choices[0]?.delta?.content ?? '';
        }
        return { status: response.status, reads, text };
      },
      { url: `http://127.0.0.1:${proxyPort}/v1/chat/completions`, headers },
    );
  }

  it('an allowlisted page (cors_allowed_origins) streams a chat completion chunk by chunk', async () => {
    const page = await pageAt(`http://tool.test:${pagePort}`);
    const outcome = await streamFrom(page);
    expect(outcome.status).toBe(200);
    expect(outcome.text).toBe(STREAMED_TEXT);
    expect(outcome.reads).toBeGreaterThan(2);
    await page.close();
  });

  it('with auth strict, the key in Authorization: the preflight (Authorization, Private Network Access) passes and the stream works', async () => {
    await harness.service.updateConfig({ auth_mode: 'strict' });
    try {
      const page = await pageAt(`http://tool.test:${pagePort}`);
      const before = upstream.requests.length;
      const outcome = await streamFrom(page, { authorization: `Bearer ${harness.service.config().api_key}` });
      expect(outcome).toMatchObject({ status: 200, text: STREAMED_TEXT });
      expect(outcome.reads).toBeGreaterThan(2);
      expect(upstream.requests.length).toBe(before + 1);
      // Authorization is not CORS-safelisted: the browser asked first, and the proxy answered it.
      expect(harness.service.recentRequests(50).some((entry) => entry.method === 'OPTIONS' && entry.path === '/v1/chat/completions' && entry.status === 204)).toBe(true);
      // Without the key the browser may read the 401 (CORS headers are on errors too).
      const refused = await page.evaluate(async (url) => {
        const response = await fetch(url, { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{}' });
        return { status: response.status, body: await response.text() };
      }, `http://127.0.0.1:${proxyPort}/v1/chat/completions`);
      expect(refused.status).toBe(401);
      expect(refused.body).toContain('Authorization');
      await page.close();
    } finally {
      await harness.service.updateConfig({ auth_mode: 'off' });
    }
  });

  it('a page whose origin is not listed cannot call the proxy, and no upstream work happens', async () => {
    const page = await pageAt(`http://evil.test:${pagePort}`);
    const before = upstream.requests.length;
    const outcome = await page.evaluate(async (url) => {
      const attempt = async (init: RequestInit) => {
        try {
          const response = await fetch(url, init);
          return `status ${response.status}`;
        } catch (error) {
          return `${(error as Error).name}: ${(error as Error).message}`;
        }
      };
      const body = JSON.stringify({ model: 'gpt-4o-mini', messages: [{ role: 'user', content: 'steal' }] });
      return {
        // JSON needs a preflight: refused with 403, so the POST is never sent.
        json: await attempt({ method: 'POST', headers: { 'content-type': 'application/json' }, body }),
        // A "simple" request skips the preflight: the proxy refuses it by Origin before any work.
        simple: await attempt({ method: 'POST', headers: { 'content-type': 'text/plain' }, body }),
        noCors: await attempt({ method: 'POST', mode: 'no-cors', headers: { 'content-type': 'text/plain' }, body }),
      };
    }, `http://127.0.0.1:${proxyPort}/v1/chat/completions`);
    expect(outcome.json).toMatch(/^TypeError: /);
    expect(outcome.simple).toMatch(/^TypeError: /);
    expect(outcome.noCors).toBe('status 0'); // opaque: the page learns nothing
    expect(upstream.requests.length).toBe(before);
    await page.close();
  });

  it('a page on another loopback port works by default', async () => {
    const page = await pageAt(`http://127.0.0.1:${pagePort}`);
    const outcome = await streamFrom(page);
    expect(outcome).toMatchObject({ status: 200, text: STREAMED_TEXT });
    await page.close();
  });

  it('DNS rebinding: a page served as evil.test from the proxy\'s own address gets 421, never the API', async () => {
    const page = await browser.newPage();
    const before = upstream.requests.length;
    const response = await page.goto(`http://evil.test:${proxyPort}/`);
    expect(response?.status()).toBe(421);
    const shown = JSON.parse((await page.textContent('body')) ?? '');
    expect(shown.error.message).toContain('DNS rebinding');
    expect(shown.error.message).toContain('evil.test');
    // A script on that origin reading "its own" API (what rebinding is for) gets the same.
    const sameOrigin = await page.evaluate(async () => {
      const models = await fetch('/v1/models');
      const chat = await fetch('/v1/chat/completions', { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ model: 'gpt-4o-mini', messages: [{ role: 'user', content: 'x' }] }) });
      return [models.status, chat.status, await chat.text()] as const;
    });
    expect(sameOrigin[0]).toBe(421);
    expect(sameOrigin[1]).toBe(421);
    expect(sameOrigin[2]).toContain('DNS rebinding');
    expect(upstream.requests.length).toBe(before);
    await page.close();
  });
});
