import { describe, expect, it, vi } from 'vitest';
import OpenAI from 'openai';
import { CONTINUE_INSTRUCTION, FILL_IN_THE_MIDDLE_INSTRUCTION } from '../host/codecs/openai-completions/decode-request.js';
import { useProxyOverFakes } from './helpers/proxy-over-fakes.js';

/**
 * Legacy completions (`client.completions.create`, what editors' autocompletion calls) end to
 * end: the real openai SDK → Localgate → fake upstreams. An OpenAI-compatible account with
 * /completions gets the request as sent; one without it (404) and accounts of other families get
 * a chat request in their own protocol, and the answer comes back as `text_completion`.
 */
describe('legacy completions', () => {
  const fakes = useProxyOverFakes();
  const { account, serve } = fakes;
  const client = () => new OpenAI({ baseURL: `${fakes.harness().origin()}/v1`, apiKey: 'x', maxRetries: 0 });
  const entries = (count: number) =>
    vi.waitFor(() => {
      const recent = fakes.harness().service.recentRequests();
      expect(recent).toHaveLength(count);
      return recent;
    });

  describe('OpenAI-compatible account with /completions: passed through', () => {
    it('not streamed: the body as the SDK sent it, the answer as the upstream wrote it', async () => {
      await serve([account.openai()]);
      fakes.openai().legacyCompletions = true;
      fakes.openai().fallback = { kind: 'ok', text: 'return a + b;' };
      const params = { model: 'gpt-3.5-turbo-instruct', prompt: 'function add(a, b) {\n  ', suffix: '\n}', max_tokens: 32, stop: ['\n\n'], temperature: 0 };
      const { data, response } = await client().completions.create(params).withResponse();

      const received = fakes.openai().requests.at(-1)!;
      expect(received.path).toBe('/v1/completions');
      expect(received.headers.authorization).toBe(`Bearer ${fakes.openai().apiKey}`);
      expect(received.body).toEqual(params);
      expect(data.object).toBe('text_completion');
      expect(data.choices[0]).toEqual({ text: 'return a + b;', index: 0, logprobs: null, finish_reason: 'stop' });
      expect(response.headers.get('x-localgate-warnings')).toBeNull();
      const [entry] = await entries(1);
      expect(entry).toMatchObject({ path: '/v1/completions', status: 200, account: 'openai', tokens_in: data.usage!.prompt_tokens, tokens_out: data.usage!.completion_tokens });
    });

    it('streamed: text_completion chunks relayed as they come, usage in the last one', async () => {
      await serve([account.openai()]);
      fakes.openai().legacyCompletions = true;
      fakes.openai().fallback = { kind: 'ok', text: 'one two three' };
      const stream = await client().completions.create({ model: 'gpt-3.5-turbo-instruct', prompt: 'count:', stream: true, stream_options: { include_usage: true } });
      const texts: string[] = [];
      let usage: OpenAI.CompletionUsage | undefined;
      for await (const chunk of stream) {
        expect(chunk.object).toBe('text_completion');
        if (chunk.choices[0]) texts.push(chunk.choices[0].text);
        if (chunk.usage) usage = chunk.usage;
      }
      expect(texts).toEqual(['one', ' two', ' three']);
      expect(usage?.total_tokens).toBeGreaterThan(0);
      expect(fakes.openai().requests.map((request) => request.path)).toEqual(['/v1/completions']);
    });
  });

  describe('OpenAI-compatible account without /completions: translated to Chat', () => {
    it('asks chat after the 404, answers as text_completion with a warning, and asks chat directly the next time', async () => {
      await serve([account.openai()]);
      fakes.openai().legacyCompletions = false;
      fakes.openai().fallback = { kind: 'ok', text: 'world' };
      const { data, response } = await client().completions.create({ model: 'gpt-4o-mini', prompt: 'Hello', max_tokens: 5, stop: '.' }).withResponse();

      const [first, second] = fakes.openai().requests;
      expect(first!.path).toBe('/v1/completions');
      expect(second!.path).toBe('/v1/chat/completions');
      expect(second!.body).toEqual({
        model: 'gpt-4o-mini',
        messages: [
          { role: 'system', content: CONTINUE_INSTRUCTION },
          { role: 'user', content: 'Hello' },
        ],
        max_tokens: 5,
        stop: ['.'],
      });
      expect(data).toMatchObject({ object: 'text_completion', model: 'gpt-4o-mini', choices: [{ text: 'world', index: 0, logprobs: null, finish_reason: 'stop' }] });
      expect(data.usage).toMatchObject({ prompt_tokens: 11, completion_tokens: 7, total_tokens: 18 });
      expect(response.headers.get('x-localgate-warnings')).toBe('coerced-prompt');

      // The 404 meant "no such endpoint", not "no such model": the only account still serves the
      // model (else this would be Localgate's 404), and is asked chat at once.
      const again = await client().completions.create({ model: 'gpt-4o-mini', prompt: 'Again' });
      expect(again.choices[0]?.text).toBe('world');
      expect(fakes.openai().requests.map((request) => request.path)).toEqual(['/v1/completions', '/v1/chat/completions', '/v1/chat/completions']);
      const recorded = await entries(2);
      expect(recorded.map((entry) => entry.tokens_out)).toEqual([7, 7]);
    });
  });

  it("OpenAI's own 404 for a chat model at /completions: the same account is asked chat", async () => {
    await serve([account.openai()]);
    fakes.openai().legacyCompletions = true;
    fakes.openai().fallback = { kind: 'ok', text: 'continued' };
    const data = await client().completions.create({ model: 'gpt-4o', prompt: 'Go on:' });
    expect(fakes.openai().requests.map((request) => request.path)).toEqual(['/v1/completions', '/v1/chat/completions']);
    expect(data.choices[0]?.text).toBe('continued');
  });

  describe('accounts of other families: translated to their protocol', () => {
    it('Anthropic, streamed, with suffix: a fill-in-the-middle Messages request; one chunk per upstream delta', async () => {
      await serve([account.anthropic()]);
      fakes.anthropic().fallback = { kind: 'ok', text: 'const sum = a + b;' };
      const { data: stream, response } = await client()
        .completions.create({ model: 'claude-sonnet-4-5', prompt: 'function add(a, b) {\n  ', suffix: '\n  return sum;\n}', max_tokens: 64, stop: ['\n\n'], stream: true, stream_options: { include_usage: true } })
        .withResponse();
      const chunks: OpenAI.Completion[] = [];
      for await (const chunk of stream) chunks.push(chunk);

      const received = fakes.anthropic().requests.at(-1)!;
      expect(received.path).toBe('/v1/messages');
      expect(received.body).toMatchObject({
        model: 'claude-sonnet-4-5',
        max_tokens: 64,
        stop_sequences: ['\n\n'],
        stream: true,
        messages: [{ role: 'user', content: [{ type: 'text', text: '<prefix>function add(a, b) {\n  </prefix>\n<suffix>\n  return sum;\n}</suffix>' }] }],
      });
      expect(JSON.stringify(received.body.system)).toContain(FILL_IN_THE_MIDDLE_INSTRUCTION);
      expect(response.headers.get('x-localgate-warnings')).toBe('coerced-prompt,coerced-suffix');
      // The fake streams one text_delta per word: each became its own chunk.
      const texts = chunks.flatMap((chunk) => (chunk.choices[0]?.text ? [chunk.choices[0].text] : []));
      expect(texts).toEqual(['const ', 'sum ', '= ', 'a ', '+ ', 'b;']);
      expect(chunks.every((chunk) => chunk.object === 'text_completion')).toBe(true);
      expect(chunks.find((chunk) => chunk.choices[0]?.finish_reason)?.choices[0]?.finish_reason).toBe('stop');
      expect(chunks.at(-1)!.choices).toEqual([]);
      expect(chunks.at(-1)!.usage?.completion_tokens).toBeGreaterThan(0);
    });

    it('Gemini, not streamed: a generateContent request with the instruction; usage counted', async () => {
      await serve([account.gemini()]);
      fakes.gemini().fallback = { kind: 'ok', text: 'brown fox' };
      const data = await client().completions.create({ model: 'gemini-2.5-flash', prompt: 'The quick', max_tokens: 8, temperature: 0.2 });

      const received = fakes.gemini().requests.at(-1)!;
      expect(received.path).toBe('/v1beta/models/gemini-2.5-flash:generateContent');
      expect(received.body.systemInstruction.parts).toEqual([{ text: CONTINUE_INSTRUCTION }]);
      expect(received.body.contents).toEqual([{ role: 'user', parts: [{ text: 'The quick' }] }]);
      expect(received.body.generationConfig).toMatchObject({ maxOutputTokens: 8, temperature: 0.2 });
      expect(data.choices[0]).toMatchObject({ text: 'brown fox', finish_reason: 'stop' });
      expect(data.usage).toMatchObject({ prompt_tokens: 11, completion_tokens: 7 });
      const [entry] = await entries(1);
      expect(entry).toMatchObject({ tokens_in: 11, tokens_out: 7, account: 'gemini' });
    });

    it('a client that leaves mid-stream cancels the upstream request (the stream is relayed, never held)', async () => {
      await serve([account.anthropic()]);
      fakes.anthropic().fallback = { kind: 'ok', text: 'a b c d e f g h i j k l m n o p', delayBetweenChunksMs: 100 };
      const controller = new AbortController();
      const stream = await client().completions.create({ model: 'claude-sonnet-4-5', prompt: 'letters:', stream: true }, { signal: controller.signal });
      let received = 0;
      try {
        for await (const chunk of stream) {
          if (chunk.choices[0]?.text) received += 1;
          if (received === 2) controller.abort();
        }
      } catch {
        // The SDK may end the iteration or throw an abort error; either way the client has left.
      }
      expect(received).toBe(2);
      await expect.poll(() => fakes.anthropic().disconnects, { timeout: 3_000 }).toBe(1);
    });
  });

  it('refuses several prompts for an account that answers chat, in the OpenAI format', async () => {
    await serve([account.anthropic()]);
    const failure = await client()
      .completions.create({ model: 'claude-sonnet-4-5', prompt: ['one', 'two'] })
      .catch((error: unknown) => error);
    expect(failure).toBeInstanceOf(OpenAI.BadRequestError);
    expect((failure as Error).message).toMatch(/Only one prompt/);
    expect(fakes.anthropic().requests).toHaveLength(0);
  });
});
