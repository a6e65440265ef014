import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { GoogleGenAI } from '@google/genai';
import { assertEventOrder } from '../../ir/assert-event-order.js';
import type { IrRequest } from '../../ir/ir-request.js';
import type { IrStreamEvent } from '../../ir/ir-stream-event.js';
import { geminiErrorBody, geminiFunctionCallChunks, sseFrames, startFakeGeminiUpstream, type FakeGeminiUpstream } from '../../../test/fakes/fake-gemini-upstream.js';
import { geminiUpstreamCodec } from './index.js';

/** The Gemini upstream codec against the fake Gemini API: what a provider adapter will do. */
describe('Gemini upstream codec against the fake Gemini API', () => {
  let fake: FakeGeminiUpstream;
  beforeAll(async () => {
    fake = await startFakeGeminiUpstream();
  });
  afterAll(() => fake.close());

  const irRequest = (overrides: Partial<IrRequest> = {}): IrRequest => ({
    model: 'whatever',
    instructions: [{ type: 'text', text: 'Be brief.' }],
    messages: [{ role: 'user', parts: [{ type: 'text', text: 'Weather in Zürich?' }] }],
    tools: [{ name: 'weather', description: 'Weather', parameters: { type: 'object', properties: { city: { type: 'string' } }, required: ['city'], additionalProperties: false } }],
    sampling: { maxOutputTokens: 64 },
    stream: false,
    extras: {},
    warnings: [],
    ...overrides,
  });

  async function call(model: string, method: string, body: unknown, query = '') {
    return fetch(`${fake.baseUrl}/v1beta/models/${model}:${method}${query}`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'x-goog-api-key': fake.apiKey },
      body: JSON.stringify(body),
    });
  }

  async function streamEvents(response: Response): Promise<IrStreamEvent[]> {
    const decoder = geminiUpstreamCodec.createStreamDecoder();
    const events: IrStreamEvent[] = [];
    for await (const chunk of response.body as unknown as AsyncIterable<Uint8Array>) events.push(...decoder.push(Buffer.from(chunk)));
    events.push(...decoder.end());
    return assertEventOrder(events) as IrStreamEvent[];
  }

  it('sends a clean body and decodes a non-streamed function call with its signature', async () => {
    fake.queue.push({ kind: 'function-call', calls: [{ name: 'weather', args: { city: 'Zürich' } }], thoughtSignature: 'U0lHTkFUVVJF' });
    const body = geminiUpstreamCodec.encodeRequest(irRequest(), 'gemini-3-pro-preview');
    const response = await call('gemini-3-pro-preview', 'generateContent', body);
    expect(response.status).toBe(200);
    const recorded = fake.requests.at(-1)!;
    expect(recorded.path).toBe('/v1beta/models/gemini-3-pro-preview:generateContent');
    expect(recorded.body.tools[0].functionDeclarations[0].parameters).toEqual({ type: 'object', properties: { city: { type: 'string' } }, required: ['city'] });
    const ir = geminiUpstreamCodec.decodeResponse(await response.json());
    expect(ir.finishReason.unified).toBe('tool-calls');
    expect(ir.content).toEqual([
      { type: 'tool-call', toolCallId: expect.stringMatching(/^call_resp_/), toolName: 'weather', argumentsText: '{"city":"Zürich"}', signature: { family: 'gemini', value: 'U0lHTkFUVVJF' } },
    ]);
  });

  it('decodes SSE and JSON-array streams alike', async () => {
    const body = geminiUpstreamCodec.encodeRequest(irRequest(), 'gemini-2.5-flash');
    fake.queue.push({ kind: 'ok', text: 'Grüße aus Zürich, bis bald!', thoughts: 'Greeting.' }, { kind: 'ok', text: 'Grüße aus Zürich, bis bald!', thoughts: 'Greeting.' });
    const viaSse = await streamEvents(await call('gemini-2.5-flash', 'streamGenerateContent', body, '?alt=sse'));
    const viaArray = await streamEvents(await call('gemini-2.5-flash', 'streamGenerateContent', body));
    const text = (events: IrStreamEvent[]) => events.flatMap((event) => (event.type === 'text-delta' ? [event.delta] : [])).join('');
    expect(text(viaSse)).toBe('Grüße aus Zürich, bis bald!');
    expect(text(viaArray)).toBe(text(viaSse));
    expect(viaSse.at(-1)).toEqual({ type: 'finish', finishReason: { unified: 'stop', raw: 'STOP', protocol: 'gemini' }, usage: { inputTokens: 11, outputTokens: 7 } });
    expect(viaSse.some((event) => event.type === 'reasoning-delta')).toBe(true);
  });

  it('streams function calls, and a scripted stream split inside a UTF-8 character', async () => {
    fake.queue.push({ kind: 'function-call', calls: [{ name: 'weather', args: { city: 'SF' } }, { name: 'weather', args: { city: 'Paris' } }], thoughtSignature: 'c2ln', text: 'Checking.' });
    const events = await streamEvents(await call('gemini-3-pro-preview', 'streamGenerateContent', geminiUpstreamCodec.encodeRequest(irRequest(), 'gemini-3-pro-preview'), '?alt=sse'));
    const calls = events.filter((event) => event.type === 'tool-call');
    expect(calls.map((event) => [event.argumentsText, event.signature?.value])).toEqual([
      ['{"city":"SF"}', 'c2ln'],
      ['{"city":"Paris"}', undefined],
    ]);

    const bytes = Buffer.from(sseFrames(geminiFunctionCallChunks([{ name: 'weather', args: { city: 'Zürich' } }], { text: 'Grüße' })).join(''));
    const cut = bytes.indexOf(Buffer.from('ü')) + 1;
    fake.queue.push({ kind: 'script', chunks: [bytes.subarray(0, cut), bytes.subarray(cut)], delayMs: 5 });
    const scripted = await streamEvents(await call('gemini-2.5-flash', 'streamGenerateContent', { contents: [] }, '?alt=sse'));
    expect(scripted.find((event) => event.type === 'text-delta')).toMatchObject({ delta: 'Grüße' });
    expect(scripted.find((event) => event.type === 'tool-call')).toMatchObject({ argumentsText: '{"city":"Zürich"}' });
  });

  it('decodes Google errors: 429 with RetryInfo, a wrong key, an unknown model, an error after a 200', async () => {
    fake.queue.push({ kind: 'error', status: 429, retryDelay: '12s' });
    const limited = await call('gemini-2.5-flash', 'generateContent', { contents: [] });
    expect(geminiUpstreamCodec.decodeError(limited.status, await limited.text())).toMatchObject({ kind: 'rate-limit', status: 429, retryAfterMs: 12_000 });

    const wrongKey = await fetch(`${fake.baseUrl}/v1beta/models/gemini-2.5-flash:generateContent?key=nope`, { method: 'POST', body: '{"contents":[]}' });
    expect(geminiUpstreamCodec.decodeError(wrongKey.status, await wrongKey.text())).toMatchObject({ kind: 'authentication', status: 400 });

    const unknown = await call('gemini-0-nope', 'generateContent', { contents: [] });
    expect(geminiUpstreamCodec.decodeError(unknown.status, await unknown.text())).toMatchObject({ kind: 'not-found', status: 404 });

    fake.queue.push({ kind: 'script', chunks: [...sseFrames([{ candidates: [{ content: { parts: [{ text: 'Hi' }], role: 'model' }, index: 0 }] }]), `data: ${JSON.stringify(geminiErrorBody(500, 'INTERNAL', 'An internal error has occurred.'))}\r\n\r\n`] });
    const broken = await streamEvents(await call('gemini-2.5-flash', 'streamGenerateContent', { contents: [] }, '?alt=sse'));
    expect(broken.at(-1)).toEqual({ type: 'error', error: { kind: 'upstream', status: 500, message: 'An internal error has occurred.' } });
  });

  it('serves countTokens, the model list and one model, and records every request', async () => {
    const count = await call('gemini-2.5-flash', 'countTokens', { contents: [{ role: 'user', parts: [{ text: 'abcdefgh' }] }] });
    expect(await count.json()).toEqual({ totalTokens: 2 });
    const list = (await (await fetch(`${fake.baseUrl}/v1beta/models`, { headers: { 'x-goog-api-key': fake.apiKey } })).json()) as { models: Array<{ name: string }> };
    expect(list.models.map((model: { name: string }) => model.name)).toContain('models/gemini-2.5-flash');
    const one = await (await fetch(`${fake.baseUrl}/v1beta/models/gemini-2.5-pro?key=${fake.apiKey}`)).json();
    expect(one).toMatchObject({ name: 'models/gemini-2.5-pro', supportedGenerationMethods: expect.arrayContaining(['generateContent']) });
    expect(fake.requests.at(-1)).toMatchObject({ method: 'GET', path: `/v1beta/models/gemini-2.5-pro?key=${fake.apiKey}` });
  });

  it('is a Gemini API the official SDK talks to', async () => {
    const ai = new GoogleGenAI({ apiKey: fake.apiKey, httpOptions: { baseUrl: fake.baseUrl } });
    fake.queue.push({ kind: 'ok', text: 'Hello there friend' });
    let text = '';
    for await (const chunk of await ai.models.generateContentStream({ model: 'gemini-2.5-flash', contents: 'Hi' })) text += chunk.text ?? '';
    expect(text).toBe('Hello there friend');
    fake.queue.push({ kind: 'function-call', calls: [{ name: 'weather', args: { city: 'Oslo' } }] });
    const response = await ai.models.generateContent({ model: 'gemini-2.5-flash', contents: 'Weather?' });
    expect(response.functionCalls).toEqual([{ name: 'weather', args: { city: 'Oslo' } }]);
    expect(fake.requests.at(-1)!.headers['x-goog-api-key']).toBe(fake.apiKey);
  });

  it('behaves like Gemini 3 on signatures: signs a call, and rejects a replay without it with Google\'s 400', async () => {
    const question = { role: 'user', parts: [{ text: 'Weather in Oslo?' }] };
    fake.queue.push({ kind: 'function-call', calls: [{ name: 'weather', args: { city: 'Oslo' } }, { name: 'weather', args: { city: 'Bergen' } }] });
    const answer = (await (await call('gemini-3-pro-preview', 'generateContent', { contents: [question] })).json()) as any;
    const [first, second] = answer.candidates[0].content.parts;
    expect(typeof first.thoughtSignature).toBe('string');
    expect(fake.issuedSignatures.has(first.thoughtSignature)).toBe(true);
    expect(second.thoughtSignature).toBeUndefined(); // only the first call of a parallel batch is signed
    const results = { role: 'user', parts: [{ functionResponse: { name: 'weather', response: { t: 3 } } }, { functionResponse: { name: 'weather', response: { t: 5 } } }] };
    const replay = (parts: object[], model = 'gemini-3-pro-preview') => call(model, 'generateContent', { contents: [question, { role: 'model', parts }, results] });

    const unsigned = await replay([{ functionCall: first.functionCall }, second]);
    expect(unsigned.status).toBe(400);
    expect(await unsigned.json()).toEqual({
      error: {
        code: 400,
        message:
          'Function call is missing a thought_signature in functionCall parts. This is required for tools to work correctly, and missing thought_signature may lead to degraded model performance. Additional data, function call `default_api:weather` , position 2. Please refer to https://ai.google.dev/gemini-api/docs/thought-signatures for more details.',
        status: 'INVALID_ARGUMENT',
      },
    });
    const altered = await replay([{ ...first, thoughtSignature: `${first.thoughtSignature.slice(1)}A` }, second]);
    expect(((await altered.json()) as any).error.message).toBe('Corrupted thought signature.');
    expect((await replay([first, second])).status).toBe(200);
    expect((await replay([{ ...first, thoughtSignature: 'skip_thought_signature_validator' }, second])).status).toBe(200);
    // Gemini 2.5 never asked for signatures; an earlier turn is not validated either.
    expect((await replay([{ functionCall: first.functionCall }, second], 'gemini-2.5-flash')).status).toBe(200);
    const laterTurn = { contents: [question, { role: 'model', parts: [{ functionCall: first.functionCall }] }, results, { role: 'model', parts: [{ text: 'Cold.' }] }, { role: 'user', parts: [{ text: 'Thanks' }] }] };
    expect((await call('gemini-3-pro-preview', 'generateContent', laterTurn)).status).toBe(200);
  });
});
