import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import Anthropic from '@anthropic-ai/sdk';
import { GoogleGenAI } from '@google/genai';
import OpenAI from 'openai';
import { request } from 'undici';
import { startFakeAnthropicUpstream, type FakeAnthropicUpstream } from './fakes/fake-anthropic-upstream.js';
import { startFakeGeminiUpstream, type FakeGeminiUpstream } from './fakes/fake-gemini-upstream.js';
import { startFakeOpenAIUpstream, type FakeOpenAIUpstream } from './fakes/fake-openai-upstream.js';
import { CLAUDE_CODE_BETAS, claudeCodeRequest } from './fixtures/claude-code-request.js';
import { openService } from './helpers/running-service.js';

type Harness = Awaited<ReturnType<typeof openService>>;

/** One proxy with one account of the given family (so every request goes to it). */
async function proxyFor(account: { provider: 'openai' | 'anthropic' | 'gemini'; base_url: string; api_key: string }, mapping: Record<string, string> = {}) {
  const harness = await openService({ auth_mode: 'off', model_mapping: mapping });
  harness.service.addAccount({ ...account, label: `${account.provider} account` });
  await harness.service.startProxy();
  return harness;
}

const chatChunk = (delta: object, finish: string | null = null) =>
  `data: ${JSON.stringify({ id: 'chatcmpl-x', object: 'chat.completion.chunk', created: 1, model: 'm', choices: [{ index: 0, delta, logprobs: null, finish_reason: finish }] })}\n\n`;

describe('translation core, end to end', () => {
  let openai: FakeOpenAIUpstream;
  let anthropic: FakeAnthropicUpstream;
  let gemini: FakeGeminiUpstream;
  const harnesses: Harness[] = [];
  const open = async (...args: Parameters<typeof proxyFor>) => {
    const harness = await proxyFor(...args);
    harnesses.push(harness);
    return harness;
  };

  beforeAll(async () => {
    openai = await startFakeOpenAIUpstream();
    anthropic = await startFakeAnthropicUpstream();
    gemini = await startFakeGeminiUpstream({ models: ['gemini-2.5-pro', 'gemini-2.5-flash'] });
  });
  afterAll(async () => {
    for (const harness of harnesses) await harness.close();
    await Promise.all([openai.close(), anthropic.close(), gemini.close()]);
  });

  const accounts = () => ({
    openai: { provider: 'openai' as const, base_url: openai.baseUrl, api_key: openai.apiKey },
    anthropic: { provider: 'anthropic' as const, base_url: anthropic.baseUrl, api_key: anthropic.apiKey },
    gemini: { provider: 'gemini' as const, base_url: gemini.baseUrl, api_key: gemini.apiKey },
  });

  describe('a Claude-Code-shaped request (40 KB system, 24 tools, cache_control, thinking, betas)', () => {
    const send = async (harness: Harness) => {
      const client = new Anthropic({ baseURL: harness.origin(), apiKey: 'sk-cc', maxRetries: 0 });
      const body = claudeCodeRequest();
      const message = await client.messages.stream(body as unknown as Anthropic.MessageStreamParams, { headers: { 'anthropic-beta': CLAUDE_CODE_BETAS } }).finalMessage();
      return message.content.map((block) => (block.type === 'text' ? block.text : '')).join('');
    };

    it('passes through to an Anthropic upstream byte for byte, betas and signatures included', async () => {
      const harness = await open(accounts().anthropic);
      // The history's thinking block was made by this upstream in the session's earlier turn.
      for (const message of claudeCodeRequest().messages) {
        for (const block of Array.isArray(message.content) ? message.content : []) if (block.type === 'thinking') anthropic.issuedThinking.set(block.signature, block.thinking);
      }
      anthropic.fallback = { kind: 'ok', text: 'Found it in src/net/retry-policy.ts.' };
      expect(await send(harness)).toBe('Found it in src/net/retry-policy.ts.');
      const received = anthropic.requests.at(-1)!;
      expect(received.body).toEqual(claudeCodeRequest());
      expect(received.headers['anthropic-beta']).toBe(CLAUDE_CODE_BETAS);
      expect(received.headers['x-api-key']).toBe(anthropic.apiKey);
    });

    it('translates for an OpenAI-compatible upstream: every tool, the whole system prompt, the token limit', async () => {
      const harness = await open(accounts().openai, { 'claude-*': 'gpt-4.1' });
      openai.fallback = { kind: 'ok', text: 'Found it (via OpenAI).' };
      expect(await send(harness)).toBe('Found it (via OpenAI).');
      const body = openai.requests.at(-1)!.body;
      expect(body.model).toBe('gpt-4.1');
      expect(body.tools).toHaveLength(24);
      expect(body.tools.map((t: any) => t.function.name)).toContain('mcp__github__create_issue');
      const system = body.messages.filter((m: any) => m.role === 'system').map((m: any) => (typeof m.content === 'string' ? m.content : JSON.stringify(m.content))).join('');
      expect(system).toContain('Section 60');
      expect(body.max_tokens ?? body.max_completion_tokens).toBe(32000);
      // Both earlier tool calls and their results, tied by id.
      const callIds = body.messages.flatMap((m: any) => m.tool_calls ?? []).map((c: any) => c.id);
      const resultIds = body.messages.filter((m: any) => m.role === 'tool').map((m: any) => m.tool_call_id);
      expect(callIds).toEqual(['toolu_01Grep0000000000000000001', 'toolu_01Glob0000000000000000002']);
      expect(resultIds).toEqual(callIds);
      expect(JSON.stringify(body)).not.toContain('EqQBCkYIBxgCKkDfake'); // an Anthropic signature never goes elsewhere
    });

    it('translates for a Gemini upstream with tool schemas cleaned of what Gemini rejects', async () => {
      const harness = await open(accounts().gemini, { 'claude-*': 'gemini-2.5-pro' });
      gemini.fallback = { kind: 'ok', text: 'Found it (via Gemini).' };
      expect(await send(harness)).toBe('Found it (via Gemini).');
      const received = gemini.requests.at(-1)!;
      expect(received.path).toContain('/v1beta/models/gemini-2.5-pro:streamGenerateContent');
      const body = received.body;
      const declarations = body.tools.flatMap((t: any) => t.functionDeclarations);
      expect(declarations).toHaveLength(24);
      const schemas = JSON.stringify(declarations);
      for (const keyword of ['$schema', 'additionalProperties', 'exclusiveMinimum', '$ref', '$defs', '"const"']) expect(schemas).not.toContain(keyword);
      // Meaning kept: the $ref was inlined, the enum survives, required fields survive.
      const store = declarations.find((d: any) => d.name === 'mcp__memory__store');
      expect(store.parameters.properties.value.properties.text.type.toLowerCase()).toBe('string');
      const grep = declarations.find((d: any) => d.name === 'Grep');
      expect(grep.parameters.properties.output_mode.enum).toEqual(['content', 'files_with_matches', 'count']);
      expect(grep.parameters.required).toEqual(['pattern']);
      expect(body.systemInstruction.parts.map((p: any) => p.text).join('')).toContain('Section 60');
      expect(body.generationConfig.maxOutputTokens).toBe(32000);
      const responses = body.contents.flatMap((c: any) => c.parts).filter((p: any) => p.functionResponse).map((p: any) => p.functionResponse.name);
      expect(responses).toEqual(['Grep', 'Glob']);
    });
  });

  describe('count_tokens / countTokens', () => {
    const countRequest = () => {
      const { model, system, tools, messages } = claudeCodeRequest();
      return { model, system, tools, messages };
    };

    it('asks an Anthropic upstream’s own counting endpoint', async () => {
      const harness = await open(accounts().anthropic);
      const client = new Anthropic({ baseURL: harness.origin(), apiKey: 'x', maxRetries: 0 });
      const result = await client.messages.countTokens(countRequest() as any);
      expect(result.input_tokens).toBeGreaterThan(0);
      expect(anthropic.requests.at(-1)!.path).toBe('/v1/messages/count_tokens');
    });

    it('translates the count for a Gemini upstream', async () => {
      const harness = await open(accounts().gemini, { 'claude-*': 'gemini-2.5-flash' });
      const client = new Anthropic({ baseURL: harness.origin(), apiKey: 'x', maxRetries: 0 });
      const result = await client.messages.countTokens(countRequest() as any);
      expect(result.input_tokens).toBeGreaterThan(0);
      const received = gemini.requests.at(-1)!;
      expect(received.path).toContain('gemini-2.5-flash:countTokens');
      expect(received.body.generateContentRequest.contents.length).toBeGreaterThan(0);
    });

    it('counts locally with a real tokenizer when the upstream has no counting endpoint', async () => {
      const harness = await open(accounts().openai);
      const before = openai.requests.length;
      const client = new Anthropic({ baseURL: harness.origin(), apiKey: 'x', maxRetries: 0 });
      const big = await client.messages.countTokens(countRequest() as any);
      const small = await client.messages.countTokens({ model: 'claude-x', messages: [{ role: 'user', content: 'Hello there' }] });
      expect(openai.requests.length).toBe(before);
      // 40 KB of English plus 24 schemas is ~10k tokens by any tokenizer; "Hello there" is a handful.
      expect(big.input_tokens).toBeGreaterThan(8_000);
      expect(big.input_tokens).toBeLessThan(20_000);
      expect(small.input_tokens).toBeGreaterThan(1);
      expect(small.input_tokens).toBeLessThan(12);
    });

    it('serves Gemini countTokens from each family', async () => {
      for (const family of ['gemini', 'anthropic', 'openai'] as const) {
        const harness = await open(accounts()[family], family === 'gemini' ? {} : { 'gemini-*': family === 'anthropic' ? 'claude-sonnet-4-5-20250929' : 'gpt-4.1' });
        const ai = new GoogleGenAI({ apiKey: 'x', httpOptions: { baseUrl: harness.origin() } });
        const result = await ai.models.countTokens({ model: 'gemini-2.5-flash', contents: 'How many tokens is this sentence?' });
        expect(result.totalTokens, family).toBeGreaterThan(3);
        expect(result.totalTokens, family).toBeLessThan(30);
      }
    });
  });

  describe('streams that go wrong reach the client in its own protocol', () => {
    it('an OpenAI error line after a 200 becomes an Anthropic stream error the SDK raises', async () => {
      const harness = await open(accounts().openai);
      openai.queue.push({
        kind: 'script',
        chunks: [chatChunk({ role: 'assistant', content: '' }), chatChunk({ content: 'partial ' }), `data: ${JSON.stringify({ error: { message: 'The server had an error processing your request.', type: 'server_error', param: null, code: null } })}\n\n`],
      });
      const client = new Anthropic({ baseURL: harness.origin(), apiKey: 'x', maxRetries: 0 });
      const stream = client.messages.stream({ model: 'm', max_tokens: 100, messages: [{ role: 'user', content: 'hi' }] });
      await expect(stream.finalMessage()).rejects.toThrow(/server had an error/);
    });

    it('a stream cut off without a finish ends with an error, never a hang', async () => {
      const harness = await open(accounts().anthropic);
      anthropic.queue.push({
        kind: 'script',
        chunks: [
          `event: message_start\ndata: ${JSON.stringify({ type: 'message_start', message: { id: 'msg_1', type: 'message', role: 'assistant', model: 'm', content: [], stop_reason: null, stop_sequence: null, usage: { input_tokens: 3, output_tokens: 1 } } })}\n\n`,
          `event: content_block_start\ndata: ${JSON.stringify({ type: 'content_block_start', index: 0, content_block: { type: 'text', text: '' } })}\n\n`,
          `event: content_block_delta\ndata: ${JSON.stringify({ type: 'content_block_delta', index: 0, delta: { type: 'text_delta', text: 'cut he' } })}\n\n`,
        ],
        abortAtEnd: true,
      });
      const client = new OpenAI({ baseURL: `${harness.origin()}/v1`, apiKey: 'x', maxRetries: 0 });
      const stream = await client.chat.completions.create({ model: 'm', stream: true, messages: [{ role: 'user', content: 'hi' }] });
      let text = '';
      await expect(
        (async () => {
          for await (const chunk of stream) text += chunk.choices[0]?.delta.content ?? '';
        })(),
      ).rejects.toThrow();
      expect(text).toBe('cut he');
    });

    it('keeps a multibyte character whole when the upstream splits it across chunks (CRLF framing)', async () => {
      const harness = await open(accounts().openai);
      const line = Buffer.from(chatChunk({ content: '日本語 and ü' }).replace(/\n/g, '\r\n'));
      const cut = line.indexOf(Buffer.from('本')) + 1; // inside the 3-byte UTF-8 sequence
      openai.queue.push({ kind: 'script', chunks: [chatChunk({ role: 'assistant', content: '' }), line.subarray(0, cut), line.subarray(cut), chatChunk({}, 'stop'), 'data: [DONE]\n\n'], delayMs: 5 });
      const client = new Anthropic({ baseURL: harness.origin(), apiKey: 'x', maxRetries: 0 });
      const message = await client.messages.stream({ model: 'm', max_tokens: 100, messages: [{ role: 'user', content: 'hi' }] }).finalMessage();
      expect(message.content.map((block) => (block.type === 'text' ? block.text : block.type))).toEqual(['日本語 and ü']);
    });
  });

  describe('thinking', () => {
    it('OpenAI-style reasoning deltas become Anthropic thinking', async () => {
      const harness = await open(accounts().openai);
      openai.queue.push({ kind: 'ok', text: 'The answer is 4.', reasoning: 'Two plus two is four.' });
      const client = new Anthropic({ baseURL: harness.origin(), apiKey: 'x', maxRetries: 0 });
      const message = await client.messages.stream({ model: 'm', max_tokens: 2000, messages: [{ role: 'user', content: '2+2?' }] }).finalMessage();
      expect(message.content[0]).toMatchObject({ type: 'thinking', thinking: 'Two plus two is four.' });
      expect(message.content[1]).toMatchObject({ type: 'text', text: 'The answer is 4.' });
    });

    it('Anthropic thinking reaches an OpenAI client as reasoning_content', async () => {
      const harness = await open(accounts().anthropic);
      anthropic.queue.push({ kind: 'ok', text: 'Four.', thinking: { text: 'Simple arithmetic.', signature: 'sig-abc' } });
      const client = new OpenAI({ baseURL: `${harness.origin()}/v1`, apiKey: 'x', maxRetries: 0 });
      const completion = await client.chat.completions.create({ model: 'm', messages: [{ role: 'user', content: '2+2?' }] });
      expect(completion.choices[0]?.message.content).toBe('Four.');
      expect((completion.choices[0]?.message as unknown as { reasoning_content: string }).reasoning_content).toBe('Simple arithmetic.');
    });
  });

  it('a signature from another family never reaches an upstream that would reject it', async () => {
    // Turn 1 is served by Gemini: the Anthropic client receives Gemini's signature, wrapped.
    const viaGemini = await open(accounts().gemini, { 'claude-*': 'gemini-2.5-flash' });
    gemini.queue.push({ kind: 'ok', text: 'Thought about it.', thoughts: 'Let me think.', thoughtSignature: 'google-sig-1' });
    const client1 = new Anthropic({ baseURL: viaGemini.origin(), apiKey: 'x', maxRetries: 0 });
    const first = await client1.messages.create({ model: 'claude-x', max_tokens: 2000, messages: [{ role: 'user', content: 'q1' }] });
    const thinking = first.content.find((block) => block.type === 'thinking');
    expect(thinking).toBeDefined();
    // Turn 2 goes to an Anthropic account (pass-through): the foreign block is removed, the rest is the client's.
    const viaAnthropic = await open(accounts().anthropic);
    anthropic.queue.push({ kind: 'ok', text: 'Done.' });
    const client2 = new Anthropic({ baseURL: viaAnthropic.origin(), apiKey: 'x', maxRetries: 0 });
    await client2.messages.create({
      model: 'claude-x',
      max_tokens: 2000,
      messages: [{ role: 'user', content: 'q1' }, { role: 'assistant', content: first.content as Anthropic.ContentBlockParam[] }, { role: 'user', content: 'q2' }],
    });
    const sent = anthropic.requests.at(-1)!.body;
    expect(JSON.stringify(sent)).not.toContain('localgate.');
    expect(sent.messages[1].content.map((block: any) => block.type)).toEqual(['text']);
    expect(sent.messages[2]).toEqual({ role: 'user', content: 'q2' });
  });

  describe('request features across protocols', () => {
    const PNG = 'iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mP8z8BQDwAEhQGAhKmMIQAAAABJRU5ErkJggg==';

    it('images: a data URI becomes base64 for Anthropic and Gemini; a remote URL stays a URL; local files are refused', async () => {
      const toAnthropic = await open(accounts().anthropic);
      const client = new OpenAI({ baseURL: `${toAnthropic.origin()}/v1`, apiKey: 'x', maxRetries: 0 });
      await client.chat.completions.create({
        model: 'm',
        messages: [{ role: 'user', content: [{ type: 'text', text: 'What is this?' }, { type: 'image_url', image_url: { url: `data:image/png;base64,${PNG}` } }, { type: 'image_url', image_url: { url: 'https://example.com/cat.jpg' } }] }],
      });
      const blocks = anthropic.requests.at(-1)!.body.messages[0].content;
      expect(blocks).toContainEqual({ type: 'image', source: { type: 'base64', media_type: 'image/png', data: PNG } });
      expect(blocks).toContainEqual({ type: 'image', source: { type: 'url', url: 'https://example.com/cat.jpg' } });

      const toGemini = await open(accounts().gemini, { m: 'gemini-2.5-flash' });
      const geminiClient = new OpenAI({ baseURL: `${toGemini.origin()}/v1`, apiKey: 'x', maxRetries: 0 });
      await geminiClient.chat.completions.create({ model: 'm', messages: [{ role: 'user', content: [{ type: 'image_url', image_url: { url: `data:image/png;base64,${PNG}` } }] }] });
      expect(gemini.requests.at(-1)!.body.contents[0].parts).toContainEqual({ inlineData: { mimeType: 'image/png', data: PNG } });

      const sentBefore = anthropic.requests.length;
      const refused = await client.chat.completions
        .create({ model: 'm', messages: [{ role: 'user', content: [{ type: 'image_url', image_url: { url: 'file:///etc/passwd' } }] }] })
        .catch((e: unknown) => e);
      expect(refused).toBeInstanceOf(OpenAI.BadRequestError);
      expect(anthropic.requests.length).toBe(sentBefore);
    });

    it('several system prompts, leading and mid-conversation, all reach Anthropic', async () => {
      const harness = await open(accounts().anthropic);
      const client = new OpenAI({ baseURL: `${harness.origin()}/v1`, apiKey: 'x', maxRetries: 0 });
      await client.chat.completions.create({
        model: 'm',
        messages: [
          { role: 'system', content: 'Rule one.' },
          { role: 'developer', content: 'Rule two.' },
          { role: 'user', content: 'hi' },
          { role: 'assistant', content: 'hello' },
          { role: 'system', content: 'Rule three, later.' },
          { role: 'user', content: 'again' },
        ],
      });
      const system = JSON.stringify(anthropic.requests.at(-1)!.body.system);
      for (const rule of ['Rule one.', 'Rule two.', 'Rule three, later.']) expect(system).toContain(rule);
    });

    it('token limits: max_completion_tokens reaches each upstream in its own field; Anthropic gets a configurable default', async () => {
      const toAnthropic = await open(accounts().anthropic);
      const client = new OpenAI({ baseURL: `${toAnthropic.origin()}/v1`, apiKey: 'x', maxRetries: 0 });
      await client.chat.completions.create({ model: 'claude-sonnet-4-5', max_completion_tokens: 777, messages: [{ role: 'user', content: 'hi' }] });
      expect(anthropic.requests.at(-1)!.body.max_tokens).toBe(777);
      await client.chat.completions.create({ model: 'claude-sonnet-4-5', messages: [{ role: 'user', content: 'hi' }] });
      expect(anthropic.requests.at(-1)!.body.max_tokens).toBe(8192);
      await toAnthropic.service.updateConfig({ default_max_tokens: { 'claude-sonnet-*': 2048 } });
      await client.chat.completions.create({ model: 'claude-sonnet-4-5', messages: [{ role: 'user', content: 'hi' }] });
      expect(anthropic.requests.at(-1)!.body.max_tokens).toBe(2048);

      const toGemini = await open(accounts().gemini, { m: 'gemini-2.5-flash' });
      await new OpenAI({ baseURL: `${toGemini.origin()}/v1`, apiKey: 'x', maxRetries: 0 }).chat.completions.create({ model: 'm', max_completion_tokens: 555, messages: [{ role: 'user', content: 'hi' }] });
      expect(gemini.requests.at(-1)!.body.generationConfig.maxOutputTokens).toBe(555);
    });

    it('JSON schema output: OpenAI response_format becomes Gemini’s JSON MIME type and schema', async () => {
      const harness = await open(accounts().gemini, { m: 'gemini-2.5-flash' });
      gemini.queue.push({ kind: 'ok', text: '{"city":"Paris"}' });
      const client = new OpenAI({ baseURL: `${harness.origin()}/v1`, apiKey: 'x', maxRetries: 0 });
      const completion = await client.chat.completions.create({
        model: 'm',
        messages: [{ role: 'user', content: 'City?' }],
        response_format: { type: 'json_schema', json_schema: { name: 'answer', schema: { type: 'object', properties: { city: { type: 'string' } }, required: ['city'] } } },
      });
      expect(JSON.parse(completion.choices[0]!.message.content!)).toEqual({ city: 'Paris' });
      const config = gemini.requests.at(-1)!.body.generationConfig;
      expect(config.responseMimeType).toBe('application/json');
      expect(JSON.stringify(config.responseSchema ?? config.responseJsonSchema)).toContain('city');
    });

    it('reasoning effort becomes a thinking budget, and a budget becomes Gemini’s', async () => {
      const toAnthropic = await open(accounts().anthropic);
      await new OpenAI({ baseURL: `${toAnthropic.origin()}/v1`, apiKey: 'x', maxRetries: 0 }).chat.completions.create({
        model: 'claude-sonnet-4-5',
        reasoning_effort: 'high',
        max_completion_tokens: 32000,
        messages: [{ role: 'user', content: 'think hard' }],
      });
      expect(anthropic.requests.at(-1)!.body.thinking).toEqual({ type: 'enabled', budget_tokens: 16384 });

      const toGemini = await open(accounts().gemini, { 'claude-*': 'gemini-2.5-flash' });
      await new Anthropic({ baseURL: toGemini.origin(), apiKey: 'x', maxRetries: 0 }).messages.create({
        model: 'claude-sonnet-4-5',
        max_tokens: 20000,
        thinking: { type: 'enabled', budget_tokens: 5000 },
        messages: [{ role: 'user', content: 'think' }],
      });
      expect(gemini.requests.at(-1)!.body.generationConfig.thinkingConfig).toMatchObject({ thinkingBudget: 5000 });
    });
  });

  describe('the rest of each protocol’s surface', () => {
    it('lists models in each protocol’s shape', async () => {
      const harness = await open(accounts().gemini);
      const anthropicIds: string[] = [];
      for await (const model of new Anthropic({ baseURL: harness.origin(), apiKey: 'x' }).models.list()) anthropicIds.push(model.id);
      expect(anthropicIds).toEqual(['gemini-2.5-flash', 'gemini-2.5-pro']);
      const ai = new GoogleGenAI({ apiKey: 'x', httpOptions: { baseUrl: harness.origin() } });
      const names: string[] = [];
      for await (const model of await ai.models.list()) names.push(model.name ?? '');
      expect(names).toEqual(['models/gemini-2.5-flash', 'models/gemini-2.5-pro']);
      const one = await ai.models.get({ model: 'gemini-2.5-pro' });
      expect(one.name).toBe('models/gemini-2.5-pro');
    });

    it('streams Gemini’s JSON-array form (no alt=sse), translated and passed through', async () => {
      for (const family of ['openai', 'gemini'] as const) {
        const harness = await open(accounts()[family]);
        if (family === 'openai') openai.queue.push({ kind: 'ok', text: 'array form works' });
        else gemini.queue.push({ kind: 'ok', text: 'array form works' });
        const response = await request(`${harness.origin()}/v1beta/models/gemini-2.5-flash:streamGenerateContent`, {
          method: 'POST',
          headers: { 'content-type': 'application/json' },
          body: JSON.stringify({ contents: [{ role: 'user', parts: [{ text: 'hi' }] }] }),
        });
        expect(response.statusCode, family).toBe(200);
        expect(String(response.headers['content-type']), family).toContain('application/json');
        const chunks = JSON.parse(await response.body.text()) as Array<{ candidates?: Array<{ content?: { parts?: Array<{ text?: string }> } }> }>;
        expect(Array.isArray(chunks)).toBe(true);
        const text = chunks.flatMap((chunk) => chunk.candidates?.[0]?.content?.parts ?? []).map((part) => part.text ?? '').join('');
        expect(text, family).toBe('array form works');
        if (family === 'gemini') expect(gemini.requests.at(-1)!.path).not.toContain('alt=sse');
      }
    });

    it('answers Claude Code telemetry with an empty 200 that never reaches an upstream', async () => {
      const harness = await open(accounts().anthropic);
      const before = anthropic.requests.length;
      const response = await request(`${harness.origin()}/api/event_logging/batch`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{"events":[]}' });
      expect(response.statusCode).toBe(200);
      expect(await response.body.json()).toEqual({});
      expect(anthropic.requests.length).toBe(before);
    });

    it('accepts Gemini’s ?key= as one more way to present the proxy key', async () => {
      const harness = await open(accounts().gemini);
      await harness.service.updateConfig({ auth_mode: 'strict' });
      const key = harness.service.config().api_key;
      const denied = await request(`${harness.origin()}/v1beta/models`);
      expect(denied.statusCode).toBe(401);
      await denied.body.dump();
      const allowed = await request(`${harness.origin()}/v1beta/models?key=${key}`);
      expect(allowed.statusCode).toBe(200);
      await allowed.body.dump();
      // The proxy key never travels upstream, in the URL or anywhere else.
      const ai = new GoogleGenAI({ apiKey: key, httpOptions: { baseUrl: harness.origin() } });
      await ai.models.generateContent({ model: 'gemini-2.5-flash', contents: 'hi' });
      const sent = gemini.requests.at(-1)!;
      expect(sent.path).not.toContain(key);
      expect(JSON.stringify(sent.headers)).not.toContain(key);
    });
  });
});
