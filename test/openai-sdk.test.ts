import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import OpenAI from 'openai';
import { startFakeOpenAIUpstream, type FakeOpenAIUpstream } from './fakes/fake-openai-upstream.js';
import { openService } from './helpers/running-service.js';

type Harness = Awaited<ReturnType<typeof openService>>;

describe('OpenAI SDK → Localgate → OpenAI-compatible upstream', () => {
  let harness: Harness;
  let upstreamA: FakeOpenAIUpstream;
  let upstreamB: FakeOpenAIUpstream;
  let client: OpenAI;

  beforeEach(async () => {
    upstreamA = await startFakeOpenAIUpstream();
    upstreamB = await startFakeOpenAIUpstream();
    harness = await openService({ auth_mode: 'strict' });
    client = new OpenAI({ baseURL: `${harness.origin()}/v1`, apiKey: harness.service.config().api_key, maxRetries: 0 });
  });

  afterEach(async () => {
    await harness.close();
    await upstreamA.close();
    await upstreamB.close();
  });

  async function addAccount(upstream: FakeOpenAIUpstream, label: string, models?: string[]) {
    return harness.service.addAccount({ provider: 'openai', base_url: upstream.baseUrl, api_key: upstream.apiKey, label, ...(models ? { models } : {}) });
  }

  it('answers a non-streaming chat completion with the upstream account key, never the proxy key', async () => {
    await addAccount(upstreamA, 'A');
    await harness.service.startProxy();
    upstreamA.fallback = { kind: 'ok', text: 'Paris is the capital of France.' };

    const completion = await client.chat.completions.create({
      model: 'gpt-4o-mini',
      messages: [{ role: 'user', content: 'Capital of France?' }],
      temperature: 0.2,
    });

    expect(completion.choices[0]?.message.content).toBe('Paris is the capital of France.');
    expect(completion.usage?.total_tokens).toBe(18);
    const received = upstreamA.requests.at(-1)!;
    expect(received.path).toBe('/v1/chat/completions');
    expect(received.headers.authorization).toBe(`Bearer ${upstreamA.apiKey}`);
    expect(JSON.stringify(received.headers)).not.toContain(harness.service.config().api_key);
    expect(received.body).toEqual({ model: 'gpt-4o-mini', messages: [{ role: 'user', content: 'Capital of France?' }], temperature: 0.2 });
  });

  it("passes a JSON answer's Content-Length along with its bytes, instead of re-framing them in chunks", async () => {
    await addAccount(upstreamA, 'A');
    await harness.service.startProxy();
    const answer = JSON.stringify({
      id: 'chatcmpl-len',
      object: 'chat.completion',
      created: 1,
      model: 'gpt-4o-mini',
      choices: [{ index: 0, message: { role: 'assistant', content: 'Sized.' }, logprobs: null, finish_reason: 'stop' }],
      usage: { prompt_tokens: 3, completion_tokens: 2, total_tokens: 5 },
    });
    upstreamA.queue.push({ kind: 'script', headers: { 'content-type': 'application/json', 'content-length': String(Buffer.byteLength(answer)) }, chunks: [answer] });

    const { data, response } = await client.chat.completions.create({ model: 'gpt-4o-mini', messages: [{ role: 'user', content: 'hi' }] }).withResponse();

    expect(data.choices[0]?.message.content).toBe('Sized.');
    expect(response.headers.get('content-length')).toBe(String(Buffer.byteLength(answer)));
    expect(response.headers.get('transfer-encoding')).toBeNull();
  });

  it('relays a stream chunk by chunk as the upstream produces it, with usage in the last chunk', async () => {
    await addAccount(upstreamA, 'A');
    await harness.service.startProxy();
    const words = 'one two three four five six';
    upstreamA.fallback = { kind: 'ok', text: words, delayBetweenChunksMs: 120 };

    const stream = await client.chat.completions.create({
      model: 'gpt-4o-mini',
      messages: [{ role: 'user', content: 'count' }],
      stream: true,
      stream_options: { include_usage: true },
    });
    const arrivals: Array<{ at: number; content: string }> = [];
    let lastChunk: OpenAI.Chat.Completions.ChatCompletionChunk | undefined;
    for await (const chunk of stream) {
      lastChunk = chunk;
      const content = chunk.choices[0]?.delta.content;
      if (content) arrivals.push({ at: performance.now(), content });
    }

    expect(arrivals.map((a) => a.content).join('')).toBe(words);
    // Six pieces 120 ms apart upstream: a buffering proxy would deliver them together.
    const spread = arrivals.at(-1)!.at - arrivals[0]!.at;
    expect(spread).toBeGreaterThan(4 * 120 * 0.8);
    expect(lastChunk?.choices).toEqual([]);
    expect(lastChunk?.usage).toEqual({ prompt_tokens: 11, completion_tokens: 7, total_tokens: 18 });
    expect(upstreamA.requests.at(-1)!.body.stream_options).toEqual({ include_usage: true });

    const [entry] = harness.service.recentRequests(1);
    expect(entry).toMatchObject({
      method: 'POST', path: '/v1/chat/completions', protocol: 'openai', model: 'gpt-4o-mini', mapped_model: 'gpt-4o-mini',
      account: 'A', status: 200, stream: true, tokens_in: 11, tokens_out: 7,
    });
    expect(entry!.latency_ms).toBeGreaterThan(entry!.ttfb_ms!);
    expect(JSON.stringify(entry)).not.toContain(upstreamA.apiKey);
  });

  it('rewrites the model by mapping: exact beats wildcard, the most specific wildcard wins', async () => {
    await addAccount(upstreamA, 'A');
    await harness.service.updateConfig({
      model_mapping: { 'claude-*': 'gpt-4o-mini', 'claude-opus-*': 'gpt-4o', 'claude-opus-4': 'gpt-4.1' },
    });
    await harness.service.startProxy();

    const sent: string[] = [];
    for (const model of ['claude-sonnet-4', 'claude-opus-4-5', 'claude-opus-4', 'gpt-3.5-turbo']) {
      await client.chat.completions.create({ model, messages: [{ role: 'user', content: 'hi' }] });
      sent.push(upstreamA.requests.at(-1)!.body.model);
    }
    expect(sent).toEqual(['gpt-4o-mini', 'gpt-4o', 'gpt-4.1', 'gpt-3.5-turbo']);
  });

  it('fails over from a rate-limited account to a healthy one and cools the first until Retry-After', async () => {
    const a = await addAccount(upstreamA, 'A');
    await addAccount(upstreamB, 'B');
    await harness.service.startProxy();
    upstreamA.fallback = {
      kind: 'error',
      status: 429,
      message: 'Rate limit reached for requests',
      headers: { 'retry-after': '30', 'x-ratelimit-remaining-requests': '0', 'x-ratelimit-reset-requests': '30s' },
    };
    upstreamB.fallback = { kind: 'ok', text: 'from B' };

    const before = Date.now();
    const answers: string[] = [];
    for (let i = 0; i < 3; i++) {
      const completion = await client.chat.completions.create({ model: 'gpt-4o-mini', messages: [{ role: 'user', content: `q${i}` }] });
      answers.push(completion.choices[0]!.message.content!);
    }
    expect(answers).toEqual(['from B', 'from B', 'from B']);
    // A was tried at most once: after its 429 it rests, so later requests go straight to B.
    expect(upstreamA.requests.filter((r) => r.path === '/v1/chat/completions').length).toBe(1);
    // Providers rate-limit per model: A rests for gpt-4o-mini only and still serves other models.
    const view = harness.service.listAccounts().find((acc) => acc.id === a.id)!;
    expect(view.status.state).toBe('ready');
    const cooling = view.models_cooling?.find((entry) => entry.model === 'gpt-4o-mini');
    expect(cooling).toBeDefined();
    expect(cooling!.until).toBeGreaterThanOrEqual(before + 29_000);
    expect(cooling!.until).toBeLessThanOrEqual(Date.now() + 31_000);
  });

  it('answers at once with 429 and a retry time when every account is throttled (no sleeping on the connection)', async () => {
    await addAccount(upstreamA, 'A');
    await addAccount(upstreamB, 'B');
    await harness.service.startProxy();
    upstreamA.fallback = { kind: 'error', status: 429, headers: { 'retry-after': '20' } };
    upstreamB.fallback = { kind: 'error', status: 429, headers: { 'retry-after': '40' } };

    const started = performance.now();
    const error = await client.chat.completions
      .create({ model: 'gpt-4o-mini', messages: [{ role: 'user', content: 'hi' }] })
      .catch((e: unknown) => e);
    expect(error).toBeInstanceOf(OpenAI.RateLimitError);
    const rateLimit = error as InstanceType<typeof OpenAI.RateLimitError>;
    expect(rateLimit.status).toBe(429);
    expect(Number(rateLimit.headers?.get('retry-after'))).toBeGreaterThanOrEqual(19);
    expect(performance.now() - started).toBeLessThan(2_000);

    // The next request does not even reach an upstream: the pool knows both rest.
    const sentBefore = upstreamA.requests.length + upstreamB.requests.length;
    const second = await client.chat.completions.create({ model: 'gpt-4o-mini', messages: [{ role: 'user', content: 'again' }] }).catch((e: unknown) => e);
    expect(second).toBeInstanceOf(OpenAI.RateLimitError);
    expect((second as Error).message).toMatch(/retry in \d+ s/);
    expect(upstreamA.requests.length + upstreamB.requests.length).toBe(sentBefore);
  });

  it('returns the upstream status in OpenAI format when the only account fails, and rests that account', async () => {
    const a = await addAccount(upstreamA, 'A');
    await harness.service.startProxy();
    upstreamA.fallback = { kind: 'error', status: 500, message: 'The server had an error while processing your request.' };
    const error = await client.chat.completions.create({ model: 'gpt-4o-mini', messages: [{ role: 'user', content: 'x' }] }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(OpenAI.InternalServerError);
    expect((error as InstanceType<typeof OpenAI.InternalServerError>).status).toBe(500);
    expect((error as Error).message).toContain('answered HTTP 500');
    expect(harness.service.listAccounts().find((acc) => acc.id === a.id)!.status).toMatchObject({ state: 'cooling', reason: 'upstream error (HTTP 500)' });
  });

  it('fails over when an upstream cannot be reached at all', async () => {
    await harness.service.addAccount({ provider: 'openai', base_url: 'http://127.0.0.1:9/v1', api_key: 'sk-unreachable', label: 'down' });
    await addAccount(upstreamB, 'B');
    await harness.service.startProxy();
    upstreamB.fallback = { kind: 'ok', text: 'B answers' };
    for (let i = 0; i < 2; i++) {
      const completion = await client.chat.completions.create({ model: 'gpt-4o-mini', messages: [{ role: 'user', content: 'x' }] });
      expect(completion.choices[0]?.message.content).toBe('B answers');
    }
    const down = harness.service.listAccounts().find((acc) => acc.label === 'down')!;
    expect(down.status).toMatchObject({ state: 'cooling', reason: 'upstream unreachable (ECONNREFUSED)' });
  });

  it('disables an account whose key the upstream rejects and serves from the next one', async () => {
    const bad = await harness.service.addAccount({ provider: 'openai', base_url: upstreamA.baseUrl, api_key: 'sk-wrong-key', label: 'bad' });
    await addAccount(upstreamB, 'B');
    await harness.service.startProxy();
    upstreamB.fallback = { kind: 'ok', text: 'ok from B' };

    const completion = await client.chat.completions.create({ model: 'gpt-4o-mini', messages: [{ role: 'user', content: 'hi' }] });
    expect(completion.choices[0]?.message.content).toBe('ok from B');
    const state = harness.service.listAccounts().find((acc) => acc.id === bad.id)!.status;
    expect(state).toEqual({ state: 'disabled', kind: 'key-rejected', reason: 'upstream rejected the key (HTTP 401)' });
  });

  it('returns a client error from the upstream as is, without failing over', async () => {
    await addAccount(upstreamA, 'A');
    await addAccount(upstreamB, 'B');
    await harness.service.startProxy();
    const invalid = { kind: 'error' as const, status: 400, type: 'invalid_request_error', code: 'context_length_exceeded', message: "This model's maximum context length is 128000 tokens." };
    upstreamA.fallback = invalid;
    upstreamB.fallback = invalid;

    const error = await client.chat.completions.create({ model: 'gpt-4o-mini', messages: [{ role: 'user', content: 'x' }] }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(OpenAI.BadRequestError);
    expect((error as InstanceType<typeof OpenAI.BadRequestError>).code).toBe('context_length_exceeded');
    expect(upstreamA.requests.length + upstreamB.requests.length).toBe(1);
  });

  it('answers 404 in OpenAI format naming a model no account serves', async () => {
    await addAccount(upstreamA, 'A', ['gpt-4o*']);
    await harness.service.startProxy();
    const error = await client.chat.completions.create({ model: 'claude-sonnet-4', messages: [{ role: 'user', content: 'x' }] }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(OpenAI.NotFoundError);
    expect((error as Error).message).toContain('claude-sonnet-4');
    expect(upstreamA.requests).toHaveLength(0);

    const ok = await client.chat.completions.create({ model: 'gpt-4o-mini', messages: [{ role: 'user', content: 'x' }] });
    expect(ok.choices[0]?.message.content).toBeTruthy();
  });

  it('lists the models the pool can serve', async () => {
    await addAccount(upstreamA, 'A');
    await addAccount(upstreamB, 'B', ['team-model', 'glob-*']);
    await harness.service.updateConfig({ model_mapping: { 'my-alias': 'gpt-4o', 'claude-*': 'gpt-4o-mini' } });
    await harness.service.startProxy();
    const ids: string[] = [];
    for await (const model of client.models.list()) ids.push(model.id);
    expect(ids.sort()).toEqual(['gpt-4o', 'gpt-4o-mini', 'my-alias', 'team-model']);
  });

  it('cancels the upstream request when the client disconnects mid-stream', async () => {
    await addAccount(upstreamA, 'A');
    await harness.service.startProxy();
    upstreamA.fallback = { kind: 'ok', text: 'a b c d e f g h i j k l m n o p', delayBetweenChunksMs: 100 };
    const controller = new AbortController();
    const stream = await client.chat.completions.create(
      { model: 'gpt-4o-mini', messages: [{ role: 'user', content: 'long' }], stream: true },
      { signal: controller.signal },
    );
    let received = 0;
    try {
      for await (const chunk of stream) {
        if (chunk.choices[0]?.delta.content) received += 1;
        if (received === 2) controller.abort();
      }
    } catch {
      // The SDK may end the iteration or throw an abort error; either way the client has left.
    }
    expect(received).toBe(2);
    await expect.poll(() => upstreamA.disconnects, { timeout: 3_000 }).toBe(1);
  });
});
