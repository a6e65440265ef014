import Anthropic from '@anthropic-ai/sdk';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { assertEventOrder } from '../../ir/assert-event-order.js';
import type { IrRequest } from '../../ir/ir-request.js';
import type { IrStreamEvent } from '../../ir/ir-stream-event.js';
import { startFakeAnthropicUpstream, toolUseAnswer, type FakeAnthropicUpstream } from '../../../test/fakes/fake-anthropic-upstream.js';
import { anthropicUpstreamCodec } from './index.js';
import { readFixture } from './__fixtures__/fixtures.js';

/** The upstream codec against the fake Anthropic server, and the fake against the official SDK. */
let fake: FakeAnthropicUpstream;
let sdk: Anthropic;
beforeAll(async () => {
  fake = await startFakeAnthropicUpstream();
  sdk = new Anthropic({ apiKey: fake.apiKey, baseURL: fake.baseUrl, maxRetries: 0 });
});
afterAll(() => fake.close());
beforeEach(() => {
  fake.requests.length = 0;
  fake.queue.length = 0;
});

const weatherCall = { id: 'toolu_01Weather', name: 'get_weather', input: { location: 'Zürich, CH', days: [1, 2, 3], unit: 'celsius' } };

async function post(body: Record<string, unknown>): Promise<Response> {
  return fetch(`${fake.baseUrl}/v1/messages`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', 'x-api-key': fake.apiKey, 'anthropic-version': '2023-06-01' },
    body: JSON.stringify(body),
  });
}

async function decodeBody(response: Response): Promise<IrStreamEvent[]> {
  const decoder = anthropicUpstreamCodec.createStreamDecoder();
  const events: IrStreamEvent[] = [];
  for await (const chunk of response.body!) events.push(...decoder.push(Buffer.from(chunk)));
  events.push(...decoder.end());
  return assertEventOrder(events) as IrStreamEvent[];
}

function openAIStyleRequest(stream: boolean): IrRequest {
  return {
    model: 'gpt-4o', stream, instructions: [{ type: 'text', text: 'Be terse.' }], tools: [{ name: 'get_weather', parameters: { type: 'object', properties: { location: { type: 'string' } } } }],
    messages: [{ role: 'user', parts: [{ type: 'text', text: 'Weather in Zürich?' }] }], sampling: {}, extras: {}, warnings: [],
  };
}

describe('fake Anthropic upstream with the official SDK', () => {
  it('answers messages.create, streams, counts tokens and lists models', async () => {
    const message = await sdk.messages.create({ model: 'claude-sonnet-5', max_tokens: 50, messages: [{ role: 'user', content: 'hi' }] });
    expect(message).toMatchObject({ type: 'message', role: 'assistant', stop_reason: 'end_turn', content: [{ type: 'text', text: 'Hello from the fake Anthropic upstream!' }] });
    fake.queue.push({ kind: 'ok', text: 'Streamed answer here', thinking: { text: 'hmm', signature: 'SIG' } });
    const streamed = await sdk.messages.stream({ model: 'claude-sonnet-5', max_tokens: 50, messages: [{ role: 'user', content: 'hi' }] }).finalMessage();
    expect(streamed.content).toEqual([{ type: 'thinking', thinking: 'hmm', signature: 'SIG' }, { type: 'text', text: 'Streamed answer here' }]);
    const count = await sdk.messages.countTokens({ model: 'claude-sonnet-5', messages: [{ role: 'user', content: 'a fairly short prompt' }] });
    expect(count.input_tokens).toBeGreaterThan(0);
    const models = await sdk.models.list();
    expect(models.data.map((model) => model.id)).toEqual(fake.models);
    expect(fake.requests.map((r) => `${r.method} ${r.path.split('?')[0]}`)).toEqual(['POST /v1/messages', 'POST /v1/messages', 'POST /v1/messages/count_tokens']);
    // Model lists are recorded apart (a daemon lists an account's models on its own when it is added).
    expect(fake.modelListRequests.map((r) => `${r.method} ${r.path.split('?')[0]}`)).toEqual(['GET /v1/models']);
    expect(fake.requests[0]!.headers['anthropic-version']).toMatch(/^\d{4}-\d{2}-\d{2}$/);
    // Recent SDKs send the key as a bearer token; `x-api-key` is the documented header (see post()).
    expect([fake.requests[0]!.headers['x-api-key'], fake.requests[0]!.headers.authorization]).toContain(`Bearer ${fake.apiKey}`);
  });

  it('streams and returns tool_use answers the SDK assembles with every argument', async () => {
    fake.queue.push(toolUseAnswer([weatherCall], { text: 'Checking.', pieces: 5 }), toolUseAnswer([weatherCall]));
    const streamed = await sdk.messages.stream({ model: 'claude-sonnet-5', max_tokens: 50, messages: [{ role: 'user', content: 'hi' }] }).finalMessage();
    expect(streamed.stop_reason).toBe('tool_use');
    expect(streamed.content).toEqual([{ type: 'text', text: 'Checking.' }, { type: 'tool_use', ...weatherCall }]);
    const whole = await sdk.messages.create({ model: 'claude-sonnet-5', max_tokens: 50, messages: [{ role: 'user', content: 'hi' }] });
    expect(whole.content).toEqual([{ type: 'tool_use', ...weatherCall }]);
  });

  it('rejects a wrong key with authentication_error and answers errors in Anthropic form', async () => {
    const wrong = new Anthropic({ apiKey: 'nope', baseURL: fake.baseUrl, maxRetries: 0 });
    await expect(wrong.messages.create({ model: 'm', max_tokens: 1, messages: [{ role: 'user', content: 'hi' }] })).rejects.toMatchObject({ status: 401, type: 'authentication_error' });
    fake.queue.push({ kind: 'error', status: 429 }, { kind: 'error', status: 529 });
    const limited = await post({ model: 'm', max_tokens: 1, messages: [] });
    expect(limited.status).toBe(429);
    expect(limited.headers.get('retry-after')).toBe('7');
    expect(limited.headers.get('anthropic-ratelimit-requests-remaining')).toBe('0');
    expect(limited.headers.get('request-id')).toMatch(/^req_/);
    const limitedError = anthropicUpstreamCodec.decodeError(limited.status, await limited.text());
    expect(limitedError.kind).toBe('rate-limit');
    await expect(sdk.messages.create({ model: 'm', max_tokens: 1, messages: [{ role: 'user', content: 'hi' }] })).rejects.toMatchObject({ status: 529, type: 'overloaded_error' });
    const missingMaxTokens = await post({ model: 'm', messages: [] });
    expect(missingMaxTokens.status).toBe(400);
  });
});

describe('Anthropic upstream codec against the fake', () => {
  it('sends an encoded OpenAI-style request and decodes a streamed tool call with every argument', async () => {
    fake.queue.push(toolUseAnswer([weatherCall, { id: 'toolu_02', name: 'get_weather', input: {} }], { pieces: 7 }));
    const body = anthropicUpstreamCodec.encodeRequest(openAIStyleRequest(true), 'claude-sonnet-5');
    const events = await decodeBody(await post(body));
    expect(fake.requests[0]!.body).toMatchObject({ model: 'claude-sonnet-5', max_tokens: 8192, system: 'Be terse.', stream: true });
    const calls = events.filter((e) => e.type === 'tool-call');
    expect(calls.map((call) => [call.toolCallId, JSON.parse(call.argumentsText)])).toEqual([['toolu_01Weather', weatherCall.input], ['toolu_02', {}]]);
    expect(events.at(-1)).toMatchObject({ type: 'finish', finishReason: { unified: 'tool-calls', raw: 'tool_use' } });
  });

  it('decodes a non-streamed tool-use answer', async () => {
    fake.queue.push(toolUseAnswer([weatherCall]));
    const response = await post(anthropicUpstreamCodec.encodeRequest(openAIStyleRequest(false), 'claude-haiku-4-5'));
    const decoded = anthropicUpstreamCodec.decodeResponse(await response.json());
    expect(decoded.content).toEqual([{ type: 'tool-call', toolCallId: 'toolu_01Weather', toolName: 'get_weather', argumentsText: JSON.stringify(weatherCall.input) }]);
    expect(decoded.usage).toEqual({ inputTokens: 12, cacheReadTokens: 0, cacheWriteTokens: 0, outputTokens: 8 });
  });

  it('replays scripted bytes: an error event after a 200; a multibyte character cut in two, then a stream that stops', async () => {
    const bytes = Buffer.from(readFixture('error-after-200.chunks.txt').split('\n').filter(Boolean).map((line) => `event: ${JSON.parse(line).type}\ndata: ${line}\n\n`).join(''));
    const cut = bytes.indexOf('answ');
    fake.queue.push({ kind: 'script', chunks: [bytes.subarray(0, cut), bytes.subarray(cut)], delayMs: 5 });
    const events = await decodeBody(await post({ model: 'm', max_tokens: 1, messages: [], stream: true }));
    expect(events.at(-1)).toEqual({ type: 'error', error: { kind: 'overloaded', status: 529, message: 'Overloaded' } });
    const text = Buffer.from('event: content_block_delta\ndata: {"type":"content_block_delta","index":0,"delta":{"type":"text_delta","text":"ü"}}\n\n');
    const start = Buffer.from('event: message_start\ndata: {"type":"message_start","message":{"id":"msg_1","model":"m","usage":{"input_tokens":1}}}\n\nevent: content_block_start\ndata: {"type":"content_block_start","index":0,"content_block":{"type":"text","text":""}}\n\n');
    const middle = text.indexOf(Buffer.from('ü')) + 1;
    // The stream then stops without message_stop: what arrived decodes whole, then an upstream error.
    fake.queue.push({ kind: 'script', chunks: [start, text.subarray(0, middle), text.subarray(middle)], delayMs: 5 });
    const cutEvents = await decodeBody(await post({ model: 'm', max_tokens: 1, messages: [], stream: true }));
    expect(cutEvents.filter((e) => e.type === 'text-delta')).toEqual([{ type: 'text-delta', id: 'b0', delta: 'ü' }]);
    expect(cutEvents.at(-1)).toMatchObject({ type: 'error', error: { kind: 'upstream' } });
  });
});

describe('the fake enforces extended thinking as Anthropic does', () => {
  const tools = [{ name: 'get_weather', description: 'Weather', input_schema: { type: 'object' as const, properties: { location: { type: 'string' } } } }];
  const question = { role: 'user' as const, content: 'Weather in Zürich?' };
  const thinking = { type: 'enabled' as const, budget_tokens: 2048 };

  it('opens a thinking answer with a signed block and takes it back only unaltered, first in the tool turn', async () => {
    fake.queue.push(toolUseAnswer([weatherCall], { text: 'Checking.' }));
    const first = await sdk.messages.create({ model: 'claude-sonnet-4-5', max_tokens: 4096, thinking, tools, messages: [question] });
    expect(first.content.map((block) => block.type)).toEqual(['thinking', 'text', 'tool_use']);
    const result = { role: 'user' as const, content: [{ type: 'tool_result' as const, tool_use_id: weatherCall.id, content: '3 °C' }] };
    const next = (content: any[]) => post({ model: 'claude-sonnet-4-5', max_tokens: 4096, thinking, tools, messages: [question, { role: 'assistant', content }, result] });

    expect((await next(first.content)).status).toBe(200);
    const [signed, text, toolUse] = first.content as any[];
    const altered = await next([{ ...signed, thinking: `${signed.thinking} (edited)` }, text, toolUse]);
    expect(altered.status).toBe(400);
    expect(((await altered.json()) as any).error).toEqual({ type: 'invalid_request_error', message: 'messages.1.content.0: Invalid `signature` in `thinking` block' });
    const missing = await next([text, toolUse]);
    expect(((await missing.json()) as any).error.message).toMatch(/^messages\.1\.content\.0\.type: Expected `thinking` or `redacted_thinking`, but found `text`\. When `thinking` is enabled, a final `assistant` message must start with a thinking block/);
    const unsigned = await next([{ type: 'thinking', thinking: signed.thinking }, text, toolUse]);
    expect(((await unsigned.json()) as any).error.message).toBe('messages.1.content.0.thinking.signature: Field required');
    // Without thinking, a tool turn needs no thinking block.
    expect((await post({ model: 'claude-sonnet-4-5', max_tokens: 4096, tools, messages: [question, { role: 'assistant', content: [text, toolUse] }, result] })).status).toBe(200);
  });
});
