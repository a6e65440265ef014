import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import Anthropic from '@anthropic-ai/sdk';
import OpenAI from 'openai';
import { GoogleGenAI } from '@google/genai';
import { request } from 'undici';
import type { AccountView, NewAccount } from '../shared/accounts.js';
import type { ProxyConfigPatch } from '../shared/config.js';
import { startFakeAnthropicUpstream, type FakeAnthropicUpstream } from './fakes/fake-anthropic-upstream.js';
import { geminiErrorBody, startFakeGeminiUpstream, type FakeGeminiUpstream } from './fakes/fake-gemini-upstream.js';
import { ANTHROPIC_400_CREDIT, ANTHROPIC_403, GEMINI_403_LEAKED, OPENAI_429_QUOTA, geminiDailyQuota } from './fakes/provider-errors.js';
import { startFakeOpenAIUpstream, type FakeOpenAIUpstream } from './fakes/fake-openai-upstream.js';
import { freePort } from './helpers/temp-home.js';
import { openService } from './helpers/running-service.js';

/**
 * Failover and faults, end to end: real SDKs (no retries of their own) → Localgate → fake
 * upstreams misbehaving on purpose. Each test checks what the client got, what the pool now
 * thinks of each account (service.listAccounts()), and what reached the upstreams.
 */

type Harness = Awaited<ReturnType<typeof openService>>;

const sse = (event: string | undefined, data: unknown) => `${event ? `event: ${event}\n` : ''}data: ${JSON.stringify(data)}\n\n`;
const chatChunk = (delta: object, finish: string | null = null) =>
  sse(undefined, { id: 'chatcmpl-x', object: 'chat.completion.chunk', created: 1, model: 'gpt-4o-mini', choices: [{ index: 0, delta, logprobs: null, finish_reason: finish }] });
const messageStart = sse('message_start', {
  type: 'message_start',
  message: { id: 'msg_1', type: 'message', role: 'assistant', model: 'claude-sonnet-4-5-20250929', content: [], stop_reason: null, stop_sequence: null, usage: { input_tokens: 3, output_tokens: 1 } },
});
const completions = (upstream: FakeOpenAIUpstream) => upstream.requests.filter((r) => r.path === '/v1/chat/completions').length;
const messages = (upstream: FakeAnthropicUpstream) => upstream.requests.filter((r) => r.path === '/v1/messages').length;
const generations = (upstream: FakeGeminiUpstream) => upstream.requests.filter((r) => /:(stream)?[gG]enerateContent/.test(r.path)).length;

/** An upstream that answers nothing (or only headers), counting its connections: for cancellation and leaks. */
async function startProbeUpstream(mode: 'hang' | 'headers-then-hang') {
  const state = { requests: 0, closedEarly: 0, server: undefined as unknown as Server };
  state.server = createServer((req, res) => {
    // The daemon's own model-list fetch (when the account is added) is not what these tests probe.
    if (req.method === 'GET' && req.url === '/v1/models') return void res.writeHead(404, { connection: 'close' }).end();
    state.requests += 1;
    req.resume();
    res.on('close', () => {
      if (!res.writableFinished) state.closedEarly += 1;
    });
    if (mode === 'headers-then-hang') res.writeHead(200, { 'content-type': 'text/event-stream' }).flushHeaders();
  });
  await new Promise<void>((resolve) => state.server.listen(0, '127.0.0.1', () => resolve()));
  const url = `http://127.0.0.1:${(state.server.address() as AddressInfo).port}`;
  return {
    state,
    url,
    openConnections: () => new Promise<number>((resolve, reject) => state.server.getConnections((error, count) => (error ? reject(error) : resolve(count)))),
    close: async () => {
      state.server.closeAllConnections();
      await new Promise<void>((resolve) => state.server.close(() => resolve()));
    },
  };
}

describe('failover and faults', () => {
  let harness: Harness;
  let openaiA: FakeOpenAIUpstream;
  let openaiB: FakeOpenAIUpstream;
  let anthropicA: FakeAnthropicUpstream;
  let anthropicB: FakeAnthropicUpstream;
  let geminiA: FakeGeminiUpstream;
  let geminiB: FakeGeminiUpstream;

  beforeEach(async () => {
    [openaiA, openaiB, anthropicA, anthropicB, geminiA, geminiB] = await Promise.all([
      startFakeOpenAIUpstream(),
      startFakeOpenAIUpstream(),
      startFakeAnthropicUpstream(),
      startFakeAnthropicUpstream(),
      startFakeGeminiUpstream(),
      startFakeGeminiUpstream(),
    ]);
  });
  afterEach(async () => {
    await harness?.close();
    await Promise.all([openaiA, openaiB, anthropicA, anthropicB, geminiA, geminiB].map((upstream) => upstream.close()));
  });

  async function serve(accounts: Array<Omit<NewAccount, 'label'> & { label: string }>, config: ProxyConfigPatch = {}) {
    harness = await openService(config);
    const added: AccountView[] = [];
    for (const account of accounts) added.push(harness.service.addAccount(account));
    await harness.service.startProxy();
    return added;
  }
  const openaiAccount = (upstream: FakeOpenAIUpstream, label: string) => ({ provider: 'openai' as const, base_url: upstream.baseUrl, api_key: upstream.apiKey, label });
  const anthropicAccount = (upstream: FakeAnthropicUpstream, label: string) => ({ provider: 'anthropic' as const, base_url: upstream.baseUrl, api_key: upstream.apiKey, label });
  const geminiAccount = (upstream: FakeGeminiUpstream, label: string) => ({ provider: 'gemini' as const, base_url: upstream.baseUrl, api_key: upstream.apiKey, label });
  const view = (label: string) => harness.service.listAccounts().find((account) => account.label === label)!;
  const openaiClient = () => new OpenAI({ baseURL: `${harness.origin()}/v1`, apiKey: 'x', maxRetries: 0 });
  const anthropicClient = () => new Anthropic({ baseURL: harness.origin(), apiKey: 'x', maxRetries: 0 });
  const geminiClient = () => new GoogleGenAI({ apiKey: 'x', httpOptions: { baseUrl: harness.origin(), retryOptions: { attempts: 1 } } });
  const ask = (text = 'hi') => ({ model: 'gpt-4o-mini', messages: [{ role: 'user' as const, content: text }] });

  describe('rate limits: each provider’s own reset hint cools the account (per model) until then', () => {
    it('OpenAI x-ratelimit-reset-* headers (no Retry-After)', async () => {
      await serve([openaiAccount(openaiA, 'A'), openaiAccount(openaiB, 'B')]);
      openaiA.fallback = {
        kind: 'error',
        status: 429,
        message: 'Rate limit reached for requests',
        headers: { 'x-ratelimit-remaining-requests': '0', 'x-ratelimit-reset-requests': '20s', 'x-ratelimit-remaining-tokens': '900', 'x-ratelimit-reset-tokens': '2s' },
      };
      openaiB.fallback = { kind: 'ok', text: 'from B' };
      const before = Date.now();
      const answers = [];
      for (let i = 0; i < 2; i++) answers.push((await openaiClient().chat.completions.create(ask())).choices[0]?.message.content);
      expect(answers).toEqual(['from B', 'from B']);
      expect(completions(openaiA)).toBe(1);
      const a = view('A');
      expect(a.status.state).toBe('ready');
      const cooling = a.models_cooling?.find((entry) => entry.model === 'gpt-4o-mini');
      expect(cooling?.until).toBeGreaterThanOrEqual(before + 19_000);
      expect(cooling?.until).toBeLessThanOrEqual(Date.now() + 21_000);
      // Another model on the same account is still served.
      openaiA.fallback = { kind: 'ok', text: 'A serves gpt-4o' };
      openaiB.fallback = { kind: 'ok', text: 'B serves gpt-4o' };
      const other = await openaiClient().chat.completions.create({ ...ask(), model: 'gpt-4o' });
      const again = await openaiClient().chat.completions.create({ ...ask(), model: 'gpt-4o' });
      expect([other.choices[0]?.message.content, again.choices[0]?.message.content].sort()).toEqual(['A serves gpt-4o', 'B serves gpt-4o']);
    });

    it('Anthropic anthropic-ratelimit-*-reset timestamps (no Retry-After)', async () => {
      await serve([anthropicAccount(anthropicA, 'A'), anthropicAccount(anthropicB, 'B')]);
      const reset = new Date(Date.now() + 45_000);
      anthropicA.fallback = {
        kind: 'script',
        status: 429,
        headers: {
          'content-type': 'application/json',
          'anthropic-ratelimit-tokens-remaining': '0',
          'anthropic-ratelimit-tokens-reset': reset.toISOString(),
          'anthropic-ratelimit-requests-remaining': '40',
          'anthropic-ratelimit-requests-reset': new Date(Date.now() + 3_000).toISOString(),
        },
        chunks: [JSON.stringify({ type: 'error', error: { type: 'rate_limit_error', message: 'Number of tokens has exceeded your per-minute rate limit' } })],
      };
      anthropicB.fallback = { kind: 'ok', text: 'from B' };
      const message = await anthropicClient().messages.create({ model: 'claude-sonnet-4-5-20250929', max_tokens: 50, messages: [{ role: 'user', content: 'hi' }] });
      expect(message.content).toEqual([{ type: 'text', text: 'from B' }]);
      expect([messages(anthropicA), messages(anthropicB)]).toEqual([1, 1]);
      const cooling = view('A').models_cooling?.find((entry) => entry.model === 'claude-sonnet-4-5-20250929');
      expect(cooling?.until).toBeGreaterThanOrEqual(reset.getTime() - 1_000);
      expect(cooling?.until).toBeLessThanOrEqual(reset.getTime() + 1_000);
    });

    it('Gemini RetryInfo.retryDelay in the error body', async () => {
      await serve([geminiAccount(geminiA, 'A'), geminiAccount(geminiB, 'B')]);
      geminiA.fallback = { kind: 'error', status: 429, retryDelay: '42s' };
      geminiB.fallback = { kind: 'ok', text: 'from B' };
      const before = Date.now();
      const answer = await geminiClient().models.generateContent({ model: 'gemini-2.5-flash', contents: 'hi' });
      expect(answer.text).toBe('from B');
      expect([generations(geminiA), generations(geminiB)]).toEqual([1, 1]);
      const cooling = view('A').models_cooling?.find((entry) => entry.model === 'gemini-2.5-flash');
      expect(cooling?.until).toBeGreaterThanOrEqual(before + 41_000);
      expect(cooling?.until).toBeLessThanOrEqual(Date.now() + 43_000);
    });
  });

  describe('a spent quota rests until the provider’s reset and comes back by itself; only a rejected key disables', () => {
    it('OpenAI insufficient_quota (429): the account rests on a backoff (no reset given), for every model', async () => {
      await serve([openaiAccount(openaiA, 'A'), openaiAccount(openaiB, 'B')]);
      openaiA.fallback = { kind: 'error', status: 429, body: OPENAI_429_QUOTA };
      openaiB.fallback = { kind: 'ok', text: 'from B' };
      const before = Date.now();
      expect((await openaiClient().chat.completions.create(ask())).choices[0]?.message.content).toBe('from B');
      const status = view('A').status;
      expect(status).toMatchObject({ state: 'cooling', kind: 'quota-exhausted', reason: 'quota exhausted (HTTP 429)' });
      if (status.state !== 'cooling') throw new Error('unreachable');
      expect(status.until - before).toBeGreaterThanOrEqual(59_000);
      expect(status.until - Date.now()).toBeLessThanOrEqual(60_000);
      expect((await openaiClient().chat.completions.create({ ...ask(), model: 'gpt-4o' })).choices[0]?.message.content).toBe('from B');
      expect(completions(openaiA)).toBe(1);
    });

    it('OpenAI insufficient_quota with a short Retry-After: the account serves again once it passed', async () => {
      await serve([openaiAccount(openaiA, 'A')]);
      openaiA.queue.push({ kind: 'error', status: 429, body: OPENAI_429_QUOTA, headers: { 'retry-after': '1' } });
      openaiA.fallback = { kind: 'ok', text: 'back' };
      const error = await openaiClient().chat.completions.create(ask()).catch((e: unknown) => e);
      expect(error).toBeInstanceOf(OpenAI.RateLimitError);
      expect((error as Error).message).toContain('has used up its quota');
      expect(Number((error as InstanceType<typeof OpenAI.RateLimitError>).headers?.get('retry-after'))).toBeLessThanOrEqual(1);
      expect(view('A').status).toMatchObject({ state: 'cooling', kind: 'quota-exhausted' });
      await expect.poll(() => view('A').status.state, { timeout: 3_000 }).toBe('ready');
      expect((await openaiClient().chat.completions.create(ask())).choices[0]?.message.content).toBe('back');
    });

    it('a Gemini per-day quota for one model rests that model until RetryInfo; the account serves its other models', async () => {
      await serve([geminiAccount(geminiA, 'A'), geminiAccount(geminiB, 'B')]);
      geminiA.queue.push({ kind: 'error', status: 429, body: geminiDailyQuota('gemini-2.5-pro', '37s') });
      geminiA.fallback = { kind: 'ok', text: 'from A' };
      geminiB.fallback = { kind: 'ok', text: 'from B' };
      const before = Date.now();
      expect((await geminiClient().models.generateContent({ model: 'gemini-2.5-pro', contents: 'hi' })).text).toBe('from B');
      const a = view('A');
      expect(a.status).toEqual({ state: 'ready' });
      expect(a.models_cooling).toEqual([{ model: 'gemini-2.5-pro', until: expect.any(Number), kind: 'quota-exhausted', reason: 'quota exhausted (HTTP 429)' }]);
      expect(a.models_cooling![0]!.until).toBeGreaterThanOrEqual(before + 36_000);
      expect(a.models_cooling![0]!.until).toBeLessThanOrEqual(Date.now() + 38_000);
      const answers = [];
      for (let i = 0; i < 2; i++) answers.push((await geminiClient().models.generateContent({ model: 'gemini-2.5-flash', contents: 'hi' })).text);
      expect(answers.sort()).toEqual(['from A', 'from B']);
      expect((await geminiClient().models.generateContent({ model: 'gemini-2.5-pro', contents: 'hi' })).text).toBe('from B');
    });

    it('Anthropic "credit balance is too low" (400 invalid_request_error) rests the account, not the request', async () => {
      await serve([anthropicAccount(anthropicA, 'A'), anthropicAccount(anthropicB, 'B')]);
      anthropicA.fallback = { kind: 'error', status: 400, body: ANTHROPIC_400_CREDIT };
      anthropicB.fallback = { kind: 'ok', text: 'from B' };
      const message = await anthropicClient().messages.create({ model: 'claude-sonnet-4-5-20250929', max_tokens: 50, messages: [{ role: 'user', content: 'hi' }] });
      expect(message.content).toEqual([{ type: 'text', text: 'from B' }]);
      expect(view('A').status).toMatchObject({ state: 'cooling', kind: 'quota-exhausted', reason: 'quota exhausted (HTTP 400)' });
    });

    it('a Gemini key reported as leaked (403, no detail) disables the account until the user acts', async () => {
      await serve([geminiAccount(geminiA, 'A'), geminiAccount(geminiB, 'B')]);
      geminiA.fallback = { kind: 'error', status: 403, body: GEMINI_403_LEAKED };
      geminiB.fallback = { kind: 'ok', text: 'from B' };
      expect((await geminiClient().models.generateContent({ model: 'gemini-2.5-flash', contents: 'hi' })).text).toBe('from B');
      expect(view('A').status).toEqual({ state: 'disabled', kind: 'key-rejected', reason: 'upstream rejected the key (HTTP 403)' });
    });

    it('any other 403 (Anthropic permission_error) rests that model on that account, not the account', async () => {
      await serve([anthropicAccount(anthropicA, 'A'), anthropicAccount(anthropicB, 'B')]);
      anthropicA.queue.push({ kind: 'error', status: 403, body: ANTHROPIC_403 });
      anthropicA.fallback = { kind: 'ok', text: 'from A' };
      anthropicB.fallback = { kind: 'ok', text: 'from B' };
      const ask = (model: string) => anthropicClient().messages.create({ model, max_tokens: 50, messages: [{ role: 'user', content: 'hi' }] });
      expect((await ask('claude-sonnet-4-5-20250929')).content).toEqual([{ type: 'text', text: 'from B' }]);
      const a = view('A');
      expect(a.status).toEqual({ state: 'ready' });
      expect(a.models_cooling).toMatchObject([{ model: 'claude-sonnet-4-5-20250929', kind: 'forbidden', reason: 'no access (HTTP 403)' }]);
      const haiku = [];
      for (let i = 0; i < 2; i++) haiku.push((await ask('claude-haiku-4-5-20251001')).content);
      expect(haiku).toContainEqual([{ type: 'text', text: 'from A' }]);
    });

    it('a request in flight that succeeds after another got a 429 does not cancel that 429’s Retry-After', async () => {
      await serve([openaiAccount(openaiA, 'A')]);
      // The first request's answer starts 300 ms late; the second is refused at once.
      openaiA.queue.push({ kind: 'script', delayMs: 300, chunks: [chatChunk({ role: 'assistant', content: 'slow' }), chatChunk({}, 'stop'), 'data: [DONE]\n\n'] });
      openaiA.queue.push({ kind: 'error', status: 429, headers: { 'retry-after': '30' } });
      const slow = openaiClient().chat.completions.create({ ...ask(), stream: true });
      await expect.poll(() => completions(openaiA)).toBe(1);
      await expect(openaiClient().chat.completions.create(ask())).rejects.toBeInstanceOf(OpenAI.RateLimitError);
      let text = '';
      for await (const chunk of await slow) text += chunk.choices[0]?.delta.content ?? '';
      expect(text).toBe('slow');
      expect(view('A').models_cooling).toMatchObject([{ model: 'gpt-4o-mini', kind: 'rate-limited' }]);
      expect(view('A').models_cooling![0]!.until).toBeGreaterThan(Date.now() + 25_000);
      await expect(openaiClient().chat.completions.create(ask())).rejects.toBeInstanceOf(OpenAI.RateLimitError);
      expect(completions(openaiA)).toBe(2);
    });
  });

  describe('"model not found" moves to the next account; the client sees a 404 only when none serves the model', () => {
    it('OpenAI 404 model_not_found from an account without a models list: B serves, A is not asked again for it', async () => {
      await serve([openaiAccount(openaiA, 'A'), openaiAccount(openaiB, 'B')]);
      openaiA.fallback = { kind: 'model-not-found' };
      openaiB.fallback = { kind: 'ok', text: 'from B' };
      for (let i = 0; i < 3; i++) expect((await openaiClient().chat.completions.create({ ...ask(), model: 'gpt-5' })).choices[0]?.message.content).toBe('from B');
      expect([completions(openaiA), completions(openaiB)]).toEqual([1, 3]);
      expect(view('A').status).toEqual({ state: 'ready' });
      // Other models still go to A.
      openaiA.fallback = { kind: 'ok', text: 'from A' };
      const served = [];
      for (let i = 0; i < 2; i++) served.push((await openaiClient().chat.completions.create(ask())).choices[0]?.message.content);
      expect(served.sort()).toEqual(['from A', 'from B']);
    });

    it('when no account serves it, the client gets the upstream’s own 404 (pass-through and translated)', async () => {
      await serve([anthropicAccount(anthropicA, 'A'), anthropicAccount(anthropicB, 'B')], { max_attempts: 1 });
      anthropicA.fallback = { kind: 'model-not-found' };
      anthropicB.fallback = { kind: 'model-not-found' };
      const error = await anthropicClient().messages.create({ model: 'claude-3-opus-2024', max_tokens: 50, messages: [{ role: 'user', content: 'hi' }] }).catch((e: unknown) => e);
      expect(error).toBeInstanceOf(Anthropic.NotFoundError);
      expect((error as InstanceType<typeof Anthropic.NotFoundError>).error).toMatchObject({ type: 'error', error: { type: 'not_found_error', message: 'model: claude-3-opus-2024' } });
      // max_attempts 1, yet both were asked: a model-not-found costs no attempt.
      expect([messages(anthropicA), messages(anthropicB)]).toEqual([1, 1]);
      // Remembered: the next request is a 404 without asking either.
      const translated = await openaiClient().chat.completions.create({ ...ask(), model: 'claude-3-opus-2024' }).catch((e: unknown) => e);
      expect(translated).toBeInstanceOf(OpenAI.NotFoundError);
      expect([messages(anthropicA), messages(anthropicB)]).toEqual([1, 1]);
      expect(harness.service.listAccounts().map((account) => account.status.state)).toEqual(['ready', 'ready']);
    });

    it('Gemini 404 NOT_FOUND from an account that lacks the model → the one that has it serves', async () => {
      const older = await startFakeGeminiUpstream({ models: ['gemini-2.5-flash'] });
      try {
        await serve([geminiAccount(older, 'old'), geminiAccount(geminiB, 'B')]);
        older.fallback = { kind: 'ok', text: 'from old' };
        geminiB.fallback = { kind: 'ok', text: 'from B' };
        for (let i = 0; i < 2; i++) expect((await geminiClient().models.generateContent({ model: 'gemini-3-pro-preview', contents: 'hi' })).text).toBe('from B');
        expect(generations(older)).toBe(1);
      } finally {
        await older.close();
      }
    });

    it('an account whose models list claims the model answers its 404 as is', async () => {
      await serve([{ ...openaiAccount(openaiA, 'A'), models: ['gpt-5*'] }, openaiAccount(openaiB, 'B')]);
      openaiA.fallback = { kind: 'model-not-found' };
      openaiB.fallback = { kind: 'ok', text: 'from B' };
      const error = await openaiClient().chat.completions.create({ ...ask(), model: 'gpt-5' }).catch((e: unknown) => e);
      expect(error).toBeInstanceOf(OpenAI.NotFoundError);
      expect((error as InstanceType<typeof OpenAI.NotFoundError>).code).toBe('model_not_found');
      expect(completions(openaiB)).toBe(0);
    });
  });

  describe('server errors and broken connections fail over', () => {
    it('500 → the next account serves; the first rests as a server error', async () => {
      await serve([openaiAccount(openaiA, 'A'), openaiAccount(openaiB, 'B')]);
      openaiA.fallback = { kind: 'error', status: 500 };
      openaiB.fallback = { kind: 'ok', text: 'from B' };
      expect((await openaiClient().chat.completions.create(ask())).choices[0]?.message.content).toBe('from B');
      expect(view('A').status).toMatchObject({ state: 'cooling', kind: 'server-error' });
      expect([completions(openaiA), completions(openaiB)]).toEqual([1, 1]);
    });

    it('529 overloaded → a short rest, and the next account serves', async () => {
      await serve([anthropicAccount(anthropicA, 'A'), anthropicAccount(anthropicB, 'B')]);
      anthropicA.fallback = { kind: 'error', status: 529 };
      anthropicB.fallback = { kind: 'ok', text: 'from B' };
      const before = Date.now();
      const message = await anthropicClient().messages.create({ model: 'claude-sonnet-4-5-20250929', max_tokens: 50, messages: [{ role: 'user', content: 'hi' }] });
      expect(message.content).toEqual([{ type: 'text', text: 'from B' }]);
      const status = view('A').status;
      expect(status).toMatchObject({ state: 'cooling', kind: 'overloaded' });
      if (status.state !== 'cooling') throw new Error('unreachable');
      expect(status.until - before).toBeLessThanOrEqual(2_000);
    });

    it('connection refused → the next account serves; the first rests as a network error', async () => {
      const closedPort = await freePort();
      await serve([{ provider: 'openai', base_url: `http://127.0.0.1:${closedPort}/v1`, api_key: 'sk-x', label: 'down' }, openaiAccount(openaiB, 'B')]);
      openaiB.fallback = { kind: 'ok', text: 'from B' };
      for (let i = 0; i < 2; i++) expect((await openaiClient().chat.completions.create(ask())).choices[0]?.message.content).toBe('from B');
      expect(view('down').status).toMatchObject({ state: 'cooling', kind: 'network-error', reason: 'upstream unreachable (ECONNREFUSED)' });
    });

    it('a connection reset before the headers → the next account serves', async () => {
      await serve([openaiAccount(openaiA, 'A'), openaiAccount(openaiB, 'B')]);
      openaiA.queue.push({ kind: 'reset' });
      openaiB.fallback = { kind: 'ok', text: 'from B' };
      expect((await openaiClient().chat.completions.create(ask())).choices[0]?.message.content).toBe('from B');
      expect(view('A').status).toMatchObject({ state: 'cooling', kind: 'network-error' });
      expect([completions(openaiA), completions(openaiB)]).toEqual([1, 1]);
    });

    it('no first byte within request_timeout_s → the next account serves; alone, a 504 naming the timeout', async () => {
      await serve([openaiAccount(openaiA, 'A'), openaiAccount(openaiB, 'B')], { request_timeout_s: 1 });
      openaiA.fallback = { kind: 'hang' };
      openaiB.fallback = { kind: 'ok', text: 'from B' };
      expect((await openaiClient().chat.completions.create(ask())).choices[0]?.message.content).toBe('from B');
      expect(view('A').status).toMatchObject({ state: 'cooling', kind: 'timeout', reason: 'upstream timed out (request_timeout_s)' });

      openaiB.fallback = { kind: 'hang' };
      const error = await openaiClient().chat.completions.create(ask()).catch((e: unknown) => e);
      expect(error).toBeInstanceOf(OpenAI.APIError);
      expect((error as InstanceType<typeof OpenAI.APIError>).status).toBe(504);
      expect((error as Error).message).toContain('request_timeout_s (1 s)');
      expect(view('B').status).toMatchObject({ state: 'cooling', kind: 'timeout' });
    });

    it('max_attempts bounds the accounts tried: 4 failing accounts, max_attempts 2 → 2 tried', async () => {
      const extra = await Promise.all([startFakeOpenAIUpstream(), startFakeOpenAIUpstream()]);
      try {
        const upstreams = [openaiA, openaiB, ...extra];
        await serve(upstreams.map((upstream, index) => openaiAccount(upstream, `U${index}`)), { max_attempts: 2 });
        for (const upstream of upstreams) upstream.fallback = { kind: 'error', status: 500 };
        const error = await openaiClient().chat.completions.create(ask()).catch((e: unknown) => e);
        expect(error).toBeInstanceOf(OpenAI.InternalServerError);
        expect(upstreams.map(completions).reduce((a, b) => a + b, 0)).toBe(2);
        expect(harness.service.listAccounts().filter((account) => account.status.state === 'cooling')).toHaveLength(2);
      } finally {
        await Promise.all(extra.map((upstream) => upstream.close()));
      }
    });
  });

  describe('client errors are answered as is, without failover', () => {
    it('context length from an OpenAI upstream → an Anthropic client’s 400 invalid_request_error; the account stays ready', async () => {
      await serve([openaiAccount(openaiA, 'A'), openaiAccount(openaiB, 'B')]);
      const tooLong = { kind: 'error' as const, status: 400, type: 'invalid_request_error', code: 'context_length_exceeded', message: "This model's maximum context length is 128000 tokens." };
      openaiA.fallback = tooLong;
      openaiB.fallback = tooLong;
      const error = await anthropicClient().messages.create({ model: 'gpt-4o-mini', max_tokens: 50, messages: [{ role: 'user', content: 'x' }] }).catch((e: unknown) => e);
      expect(error).toBeInstanceOf(Anthropic.BadRequestError);
      expect((error as InstanceType<typeof Anthropic.BadRequestError>).error).toMatchObject({ type: 'error', error: { type: 'invalid_request_error', message: expect.stringContaining('maximum context length') } });
      expect(completions(openaiA) + completions(openaiB)).toBe(1);
      expect(harness.service.listAccounts().map((account) => account.status.state)).toEqual(['ready', 'ready']);
    });

    it('"prompt is too long" from an Anthropic upstream → an OpenAI client’s 400 context_length_exceeded', async () => {
      await serve([anthropicAccount(anthropicA, 'A'), anthropicAccount(anthropicB, 'B')]);
      const tooLong = { kind: 'error' as const, status: 400, type: 'invalid_request_error', message: 'prompt is too long: 208310 tokens > 200000 maximum' };
      anthropicA.fallback = tooLong;
      anthropicB.fallback = tooLong;
      const error = await openaiClient().chat.completions.create({ ...ask(), model: 'claude-sonnet-4-5-20250929' }).catch((e: unknown) => e);
      expect(error).toBeInstanceOf(OpenAI.BadRequestError);
      expect((error as InstanceType<typeof OpenAI.BadRequestError>).code).toBe('context_length_exceeded');
      expect(messages(anthropicA) + messages(anthropicB)).toBe(1);
      expect(harness.service.listAccounts().map((account) => account.status.state)).toEqual(['ready', 'ready']);
    });
  });

  describe('an error as the first stream event fails over before the client sees a byte', () => {
    it('OpenAI pass-through: data: {"error"} first → B’s stream, no trace of the error', async () => {
      await serve([openaiAccount(openaiA, 'A'), openaiAccount(openaiB, 'B')]);
      openaiA.queue.push({ kind: 'script', chunks: [sse(undefined, { error: { message: 'The server had an error while processing your request.', type: 'server_error', param: null, code: null } })] });
      openaiB.fallback = { kind: 'ok', text: 'streamed from B' };
      const stream = await openaiClient().chat.completions.create({ ...ask(), stream: true });
      let text = '';
      for await (const chunk of stream) text += chunk.choices[0]?.delta.content ?? '';
      expect(text).toBe('streamed from B');
      expect(view('A').status).toMatchObject({ state: 'cooling', kind: 'server-error' });
      expect([completions(openaiA), completions(openaiB)]).toEqual([1, 1]);
    });

    it('Anthropic pass-through: message_start, ping, then event: error (overloaded) → B', async () => {
      await serve([anthropicAccount(anthropicA, 'A'), anthropicAccount(anthropicB, 'B')]);
      anthropicA.queue.push({
        kind: 'script',
        chunks: [messageStart, sse('ping', { type: 'ping' }), sse('error', { type: 'error', error: { type: 'overloaded_error', message: 'Overloaded' } })],
      });
      anthropicB.fallback = { kind: 'ok', text: 'streamed from B' };
      const raw: string[] = [];
      const stream = anthropicClient().messages.stream({ model: 'claude-sonnet-4-5-20250929', max_tokens: 50, messages: [{ role: 'user', content: 'hi' }] });
      stream.on('streamEvent', (event) => raw.push(event.type));
      const message = await stream.finalMessage();
      expect(message.content).toEqual([{ type: 'text', text: 'streamed from B' }]);
      expect(raw).not.toContain('error');
      expect(view('A').status).toMatchObject({ state: 'cooling', kind: 'overloaded' });
      expect([messages(anthropicA), messages(anthropicB)]).toEqual([1, 1]);
    });

    it('Gemini, translated for an OpenAI client: an error chunk first → B', async () => {
      await serve([geminiAccount(geminiA, 'A'), geminiAccount(geminiB, 'B')]);
      geminiA.queue.push({ kind: 'script', chunks: [`data: ${JSON.stringify(geminiErrorBody(503, 'UNAVAILABLE', 'The model is overloaded. Please try again later.'))}\r\n\r\n`] });
      geminiB.fallback = { kind: 'ok', text: 'streamed from B' };
      const stream = await openaiClient().chat.completions.create({ ...ask(), model: 'gemini-2.5-flash', stream: true });
      let text = '';
      for await (const chunk of stream) text += chunk.choices[0]?.delta.content ?? '';
      expect(text).toBe('streamed from B');
      expect(view('A').status).toMatchObject({ state: 'cooling', kind: 'overloaded' });
      expect([generations(geminiA), generations(geminiB)]).toEqual([1, 1]);
    });

    it('an error after content was sent stays in the stream, in the client’s protocol', async () => {
      await serve([openaiAccount(openaiA, 'A'), openaiAccount(openaiB, 'B')]);
      const midStream = {
        kind: 'script' as const,
        chunks: [chatChunk({ role: 'assistant', content: '' }), chatChunk({ content: 'partial ' }), sse(undefined, { error: { message: 'The server had an error while processing your request.', type: 'server_error', param: null, code: null } })],
      };
      // Pass-through: the upstream's own frame reaches the OpenAI SDK, which raises it.
      openaiA.queue.push(midStream);
      openaiB.queue.push(midStream);
      const stream = await openaiClient().chat.completions.create({ ...ask(), stream: true });
      let text = '';
      await expect(
        (async () => {
          for await (const chunk of stream) text += chunk.choices[0]?.delta.content ?? '';
        })(),
      ).rejects.toThrow(/server had an error/);
      expect(text).toBe('partial ');
      // Translated: an Anthropic client gets `event: error`.
      openaiA.queue.push(midStream);
      openaiB.queue.push(midStream);
      const translated = anthropicClient().messages.stream({ model: 'gpt-4o-mini', max_tokens: 50, messages: [{ role: 'user', content: 'hi' }] });
      await expect(translated.finalMessage()).rejects.toThrow(/server had an error/);
      expect(completions(openaiA) + completions(openaiB)).toBe(2);
    });
  });

  describe('after the preamble, until the first content: the same client stream goes on with the next account', () => {
    const overloaded = sse('error', { type: 'error', error: { type: 'overloaded_error', message: 'Overloaded' } });
    const chatError = sse(undefined, { error: { message: 'The server had an error while processing your request.', type: 'server_error', param: null, code: null } });
    const claude = 'claude-sonnet-4-5-20250929';
    const anthropicAsk = { model: claude, max_tokens: 50, messages: [{ role: 'user' as const, content: 'hi' }] };
    /**
     * Holds the failing account's error until the client has its first event (or a second went
     * by: the proxy still waits for more, as before this change), noting both in `timeline`.
     */
    const heldUntilClientSaw = (timeline: string[], clientSaw: Promise<void>, at: number) => async (index: number) => {
      if (index !== at) return;
      await Promise.race([clientSaw, new Promise((resolve) => setTimeout(resolve, 1_000))]);
      timeline.push('upstream A: error sent');
    };
    /** An Anthropic SDK stream whose events are kept, the first noted in `timeline`; each one fires `saw`. */
    const watchedAnthropicStream = (timeline: string[], saw: { fire(): void }) => {
      const events: Array<{ type: string; index?: number }> = [];
      const stream = anthropicClient().messages.stream(anthropicAsk);
      stream.on('streamEvent', (event) => {
        if (events.length === 0) timeline.push(`client: ${event.type}`);
        events.push(event as { type: string; index?: number });
        saw.fire();
      });
      return { events, finalMessage: stream.finalMessage() };
    };
    const signal = () => {
      let fire!: () => void;
      const promise = new Promise<void>((resolve) => (fire = resolve));
      return { promise, fire };
    };

    it('Anthropic pass-through: the client has message_start before A sends overloaded_error; B’s answer completes that one message', async () => {
      await serve([anthropicAccount(anthropicA, 'A'), anthropicAccount(anthropicB, 'B')]);
      const timeline: string[] = [];
      const saw = signal();
      anthropicA.queue.push({ kind: 'script', chunks: [messageStart, sse('ping', { type: 'ping' }), overloaded], beforeChunk: heldUntilClientSaw(timeline, saw.promise, 2) });
      anthropicB.fallback = { kind: 'ok', text: 'streamed from B' };
      const { events, finalMessage } = watchedAnthropicStream(timeline, saw);
      const message = await finalMessage;
      expect(timeline).toEqual(['client: message_start', 'upstream A: error sent']);
      expect(message.content).toEqual([{ type: 'text', text: 'streamed from B' }]);
      expect(message).toMatchObject({ id: 'msg_1', stop_reason: 'end_turn', usage: { output_tokens: 8 } });
      const types = events.map((event) => event.type);
      expect(types.filter((type) => type === 'message_start')).toHaveLength(1);
      expect(types).not.toContain('error');
      expect(events.filter((event) => event.type === 'content_block_start').map((event) => event.index)).toEqual([0]);
      expect(view('A').status).toMatchObject({ state: 'cooling', kind: 'overloaded' });
      expect(view('B').status.state).toBe('ready');
      expect([messages(anthropicA), messages(anthropicB)]).toEqual([1, 1]);
      // The monitor: B served it, with B's counts (its swallowed message_start's input, its message_delta's output).
      const entry = harness.service.recentRequests(1)[0];
      expect(entry).toMatchObject({ status: 200, account: 'B', tokens_in: 12, tokens_out: 8 });
      expect(entry?.error).toBeUndefined();
    });

    it('OpenAI client ← Anthropic account failing after message_start → OpenAI account: one role chunk, B’s text, B’s usage', async () => {
      await serve([
        { ...anthropicAccount(anthropicA, 'A'), models: [claude] },
        { ...openaiAccount(openaiB, 'B'), models: [claude] },
      ]);
      const timeline: string[] = [];
      const saw = signal();
      anthropicA.queue.push({ kind: 'script', chunks: [messageStart, overloaded], beforeChunk: heldUntilClientSaw(timeline, saw.promise, 1) });
      openaiB.fallback = { kind: 'ok', text: 'streamed from B' };
      const stream = await openaiClient().chat.completions.create({ model: claude, messages: [{ role: 'user', content: 'hi' }], stream: true, stream_options: { include_usage: true } });
      let text = '';
      let roles = 0;
      let usage: unknown;
      for await (const chunk of stream) {
        if (roles === 0 && text === '') timeline.push('client: first chunk');
        saw.fire();
        if (chunk.choices[0]?.delta.role) roles += 1;
        text += chunk.choices[0]?.delta.content ?? '';
        if (chunk.usage) usage = chunk.usage;
      }
      expect(timeline.slice(0, 2)).toEqual(['client: first chunk', 'upstream A: error sent']);
      expect(text).toBe('streamed from B');
      expect(roles).toBe(1);
      expect(usage).toMatchObject({ prompt_tokens: 11, completion_tokens: 7 });
      expect(view('A').status).toMatchObject({ state: 'cooling', kind: 'overloaded' });
      expect([messages(anthropicA), completions(openaiB)]).toEqual([1, 1]);
    });

    it('Anthropic client ← OpenAI account failing after its role chunk → Anthropic account (pass-through): one message_start, blocks from 0', async () => {
      await serve([
        { ...openaiAccount(openaiA, 'A'), models: [claude] },
        { ...anthropicAccount(anthropicB, 'B'), models: [claude] },
      ]);
      const timeline: string[] = [];
      const saw = signal();
      openaiA.queue.push({ kind: 'script', chunks: [chatChunk({ role: 'assistant', content: '' }), chatError], beforeChunk: heldUntilClientSaw(timeline, saw.promise, 1) });
      anthropicB.fallback = { kind: 'ok', text: 'streamed from B' };
      const { events, finalMessage } = watchedAnthropicStream(timeline, saw);
      const message = await finalMessage;
      expect(timeline).toEqual(['client: message_start', 'upstream A: error sent']);
      expect(message.content).toEqual([{ type: 'text', text: 'streamed from B' }]);
      expect(message).toMatchObject({ stop_reason: 'end_turn', usage: { output_tokens: 8 } });
      expect(events.filter((event) => event.type === 'message_start')).toHaveLength(1);
      expect(events.filter((event) => event.type === 'content_block_start').map((event) => event.index)).toEqual([0]);
      expect(view('A').status).toMatchObject({ state: 'cooling', kind: 'server-error' });
      expect([completions(openaiA), messages(anthropicB)]).toEqual([1, 1]);
    });

    it('OpenAI pass-through failing after its role chunk → Anthropic account (translated): the encoder goes on after the role chunk the client has', async () => {
      await serve([
        { ...openaiAccount(openaiA, 'A'), models: [claude] },
        { ...anthropicAccount(anthropicB, 'B'), models: [claude] },
      ]);
      openaiA.queue.push({ kind: 'script', chunks: [chatChunk({ role: 'assistant', content: '' }), chatError] });
      anthropicB.fallback = { kind: 'ok', text: 'streamed from B' };
      const stream = await openaiClient().chat.completions.create({ model: claude, messages: [{ role: 'user', content: 'hi' }], stream: true });
      let text = '';
      const ids = new Set<string>();
      let roles = 0;
      for await (const chunk of stream) {
        ids.add(chunk.id);
        if (chunk.choices[0]?.delta.role) roles += 1;
        text += chunk.choices[0]?.delta.content ?? '';
      }
      expect(text).toBe('streamed from B');
      expect(roles).toBe(1);
      expect([...ids]).toEqual(['chatcmpl-x']);
      expect([completions(openaiA), messages(anthropicB)]).toEqual([1, 1]);
    });

    it('every account fails after its preamble → the SDK raises the error from the stream, in its own protocol', async () => {
      await serve([anthropicAccount(anthropicA, 'A'), anthropicAccount(anthropicB, 'B')]);
      for (const upstream of [anthropicA, anthropicB]) upstream.queue.push({ kind: 'script', chunks: [messageStart, sse('ping', { type: 'ping' }), overloaded] });
      const stream = anthropicClient().messages.stream(anthropicAsk);
      const types: string[] = [];
      stream.on('streamEvent', (event) => types.push(event.type));
      const error = await stream.finalMessage().catch((e: unknown) => e);
      expect(error).toBeInstanceOf(Anthropic.APIError);
      expect((error as InstanceType<typeof Anthropic.APIError>).error).toMatchObject({ type: 'error', error: { type: 'overloaded_error' } });
      expect(types).toEqual(['message_start']);
      expect([messages(anthropicA), messages(anthropicB)]).toEqual([1, 1]);

      // Translated for an OpenAI client: `data: {"error": …}`, which its SDK raises.
      harness.service.setAccountEnabled(view('A').id, true);
      harness.service.setAccountEnabled(view('B').id, true);
      for (const upstream of [anthropicA, anthropicB]) upstream.queue.push({ kind: 'script', chunks: [messageStart, overloaded] });
      const chat = await openaiClient().chat.completions.create({ model: claude, messages: [{ role: 'user', content: 'hi' }], stream: true });
      const chunks: unknown[] = [];
      const failure = await (async () => {
        for await (const chunk of chat) chunks.push(chunk);
      })().catch((e: unknown) => e);
      expect(failure).toBeInstanceOf(OpenAI.APIError);
      expect((failure as InstanceType<typeof OpenAI.APIError>).message).toMatch(/overloaded/i);
      expect(chunks).toHaveLength(1);
      expect([messages(anthropicA), messages(anthropicB)]).toEqual([2, 2]);
    });

    it('a client error after the preamble is the answer: relayed in the stream, no failover', async () => {
      await serve([anthropicAccount(anthropicA, 'A'), anthropicAccount(anthropicB, 'B')]);
      const tooLong = sse('error', { type: 'error', error: { type: 'invalid_request_error', message: 'prompt is too long: 208310 tokens > 200000 maximum' } });
      anthropicA.queue.push({ kind: 'script', chunks: [messageStart, tooLong] });
      anthropicB.fallback = { kind: 'ok', text: 'never asked' };
      const error = await anthropicClient().messages.stream(anthropicAsk).finalMessage().catch((e: unknown) => e);
      expect((error as InstanceType<typeof Anthropic.APIError>).error).toMatchObject({ type: 'error', error: { type: 'invalid_request_error', message: expect.stringContaining('prompt is too long') } });
      expect([messages(anthropicA), messages(anthropicB)]).toEqual([1, 0]);
      expect(harness.service.listAccounts().map((account) => account.status.state)).toEqual(['ready', 'ready']);
    });

    it('an error after the first content block started stays in the stream: no failover', async () => {
      await serve([anthropicAccount(anthropicA, 'A'), anthropicAccount(anthropicB, 'B')]);
      anthropicA.queue.push({
        kind: 'script',
        chunks: [
          messageStart,
          sse('content_block_start', { type: 'content_block_start', index: 0, content_block: { type: 'text', text: '' } }),
          sse('content_block_delta', { type: 'content_block_delta', index: 0, delta: { type: 'text_delta', text: 'partial ' } }),
          overloaded,
        ],
      });
      anthropicB.fallback = { kind: 'ok', text: 'never asked' };
      const stream = anthropicClient().messages.stream(anthropicAsk);
      let text = '';
      stream.on('text', (delta) => (text += delta));
      await expect(stream.finalMessage()).rejects.toThrow(/Overloaded/);
      expect(text).toBe('partial ');
      expect([messages(anthropicA), messages(anthropicB)]).toEqual([1, 0]);
    });
  });

  describe('stream_idle_timeout_s: the longest quiet gap, not the whole stream', () => {
    it('a slow drip (a chunk every 300 ms, idle timeout 2 s) completes', async () => {
      await serve([openaiAccount(openaiA, 'A')], { stream_idle_timeout_s: 2 });
      openaiA.fallback = { kind: 'ok', text: 'one two three four five six seven eight', delayBetweenChunksMs: 300 };
      const stream = await openaiClient().chat.completions.create({ ...ask(), stream: true });
      let text = '';
      for await (const chunk of stream) text += chunk.choices[0]?.delta.content ?? '';
      expect(text).toBe('one two three four five six seven eight');
      expect(view('A').status.state).toBe('ready');
    });

    it('a gap beyond it ends the stream with an error in the client’s protocol, and rests the account', async () => {
      await serve([openaiAccount(openaiA, 'A')], { stream_idle_timeout_s: 1 });
      openaiA.fallback = { kind: 'ok', text: 'never arrives', delayBetweenChunksMs: 2_500 };
      // Pass-through, OpenAI client.
      const stream = await openaiClient().chat.completions.create({ ...ask(), stream: true });
      await expect(
        (async () => {
          for await (const chunk of stream) void chunk;
        })(),
      ).rejects.toThrow(/stream_idle_timeout_s \(1 s\)/);
      expect(view('A').status).toMatchObject({ state: 'cooling', kind: 'timeout', reason: 'upstream timed out (stream_idle_timeout_s)' });
      // Re-enabling is the user's "try again" (clears the rest) for the translated half.
      harness.service.setAccountEnabled(view('A').id, true);
      // Translated, Anthropic client: `event: error` naming the timeout.
      const translated = anthropicClient().messages.stream({ model: 'gpt-4o-mini', max_tokens: 50, messages: [{ role: 'user', content: 'hi' }] });
      await expect(translated.finalMessage()).rejects.toThrow(/stream_idle_timeout_s \(1 s\)/);
    });
  });

  describe('a client that leaves cancels its upstream request at once', () => {
    for (const streamed of [true, false]) {
      it(`pass-through and translated, ${streamed ? 'streaming' : 'not streaming'}: the upstream sees the disconnect, no socket stays open`, async () => {
        const probe = await startProbeUpstream(streamed ? 'headers-then-hang' : 'hang');
        try {
          await serve([{ provider: 'openai', base_url: `${probe.url}/v1`, api_key: 'sk-probe', label: 'probe' }]);
          const clients = [
            (signal: AbortSignal) => openaiClient().chat.completions.create({ ...ask(), stream: streamed }, { signal }),
            (signal: AbortSignal) => anthropicClient().messages.create({ model: 'gpt-4o-mini', max_tokens: 50, stream: streamed, messages: [{ role: 'user', content: 'hi' }] }, { signal }),
          ];
          for (const [index, send] of clients.entries()) {
            const controller = new AbortController();
            const pending = send(controller.signal).catch((e: unknown) => e);
            await expect.poll(() => probe.state.requests).toBe(index + 1);
            controller.abort();
            expect(await pending).toBeInstanceOf(Error);
            await expect.poll(() => probe.state.closedEarly, { timeout: 3_000 }).toBe(index + 1);
            await expect.poll(() => probe.openConnections(), { timeout: 3_000 }).toBe(0);
          }
          // Leaving is not the upstream's fault.
          expect(view('probe').status.state).toBe('ready');
        } finally {
          await probe.close();
        }
      });
    }

    it('a fake upstream streaming to a client that left counts the disconnect (translated)', async () => {
      await serve([openaiAccount(openaiA, 'A')]);
      openaiA.fallback = { kind: 'ok', text: 'a b c d e f g h i j k l m n o p', delayBetweenChunksMs: 100 };
      const controller = new AbortController();
      const stream = anthropicClient().messages.stream({ model: 'gpt-4o-mini', max_tokens: 50, messages: [{ role: 'user', content: 'hi' }] }, { signal: controller.signal });
      let deltas = 0;
      stream.on('text', () => {
        deltas += 1;
        if (deltas === 2) controller.abort();
      });
      await stream.finalMessage().catch(() => undefined);
      expect(deltas).toBe(2);
      await expect.poll(() => openaiA.disconnects, { timeout: 3_000 }).toBe(1);
    });
  });

  describe('max_concurrent_requests', () => {
    it('beyond it, an immediate 429 with Retry-After 1 in each client’s format', async () => {
      const probe = await startProbeUpstream('hang');
      try {
        await serve([{ provider: 'openai', base_url: `${probe.url}/v1`, api_key: 'sk-probe', label: 'probe' }], { max_concurrent_requests: 1 });
        const controller = new AbortController();
        const first = openaiClient().chat.completions.create(ask(), { signal: controller.signal }).catch((e: unknown) => e);
        await expect.poll(() => probe.state.requests).toBe(1);

        const error = await openaiClient().chat.completions.create(ask()).catch((e: unknown) => e);
        expect(error).toBeInstanceOf(OpenAI.RateLimitError);
        expect((error as InstanceType<typeof OpenAI.RateLimitError>).headers?.get('retry-after')).toBe('1');
        expect((error as Error).message).toContain('max_concurrent_requests');

        const gemini = await request(`${harness.origin()}/v1beta/models/gemini-2.5-flash:generateContent`, {
          method: 'POST',
          headers: { 'content-type': 'application/json' },
          body: JSON.stringify({ contents: [{ role: 'user', parts: [{ text: 'hi' }] }] }),
        });
        expect(gemini.statusCode).toBe(429);
        expect(gemini.headers['retry-after']).toBe('1');
        expect(await gemini.body.json()).toMatchObject({ error: { code: 429, status: 'RESOURCE_EXHAUSTED' } });
        expect(probe.state.requests).toBe(1);

        controller.abort();
        await first;
        // The slot is free again once the proxy has seen the first client leave: a new request
        // is refused (429, at once) until then, and reaches the upstream afterwards.
        await expect
          .poll(async () => {
            const attempt = new AbortController();
            const outcome = openaiClient().chat.completions.create(ask(), { signal: attempt.signal }).catch((e: unknown) => e);
            const admitted = expect.poll(() => probe.state.requests).toBeGreaterThan(1).then(() => 'admitted', () => 'not yet');
            const result = await Promise.race([outcome.then((e) => (e instanceof OpenAI.RateLimitError ? 'refused' : 'other')), admitted]);
            attempt.abort();
            await outcome;
            return result;
          }, { timeout: 5_000 })
          .toBe('admitted');
      } finally {
        await probe.close();
      }
    });
  });
});
