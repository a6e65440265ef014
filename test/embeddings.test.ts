import { describe, expect, it, vi } from 'vitest';
import OpenAI from 'openai';
import { GoogleGenAI } from '@google/genai';
import { GoogleGenerativeAI } from '@google/generative-ai';
import { fakeEmbedding, fakeTokenCount } from './fakes/fake-embeddings.js';
import { useProxyOverFakes } from './helpers/proxy-over-fakes.js';

/**
 * Embeddings end to end: the real SDKs (`client.embeddings.create`, `@google/genai` and
 * `@google/generative-ai` `embedContent`) → Localgate → fake upstreams that answer as OpenAI's
 * `/v1/embeddings` and Gemini's `embedContent` / `batchEmbedContents` do. What reached the
 * upstream is asserted, and the vectors the client reads are the upstream's own.
 */
describe('embeddings', () => {
  const fakes = useProxyOverFakes();
  const { account, serve } = fakes;
  const openaiClient = () => new OpenAI({ baseURL: `${fakes.harness().origin()}/v1`, apiKey: 'x', maxRetries: 0 });
  const genai = () => new GoogleGenAI({ apiKey: 'x', httpOptions: { baseUrl: fakes.harness().origin() } });
  const onlyEntry = () =>
    vi.waitFor(() => {
      const entries = fakes.harness().service.recentRequests();
      expect(entries).toHaveLength(1);
      return entries[0]!;
    });

  describe('OpenAI client', () => {
    it("passes the openai SDK's default base64 request through to an OpenAI account, and the SDK decodes the upstream's vectors", async () => {
      await serve([account.openai()]);
      const { data, response } = await openaiClient().embeddings.create({ model: 'text-embedding-3-small', input: 'The quick brown fox' }).withResponse();

      const received = fakes.openai().requests.at(-1)!;
      expect(received.path).toBe('/v1/embeddings');
      expect(received.headers.authorization).toBe(`Bearer ${fakes.openai().apiKey}`);
      // The SDK asks base64 when the caller names no format; it went upstream as sent.
      expect(received.body).toEqual({ model: 'text-embedding-3-small', input: 'The quick brown fox', encoding_format: 'base64' });
      expect(data.data).toHaveLength(1);
      expect(Array.from(data.data[0]!.embedding)).toEqual(fakeEmbedding('The quick brown fox', 1536));
      expect(data.usage).toEqual({ prompt_tokens: fakeTokenCount(['The quick brown fox']), total_tokens: fakeTokenCount(['The quick brown fox']) });
      expect(response.headers.get('x-localgate-warnings')).toBeNull();
      const entry = await onlyEntry();
      expect(entry).toMatchObject({ path: '/v1/embeddings', protocol: 'openai', status: 200, model: 'text-embedding-3-small', account: 'openai', tokens_in: fakeTokenCount(['The quick brown fox']) });
    });

    it('translates to batchEmbedContents for a Gemini account (array input, dimensions, floats) and counts usage locally when Gemini reports none', async () => {
      await serve([account.gemini()]);
      const inputs = ['first document', 'second document', 'third'];
      const { data, response } = await openaiClient()
        .embeddings.create({ model: 'gemini-embedding-001', input: inputs, dimensions: 256, encoding_format: 'float' })
        .withResponse();

      const received = fakes.gemini().requests.at(-1)!;
      expect(received.path).toBe('/v1beta/models/gemini-embedding-001:batchEmbedContents');
      expect(received.headers['x-goog-api-key']).toBe(fakes.gemini().apiKey);
      expect(received.body).toEqual({
        requests: inputs.map((text) => ({ model: 'models/gemini-embedding-001', content: { parts: [{ text }] }, outputDimensionality: 256 })),
      });
      expect(data.object).toBe('list');
      expect(data.model).toBe('gemini-embedding-001');
      expect(data.data.map((item) => item.index)).toEqual([0, 1, 2]);
      expect(data.data.map((item) => item.embedding)).toEqual(inputs.map((text) => fakeEmbedding(text, 3072).slice(0, 256)));
      // gemini-embedding-001 answers carry no usage: the tokens are counted here, and the client is told.
      expect(data.usage.prompt_tokens).toBeGreaterThan(0);
      expect(data.usage.total_tokens).toBe(data.usage.prompt_tokens);
      expect(response.headers.get('x-localgate-warnings')).toBe('coerced-usage');
      const entry = await onlyEntry();
      expect(entry).toMatchObject({ status: 200, account: 'gemini', tokens_in: data.usage.prompt_tokens });
      expect(entry.warnings?.map((warning) => warning.code)).toEqual(['coerced-usage']);
    });

    it("answers the SDK's default base64 from a Gemini account's floats (one input: embedContent), with Gemini's reported usage", async () => {
      await serve([account.gemini()]);
      const data = await openaiClient().embeddings.create({ model: 'gemini-embedding-2', input: 'Hello world' });

      const received = fakes.gemini().requests.at(-1)!;
      expect(received.path).toBe('/v1beta/models/gemini-embedding-2:embedContent');
      expect(received.body).toEqual({ model: 'models/gemini-embedding-2', content: { parts: [{ text: 'Hello world' }] } });
      // The SDK decoded our base64 float32 into exactly the upstream's values.
      expect(Array.from(data.data[0]!.embedding)).toEqual(fakeEmbedding('Hello world', 3072));
      expect(data.usage).toEqual({ prompt_tokens: fakeTokenCount(['Hello world']), total_tokens: fakeTokenCount(['Hello world']) });
    });

    it('splits more inputs than Gemini takes per batch (100) into several calls, vectors and usage joined in order', async () => {
      await serve([account.gemini()]);
      const inputs = Array.from({ length: 150 }, (_, index) => `chunk number ${index}`);
      const data = await openaiClient().embeddings.create({ model: 'gemini-embedding-2', input: inputs, dimensions: 4, encoding_format: 'float' });

      const batches = fakes.gemini().requests.map((request) => request.body.requests.map((item: { content: { parts: Array<{ text: string }> } }) => item.content.parts[0]!.text));
      expect(batches).toEqual([inputs.slice(0, 100), inputs.slice(100)]);
      expect(data.data.map((item) => item.index)).toEqual(inputs.map((_, index) => index));
      expect(data.data.map((item) => item.embedding)).toEqual(inputs.map((text) => fakeEmbedding(text, 3072).slice(0, 4)));
      expect(data.usage.prompt_tokens).toBe(fakeTokenCount(inputs.slice(0, 100)) + fakeTokenCount(inputs.slice(100)));
    });

    it('never picks an Anthropic account for embeddings', async () => {
      await serve([account.anthropic(), account.openai()]);
      for (let round = 0; round < 3; round++) await openaiClient().embeddings.create({ model: 'text-embedding-3-small', input: `round ${round}` });
      expect(fakes.anthropic().requests).toHaveLength(0);
      expect(fakes.openai().requests.map((request) => request.path)).toEqual(['/v1/embeddings', '/v1/embeddings', '/v1/embeddings']);
    });

    it('answers a clear 400 when only Anthropic accounts serve the model', async () => {
      await serve([account.anthropic()]);
      const failure = await openaiClient()
        .embeddings.create({ model: 'text-embedding-3-small', input: 'hi' })
        .catch((error: unknown) => error);
      expect(failure).toBeInstanceOf(OpenAI.BadRequestError);
      expect((failure as InstanceType<typeof OpenAI.BadRequestError>).message).toMatch(/Anthropic has no embeddings API/);
      expect(fakes.anthropic().requests).toHaveLength(0);
    });

    it('goes through auth, CORS and max_concurrent_requests like every other route', async () => {
      await serve([account.openai()]);
      const harness = fakes.harness();
      await harness.service.updateConfig({ auth_mode: 'strict', cors_allowed_origins: ['https://chat.example.app'], max_concurrent_requests: 1 });
      const unauthorized = await openaiClient()
        .embeddings.create({ model: 'text-embedding-3-small', input: 'hi' })
        .catch((error: unknown) => error);
      expect(unauthorized).toBeInstanceOf(OpenAI.AuthenticationError);

      const preflight = await fetch(`${harness.origin()}/v1/embeddings`, {
        method: 'OPTIONS',
        headers: { origin: 'https://chat.example.app', 'access-control-request-method': 'POST', 'access-control-request-headers': 'authorization,content-type' },
      });
      expect(preflight.headers.get('access-control-allow-origin')).toBe('https://chat.example.app');

      const client = new OpenAI({ baseURL: `${harness.origin()}/v1`, apiKey: harness.service.config().api_key, maxRetries: 0 });
      fakes.openai().queue.push({ kind: 'hang' });
      const controller = new AbortController();
      const hanging = client.embeddings.create({ model: 'text-embedding-3-small', input: 'slow' }, { signal: controller.signal }).catch(() => undefined);
      // The unauthorized request never left Localgate: this one is the first upstream sees.
      await vi.waitFor(() => expect(fakes.openai().requests).toHaveLength(1));
      const full = await client.embeddings.create({ model: 'text-embedding-3-small', input: 'one too many' }).catch((error: unknown) => error);
      expect(full).toBeInstanceOf(OpenAI.RateLimitError);
      expect((full as InstanceType<typeof OpenAI.RateLimitError>).headers.get('retry-after')).toBe('1');
      controller.abort();
      await hanging;
    });

    it('fails over to the next account when the first one rests (429)', async () => {
      await serve([account.openai(), account.gemini()]);
      await fakes.harness().service.updateConfig({ model_mapping: { 'text-embedding-3-small': 'gemini-embedding-001' }, scheduling: 'fill_first' });
      fakes.openai().queue.push({ kind: 'error', status: 429, headers: { 'retry-after': '20' } });
      const data = await openaiClient().embeddings.create({ model: 'text-embedding-3-small', input: 'rested', encoding_format: 'float' });
      // Mapped to a Gemini model, the OpenAI account was asked for it and rested; Gemini answered.
      expect(fakes.openai().requests.at(-1)!.body.model).toBe('gemini-embedding-001');
      expect(fakes.gemini().requests.at(-1)!.path).toBe('/v1beta/models/gemini-embedding-001:embedContent');
      expect(data.data[0]!.embedding).toEqual(fakeEmbedding('rested', 3072));
      expect(fakes.harness().service.status().accounts[0]!.models_cooling).toEqual([expect.objectContaining({ model: 'gemini-embedding-001', kind: 'rate-limited' })]);
    });

    it('fails over to the next account when the first one is refused', async () => {
      await serve([{ ...account.openai('revoked'), api_key: 'sk-revoked' }, account.gemini()]);
      await fakes.harness().service.updateConfig({ model_mapping: { 'text-embedding-3-small': 'gemini-embedding-001' } });
      const data = await openaiClient().embeddings.create({ model: 'text-embedding-3-small', input: 'fail over', encoding_format: 'float' });
      expect(fakes.openai().requests).toHaveLength(1);
      expect(fakes.gemini().requests.at(-1)!.path).toBe('/v1beta/models/gemini-embedding-001:embedContent');
      expect(data.data[0]!.embedding).toEqual(fakeEmbedding('fail over', 3072));
    });

    it("relays an OpenAI account's own refusal as is", async () => {
      await serve([account.openai()]);
      const failure = await openaiClient()
        .embeddings.create({ model: 'text-embedding-ada-002', input: 'hi', dimensions: 8 })
        .catch((error: unknown) => error);
      expect(failure).toBeInstanceOf(OpenAI.BadRequestError);
      expect((failure as Error).message).toContain('This model does not support specifying dimensions.');
    });

    it('refuses token-id input for an account of another family, in the OpenAI format', async () => {
      await serve([account.gemini()]);
      const failure = await openaiClient()
        .embeddings.create({ model: 'gemini-embedding-001', input: [[1, 2, 3]] })
        .catch((error: unknown) => error);
      expect(failure).toBeInstanceOf(OpenAI.BadRequestError);
      expect((failure as Error).message).toMatch(/token ids/);
      expect(fakes.gemini().requests).toHaveLength(0);
    });
  });

  describe('Gemini client', () => {
    it('@google/genai embedContent with one content and with several → Gemini account: passed through', async () => {
      await serve([account.gemini()]);
      const one = await genai().models.embedContent({ model: 'gemini-embedding-001', contents: 'What is the meaning of life?' });
      expect(one.embeddings?.map((embedding) => embedding.values)).toEqual([fakeEmbedding('What is the meaning of life?', 3072)]);

      const texts = ['How much wood would a woodchuck chuck?', 'How does the brain work?'];
      const several = await genai().models.embedContent({ model: 'gemini-embedding-001', contents: texts, config: { outputDimensionality: 64, taskType: 'RETRIEVAL_DOCUMENT' } });
      expect(several.embeddings?.map((embedding) => embedding.values)).toEqual(texts.map((text) => fakeEmbedding(text, 3072).slice(0, 64)));

      const [first, second] = fakes.gemini().requests;
      // This SDK sends every embedContent call as batchEmbedContents; the bodies went on as sent.
      expect(first!.path).toBe('/v1beta/models/gemini-embedding-001:batchEmbedContents');
      expect(first!.body).toEqual({ requests: [{ content: { parts: [{ text: 'What is the meaning of life?' }], role: 'user' }, model: 'models/gemini-embedding-001' }] });
      expect(second!.body.requests).toHaveLength(2);
      expect(second!.body.requests[1]).toEqual({ content: { parts: [{ text: texts[1] }], role: 'user' }, taskType: 'RETRIEVAL_DOCUMENT', outputDimensionality: 64, model: 'models/gemini-embedding-001' });
    });

    it('@google/genai embedContent → OpenAI account: translated to /v1/embeddings and back', async () => {
      await serve([account.openai()]);
      const texts = ['alpha', 'beta'];
      const result = await genai().models.embedContent({ model: 'text-embedding-3-small', contents: texts, config: { outputDimensionality: 32, taskType: 'RETRIEVAL_QUERY' } });

      const received = fakes.openai().requests.at(-1)!;
      expect(received.path).toBe('/v1/embeddings');
      expect(received.body).toEqual({ model: 'text-embedding-3-small', input: texts, encoding_format: 'float', dimensions: 32 });
      expect(result.embeddings?.map((embedding) => embedding.values)).toEqual(texts.map((text) => fakeEmbedding(text, 32)));
      const entry = await onlyEntry();
      expect(entry).toMatchObject({ protocol: 'gemini', status: 200, account: 'openai', tokens_in: fakeTokenCount(texts) });
      // OpenAI has no task type: dropped, and said so.
      expect(entry.warnings?.map((warning) => warning.code)).toEqual(['dropped-tasktype']);
    });

    it('@google/generative-ai embedContent (the :embedContent method) → OpenAI account', async () => {
      await serve([account.openai()]);
      const model = new GoogleGenerativeAI('x').getGenerativeModel({ model: 'text-embedding-3-large' }, { baseUrl: fakes.harness().origin() });
      const result = await model.embedContent('a single sentence');
      expect(fakes.openai().requests.at(-1)!.body).toEqual({ model: 'text-embedding-3-large', input: ['a single sentence'], encoding_format: 'float' });
      expect(result.embedding.values).toEqual(fakeEmbedding('a single sentence', 3072));
    });

    it("a mapped model reaches a Gemini account in the URL and in each batch request's model", async () => {
      await serve([account.gemini()]);
      await fakes.harness().service.updateConfig({ model_mapping: { 'my-embedder': 'gemini-embedding-001' } });
      const result = await genai().models.embedContent({ model: 'my-embedder', contents: ['x', 'y'] });
      const received = fakes.gemini().requests.at(-1)!;
      expect(received.path).toBe('/v1beta/models/gemini-embedding-001:batchEmbedContents');
      expect(received.body.requests.map((request: { model: string }) => request.model)).toEqual(['models/gemini-embedding-001', 'models/gemini-embedding-001']);
      expect(result.embeddings).toHaveLength(2);
    });

    it('answers a clear 400 in the Gemini format when only Anthropic accounts serve the model', async () => {
      await serve([account.anthropic()]);
      const failure = await genai()
        .models.embedContent({ model: 'gemini-embedding-001', contents: 'hi' })
        .catch((error: unknown) => error);
      expect(failure).toMatchObject({ status: 400 });
      expect(String((failure as Error).message)).toContain('"status":"INVALID_ARGUMENT"');
      expect(String((failure as Error).message)).toContain('Anthropic has no embeddings API');
    });
  });
});
