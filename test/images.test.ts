import { describe, expect, it, vi } from 'vitest';
import OpenAI, { toFile } from 'openai';
import type { ProxyConfigPatch } from '../shared/config.js';
import { fakeImageBase64 } from './fakes/fake-openai-images.js';
import { useProxyOverFakes } from './helpers/proxy-over-fakes.js';

const IMAGE_MODEL = 'gemini-2.5-flash-image';
/** A prompt with what a rewriter would touch: spacing, punctuation, a quote, non-ASCII. */
const PROMPT = '  A red  fox, "watercolour" — à la Hokusai; no text.  ';

describe('Images API: OpenAI SDK → Localgate → OpenAI-compatible / Gemini accounts', () => {
  const fakes = useProxyOverFakes();
  const withImageModel = () => {
    if (!fakes.gemini().models.includes(IMAGE_MODEL)) fakes.gemini().models.push(IMAGE_MODEL);
  };
  const clientFor = (origin: string, apiKey = 'unused') => new OpenAI({ baseURL: `${origin}/v1`, apiKey, maxRetries: 0 });

  it('Gemini makes n images with n concurrent generateContent calls, each asking for image output with the prompt untouched', async () => {
    withImageModel();
    const harness = await fakes.serve([fakes.account.gemini()]);
    const client = clientFor(harness.origin());

    const { data: result, response } = await client.images.generate({ model: IMAGE_MODEL, prompt: PROMPT, n: 3, size: '1792x1024', response_format: 'url', quality: 'high' }).withResponse();

    // What Gemini cannot honour is said, not silently dropped.
    expect(response.headers.get('x-localgate-warnings')).toBe('coerced-response-format,dropped-quality');

    // `url` is answered with the bytes: Localgate hosts no files.
    expect(result.data?.map((image) => image.b64_json).sort()).toEqual([0, 1, 2].map((index) => fakeImageBase64(PROMPT, index)).sort());
    expect(result.data?.every((image) => image.url === undefined)).toBe(true);
    expect(result.output_format).toBe('png');
    expect(result.usage).toEqual({ input_tokens: 30, output_tokens: 3 * 1290, total_tokens: 30 + 3 * 1290 });
    const calls = fakes.gemini().requests;
    expect(calls).toHaveLength(3);
    for (const call of calls) {
      expect(call.path).toBe(`/v1beta/models/${IMAGE_MODEL}:generateContent`);
      expect(call.body).toEqual({
        contents: [{ role: 'user', parts: [{ text: PROMPT }] }],
        generationConfig: { responseModalities: ['IMAGE'], imageConfig: { aspectRatio: '16:9' } },
      });
    }
  });

  /**
   * Sends `n` images to a Gemini account that never answers, waits until `arrivals` calls reached
   * it, runs `whileHanging`, then cancels the request.
   */
  async function whileGeminiHangs(options: { n: number; arrivals: number; config?: ProxyConfigPatch }, whileHanging: (client: OpenAI) => Promise<void> = async () => undefined): Promise<void> {
    withImageModel();
    const harness = await fakes.serve([fakes.account.gemini()]);
    if (options.config) await harness.service.updateConfig(options.config);
    fakes.gemini().answer = () => ({ kind: 'hang' });
    const abort = new AbortController();
    try {
      const client = clientFor(harness.origin());
      const pending = client.images.generate({ model: IMAGE_MODEL, prompt: PROMPT, n: options.n }, { signal: abort.signal }).catch(() => undefined);
      await vi.waitFor(() => expect(fakes.gemini().requests).toHaveLength(options.arrivals), { timeout: 5000 });
      await whileHanging(client);
      abort.abort();
      await pending;
    } finally {
      fakes.gemini().answer = undefined;
    }
  }

  it('sends the n Gemini calls at once, not one after another', async () => {
    // Every call hangs: a second call can only arrive if it was not waiting for the first.
    await whileGeminiHangs({ n: 4, arrivals: 4 });
  });

  it('counts against max_concurrent_requests: with one image request in flight and a limit of 1, the next gets a 429', async () => {
    await whileGeminiHangs({ n: 1, arrivals: 1, config: { max_concurrent_requests: 1 } }, async (client) => {
      const refused = await client.images.generate({ model: IMAGE_MODEL, prompt: 'p' }).catch((error: unknown) => error);
      expect(refused).toBeInstanceOf(OpenAI.RateLimitError);
      expect((refused as Error).message).toContain('max_concurrent_requests');
    });
  });

  it('maps a size to the nearest Gemini aspect ratio and leaves `auto` to the model', async () => {
    withImageModel();
    const harness = await fakes.serve([fakes.account.gemini()]);
    const client = clientFor(harness.origin());
    await client.images.generate({ model: IMAGE_MODEL, prompt: 'p', size: '1024x1536' });
    await client.images.generate({ model: IMAGE_MODEL, prompt: 'p', size: 'auto' });
    const configs = fakes.gemini().requests.map((request) => request.body.generationConfig);
    expect(configs).toEqual([{ responseModalities: ['IMAGE'], imageConfig: { aspectRatio: '2:3' } }, { responseModalities: ['IMAGE'] }]);
  });

  it('passes a generation through to an OpenAI-compatible account as sent, n and options included, the model mapped', async () => {
    const harness = await fakes.serve([fakes.account.openai()]);
    await harness.service.updateConfig({ model_mapping: { 'my-images': 'gpt-image-1' } });
    const client = clientFor(harness.origin());

    const { data: result, response } = await client.images.generate({ model: 'my-images', prompt: PROMPT, n: 2, size: '1536x1024', quality: 'high', background: 'opaque' }).withResponse();

    expect(result.data?.map((image) => image.b64_json)).toEqual([fakeImageBase64(PROMPT, 0), fakeImageBase64(PROMPT, 1)]);
    expect(result.usage?.output_tokens).toBe(2 * 4160);
    expect(result.size).toBe('1536x1024');
    expect(response.headers.get('x-localgate-warnings')).toBeNull();
    const sent = fakes.openai().requests;
    expect(sent).toHaveLength(1);
    expect(sent[0]!.path).toBe('/v1/images/generations');
    expect(sent[0]!.headers.authorization).toBe(`Bearer ${fakes.openai().apiKey}`);
    expect(sent[0]!.body).toEqual({ model: 'gpt-image-1', prompt: PROMPT, n: 2, size: '1536x1024', quality: 'high', background: 'opaque' });
  });

  it('streams partial images from an OpenAI-compatible account as they come; Gemini alone cannot stream them', async () => {
    const harness = await fakes.serve([fakes.account.openai()]);
    const stream = await clientFor(harness.origin()).images.generate({ model: 'gpt-image-1', prompt: PROMPT, stream: true, partial_images: 2 });
    const events: Array<{ type: string; b64_json: string }> = [];
    for await (const event of stream) events.push(event);
    expect(events.map((event) => event.type)).toEqual(['image_generation.partial_image', 'image_generation.partial_image', 'image_generation.completed']);
    expect(events.at(-1)!.b64_json).toBe(fakeImageBase64(PROMPT, 0));
    expect(fakes.openai().requests[0]!.body).toEqual({ model: 'gpt-image-1', prompt: PROMPT, stream: true, partial_images: 2 });

    await harness.close();
    withImageModel();
    const geminiOnly = await fakes.serve([fakes.account.gemini()]);
    const failure = await clientFor(geminiOnly.origin()).images.generate({ model: IMAGE_MODEL, prompt: 'p', stream: true }).catch((error: unknown) => error);
    expect(failure).toBeInstanceOf(OpenAI.BadRequestError);
    expect((failure as Error).message).toContain('A streamed image request needs an OpenAI-compatible account');
  });

  it("relays an OpenAI-compatible account's own refusal as it came", async () => {
    const harness = await fakes.serve([fakes.account.openai()]);
    const failure = await clientFor(harness.origin())
      .images.generate({ model: 'gpt-image-1', prompt: 'p', response_format: 'b64_json' })
      .catch((error: unknown) => error);
    expect(failure).toBeInstanceOf(OpenAI.BadRequestError);
    expect((failure as InstanceType<typeof OpenAI.BadRequestError>).code).toBe('unknown_parameter');
    expect((failure as Error).message).toContain("Unknown parameter: 'response_format'.");
  });

  it('uploads an edit (multipart) to an OpenAI-compatible account: files, mask and fields as sent', async () => {
    const harness = await fakes.serve([fakes.account.openai()]);
    const first = Buffer.from('first-source-image-bytes');
    const second = Buffer.from('second-source-image-bytes');
    const mask = Buffer.from('mask-bytes');

    const result = await clientFor(harness.origin()).images.edit({
      model: 'gpt-image-1',
      image: [await toFile(first, 'one.png', { type: 'image/png' }), await toFile(second, 'two.webp', { type: 'image/webp' })],
      mask: await toFile(mask, 'mask.png', { type: 'image/png' }),
      prompt: PROMPT,
      n: 2,
      size: '1024x1024',
    });

    expect(result.data).toHaveLength(2);
    expect(result.data?.[1]?.b64_json).toBe(fakeImageBase64(PROMPT, 1));
    const sent = fakes.openai().requests.at(-1)!;
    expect(sent.path).toBe('/v1/images/edits');
    expect(String(sent.headers['content-type'])).toMatch(/^multipart\/form-data; boundary=/);
    const form = sent.body as FormData;
    expect([form.get('model'), form.get('prompt'), form.get('n'), form.get('size')]).toEqual(['gpt-image-1', PROMPT, '2', '1024x1024']);
    const images = form.getAll('image[]') as File[];
    expect(images.map((file) => [file.name, file.type])).toEqual([['one.png', 'image/png'], ['two.webp', 'image/webp']]);
    expect(await Promise.all(images.map(async (file) => Buffer.from(await file.arrayBuffer())))).toEqual([first, second]);
    expect(Buffer.from(await (form.get('mask') as File).arrayBuffer())).toEqual(mask);
  });

  it('edits with Gemini: the source image as inlineData after the untouched prompt', async () => {
    withImageModel();
    const harness = await fakes.serve([fakes.account.gemini()]);
    const source = Buffer.from([0x89, 0x50, 0x4e, 0x47, 1, 2, 3, 4, 250, 251]);

    const result = await clientFor(harness.origin()).images.edit({ model: IMAGE_MODEL, image: await toFile(source, 'cat.png', { type: 'image/png' }), prompt: PROMPT, n: 2 });

    expect(result.data).toHaveLength(2);
    const calls = fakes.gemini().requests;
    expect(calls).toHaveLength(2);
    for (const call of calls) {
      expect(call.body.contents).toEqual([{ role: 'user', parts: [{ text: PROMPT }, { inlineData: { mimeType: 'image/png', data: source.toString('base64') } }] }]);
      expect(call.body.generationConfig).toEqual({ responseModalities: ['IMAGE'] });
    }
  });

  it('a masked edit needs an OpenAI-compatible account: a clear 400 when only Gemini could serve it', async () => {
    withImageModel();
    const harness = await fakes.serve([fakes.account.gemini()]);
    const file = await toFile(Buffer.from('x'), 'a.png', { type: 'image/png' });
    const failure = await clientFor(harness.origin())
      .images.edit({ model: IMAGE_MODEL, image: file, mask: await toFile(Buffer.from('m'), 'm.png', { type: 'image/png' }), prompt: 'p' })
      .catch((error: unknown) => error);
    expect(failure).toBeInstanceOf(OpenAI.BadRequestError);
    expect((failure as Error).message).toContain('mask');
    expect(fakes.gemini().requests).toHaveLength(0);
  });

  it('skips Anthropic accounts, and answers a clear 400 in OpenAI format when nothing can make images', async () => {
    const harness = await fakes.serve([fakes.account.anthropic()]);
    const client = clientFor(harness.origin());
    const failure = await client.images.generate({ model: 'gpt-image-1', prompt: 'p' }).catch((error: unknown) => error);
    expect(failure).toBeInstanceOf(OpenAI.BadRequestError);
    expect((failure as InstanceType<typeof OpenAI.BadRequestError>).type).toBe('invalid_request_error');
    expect((failure as Error).message).toContain("Anthropic accounts can't make images");
    const edit = await client.images.edit({ image: await toFile(Buffer.from('x'), 'a.png', { type: 'image/png' }), prompt: 'p' }).catch((error: unknown) => error);
    expect(edit).toBeInstanceOf(OpenAI.BadRequestError);
    expect(fakes.anthropic().requests).toHaveLength(0);
  });

  it('with Anthropic and Gemini accounts, Gemini serves and Anthropic is never asked', async () => {
    withImageModel();
    const harness = await fakes.serve([fakes.account.anthropic(), fakes.account.gemini(), fakes.account.anthropic('anthropic-2')]);
    const result = await clientFor(harness.origin()).images.generate({ model: IMAGE_MODEL, prompt: 'p', n: 2 });
    expect(result.data).toHaveLength(2);
    expect(fakes.anthropic().requests).toHaveLength(0);
  });

  it('prefers an OpenAI-compatible account, and turns to Gemini when every OpenAI-compatible one fails', async () => {
    withImageModel();
    const harness = await fakes.serve([fakes.account.gemini(), fakes.account.openai()]);
    const client = clientFor(harness.origin());
    const passed = await client.images.generate({ model: IMAGE_MODEL, prompt: PROMPT, response_format: 'b64_json' });
    expect(passed.data?.[0]).toEqual({ b64_json: fakeImageBase64(PROMPT, 0), revised_prompt: PROMPT });
    expect(fakes.gemini().requests).toHaveLength(0);

    fakes.openai().queue.push({ kind: 'error', status: 503, message: 'The engine is currently overloaded, please try again later.', type: 'server_error' });
    const fallback = await client.images.generate({ model: IMAGE_MODEL, prompt: PROMPT });
    expect(fallback.data?.[0]).toEqual({ b64_json: fakeImageBase64(PROMPT, 0) });
    expect(fakes.openai().requests).toHaveLength(2);
    expect(fakes.gemini().requests).toHaveLength(1);
  });

  it('fails over between Gemini accounts, and records the request in the monitor', async () => {
    withImageModel();
    const harness = await fakes.serve([fakes.account.gemini('g1'), fakes.account.gemini('g2')]);
    fakes.gemini().queue.push({ kind: 'error', status: 429, retryDelay: '20s' });

    const result = await clientFor(harness.origin()).images.generate({ model: IMAGE_MODEL, prompt: 'p' });

    expect(result.data).toHaveLength(1);
    expect(fakes.gemini().requests).toHaveLength(2);
    const entry = await vi.waitFor(() => {
      const found = harness.service.recentRequests().find((candidate) => candidate.path === '/v1/images/generations');
      expect(found).toBeDefined();
      return found!;
    });
    expect(entry).toMatchObject({ status: 200, model: IMAGE_MODEL, account: 'g2', tokens_in: 10, tokens_out: 1290 });
    const g1 = harness.service.listAccounts().find((account) => account.label === 'g1')!;
    expect(g1.status.state === 'cooling' || (g1.models_cooling ?? []).some((cooling) => cooling.model === IMAGE_MODEL)).toBe(true);
  });

  it('a Gemini answer without an image is a 400 that says so', async () => {
    withImageModel();
    const harness = await fakes.serve([fakes.account.gemini()]);
    fakes.gemini().queue.push({ kind: 'ok', finishReason: 'NO_IMAGE' });
    const failure = await clientFor(harness.origin()).images.generate({ model: IMAGE_MODEL, prompt: 'p' }).catch((error: unknown) => error);
    expect(failure).toBeInstanceOf(OpenAI.BadRequestError);
    expect((failure as Error).message).toContain('without an image (NO_IMAGE)');
  });

  it('answers a broken or non-multipart edit with a 400 in OpenAI format', async () => {
    withImageModel();
    const harness = await fakes.serve([fakes.account.gemini()]);
    const post = (contentType: string, body: string) => fetch(`${harness.origin()}/v1/images/edits`, { method: 'POST', headers: { 'content-type': contentType }, body });
    const broken = await post('multipart/form-data; boundary=xyz', '--xyz\r\nContent-Disposition: form-data; name="prompt"\r\n\r\nunterminated');
    expect(broken.status).toBe(400);
    expect(await broken.json()).toMatchObject({ error: { type: 'invalid_request_error', message: 'The multipart/form-data body could not be read.' } });
    const json = await post('application/json', JSON.stringify({ model: IMAGE_MODEL, prompt: 'p', image: 'aGk=' }));
    expect(json.status).toBe(400);
    expect(((await json.json()) as { error: { message: string } }).error.message).toContain('multipart/form-data');
    // Only the images routes read multipart bodies.
    const chat = await fetch(`${harness.origin()}/v1/chat/completions`, { method: 'POST', body: new FormData() });
    expect(chat.status).toBe(415);
    expect(fakes.gemini().requests).toHaveLength(0);
  });

  it('needs the proxy key when auth is on, and refuses an upload over max_body_mb with a 413', async () => {
    withImageModel();
    const harness = await fakes.serve([fakes.account.gemini()]);
    await harness.service.updateConfig({ auth_mode: 'strict', max_body_mb: 1 });
    await harness.service.stopProxy();
    await harness.service.startProxy();
    const key = harness.service.config().api_key;

    const unauthorised = await clientFor(harness.origin(), 'wrong').images.generate({ model: IMAGE_MODEL, prompt: 'p' }).catch((error: unknown) => error);
    expect(unauthorised).toBeInstanceOf(OpenAI.AuthenticationError);
    const big = await toFile(Buffer.alloc(1024 * 1024 + 1), 'big.png', { type: 'image/png' });
    const tooLarge = await clientFor(harness.origin(), key).images.edit({ model: IMAGE_MODEL, image: big, prompt: 'p' }).catch((error: unknown) => error);
    expect((tooLarge as InstanceType<typeof OpenAI.APIError>).status).toBe(413);
    expect((tooLarge as Error).message).toContain('max_body_mb');
    expect(fakes.gemini().requests).toHaveLength(0);
  });
});
