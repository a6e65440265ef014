import OpenAI from 'openai';
import { describe, expect, it } from 'vitest';
import { assertEventOrder } from '../../ir/assert-event-order.js';
import type { IrRequest } from '../../ir/ir-request.js';
import type { IrStreamEvent } from '../../ir/ir-stream-event.js';
import { decodeInPieces, loadChunks, toSseBytes } from './__fixtures__/load-fixture.js';
import { createOpenAIChatStreamDecoder } from './decode-stream.js';
import { createOpenAIChatStreamEncoder } from './encode-stream.js';

function request(overrides: Partial<IrRequest> = {}): IrRequest {
  return { model: 'claude-sonnet-4-5', instructions: [], messages: [], tools: [], sampling: {}, stream: true, extras: {}, warnings: [], ...overrides };
}

function encode(events: IrStreamEvent[], ir: IrRequest = request()): string {
  const encoder = createOpenAIChatStreamEncoder(ir);
  return events.map((event) => encoder.push(event)).join('') + encoder.end();
}

function dataLines(sse: string): unknown[] {
  return sse
    .split('\n\n')
    .filter(Boolean)
    .map((frame) => frame.replace(/^data: /, ''))
    .map((data) => (data === '[DONE]' ? data : JSON.parse(data)));
}

/** An OpenAI SDK client whose fetch answers with `sse`. */
function sdkClientFor(sse: string): OpenAI {
  return new OpenAI({
    apiKey: 'sk-test',
    baseURL: 'http://localhost.invalid/v1',
    maxRetries: 0,
    fetch: async () => new Response(sse, { status: 200, headers: { 'content-type': 'text/event-stream' } }),
  });
}

const start: IrStreamEvent = { type: 'response-start', id: 'msg_01', model: 'claude-sonnet-4-5-20250929', created: 1741569952 };

/** Anthropic-like order: thinking, text, then two tool calls streamed one after the other. */
const toolAnswer: IrStreamEvent[] = [
  start,
  { type: 'reasoning-start', id: 'r0' },
  { type: 'reasoning-delta', id: 'r0', delta: 'Need both cities.' },
  { type: 'reasoning-signature', id: 'r0', signature: { family: 'anthropic', value: 'sig' } },
  { type: 'reasoning-end', id: 'r0' },
  { type: 'text-start', id: 't1' },
  { type: 'text-delta', id: 't1', delta: 'Checking ' },
  { type: 'text-delta', id: 't1', delta: 'the weather.' },
  { type: 'text-end', id: 't1' },
  { type: 'tool-input-start', id: 'b2', toolCallId: 'toolu_01', toolName: 'get_weather' },
  { type: 'tool-input-delta', id: 'b2', delta: '{"city":' },
  { type: 'tool-input-delta', id: 'b2', delta: '"Paris"}' },
  { type: 'tool-input-end', id: 'b2' },
  { type: 'tool-call', id: 'b2', toolCallId: 'toolu_01', toolName: 'get_weather', argumentsText: '{"city":"Paris"}' },
  { type: 'tool-input-start', id: 'b3', toolCallId: 'toolu_02', toolName: 'get_weather' },
  { type: 'tool-input-delta', id: 'b3', delta: '{"city":"東京"}' },
  { type: 'tool-input-end', id: 'b3' },
  { type: 'tool-call', id: 'b3', toolCallId: 'toolu_02', toolName: 'get_weather', argumentsText: '{"city":"東京"}' },
  { type: 'usage', usage: { inputTokens: 100, cacheReadTokens: 40 } },
  { type: 'finish', finishReason: { unified: 'tool-calls', raw: 'tool_use', protocol: 'anthropic' }, usage: { outputTokens: 30 } },
];

describe('createOpenAIChatStreamEncoder', () => {
  it('writes the role chunk first, deltas, tool call headers then argument pieces, finish, usage and [DONE]', () => {
    assertEventOrder(toolAnswer);
    const lines = dataLines(encode(toolAnswer, request({ includeUsage: true }))) as any[];
    expect(lines[0].choices[0].delta).toEqual({ role: 'assistant', content: '', refusal: null });
    expect(lines[0]).toMatchObject({ id: 'msg_01', object: 'chat.completion.chunk', created: 1741569952, model: 'claude-sonnet-4-5-20250929', usage: null });
    const deltas = lines.slice(1, -3).map((line) => line.choices[0].delta);
    expect(deltas).toEqual([
      { reasoning_content: 'Need both cities.' },
      { content: 'Checking ' },
      { content: 'the weather.' },
      { tool_calls: [{ index: 0, id: 'toolu_01', type: 'function', function: { name: 'get_weather', arguments: '' } }] },
      { tool_calls: [{ index: 0, function: { arguments: '{"city":' } }] },
      { tool_calls: [{ index: 0, function: { arguments: '"Paris"}' } }] },
      { tool_calls: [{ index: 1, id: 'toolu_02', type: 'function', function: { name: 'get_weather', arguments: '' } }] },
      { tool_calls: [{ index: 1, function: { arguments: '{"city":"東京"}' } }] },
    ]);
    expect(lines.at(-3).choices[0]).toEqual({ index: 0, delta: {}, logprobs: null, finish_reason: 'tool_calls' });
    expect(lines.at(-2)).toMatchObject({
      choices: [],
      usage: { prompt_tokens: 100, completion_tokens: 30, total_tokens: 130, prompt_tokens_details: { cached_tokens: 40 } },
    });
    expect(lines.at(-1)).toBe('[DONE]');
  });

  it('sends the usage chunk only when the client asked for it', () => {
    const lines = dataLines(encode(toolAnswer)) as any[];
    expect(lines.at(-1)).toBe('[DONE]');
    expect(lines.at(-2).choices[0].finish_reason).toBe('tool_calls');
    expect(lines.some((line) => line !== '[DONE]' && 'usage' in line)).toBe(false);
  });

  it('is parsed by the openai SDK ChatCompletionStream, tool calls accumulated by index', async () => {
    const stream = sdkClientFor(encode(toolAnswer, request({ includeUsage: true }))).chat.completions.stream({ model: 'x', messages: [{ role: 'user', content: 'hi' }] });
    const argumentDeltas: string[] = [];
    stream.on('tool_calls.function.arguments.delta', (event) => argumentDeltas.push(event.arguments_delta));
    const completion = await stream.finalChatCompletion();
    const choice = completion.choices[0];
    expect(choice?.finish_reason).toBe('tool_calls');
    expect(choice?.message.content).toBe('Checking the weather.');
    expect(choice?.message.tool_calls).toEqual([
      { id: 'toolu_01', type: 'function', function: { name: 'get_weather', arguments: '{"city":"Paris"}' } },
      { id: 'toolu_02', type: 'function', function: { name: 'get_weather', arguments: '{"city":"東京"}' } },
    ]);
    expect((choice?.message as unknown as { reasoning_content: string }).reasoning_content).toBe('Need both cities.');
    expect(completion.usage).toMatchObject({ prompt_tokens: 100, completion_tokens: 30 });
    expect(argumentDeltas.filter(Boolean)).toEqual(['{"city":', '"Paris"}', '{"city":"東京"}']);
  });

  it('is iterated by the openai SDK create({stream: true}) without errors', async () => {
    const sse = encode([start, { type: 'text-start', id: 't' }, { type: 'text-delta', id: 't', delta: 'Hi' }, { type: 'text-end', id: 't' }, { type: 'finish', finishReason: { unified: 'stop' }, usage: {} }]);
    const chunks = await sdkClientFor(sse).chat.completions.create({ model: 'x', messages: [{ role: 'user', content: 'hi' }], stream: true });
    const seen: string[] = [];
    for await (const chunk of chunks) seen.push(chunk.choices[0]?.delta.content ?? `<${chunk.choices[0]?.finish_reason}>`);
    expect(seen).toEqual(['', 'Hi', '<stop>']);
  });

  it('writes an error that arrives after bytes as an OpenAI error data line, which the SDK throws', async () => {
    const sse = encode([start, { type: 'text-start', id: 't' }, { type: 'text-delta', id: 't', delta: 'Par' }, { type: 'error', error: { kind: 'overloaded', status: 529, message: 'Overloaded' } }]);
    expect(sse.endsWith('data: {"error":{"message":"Overloaded","type":"server_error","param":null,"code":null}}\n\n')).toBe(true);
    expect(sse).not.toContain('[DONE]');
    const chunks = await sdkClientFor(sse).chat.completions.create({ model: 'x', messages: [{ role: 'user', content: 'hi' }], stream: true });
    await expect(async () => {
      for await (const chunk of chunks) void chunk;
    }).rejects.toThrow(/Overloaded/);
  });

  it('closes a stream that stopped without finish or error with an error frame', () => {
    const encoder = createOpenAIChatStreamEncoder(request());
    encoder.push(start);
    encoder.push({ type: 'text-start', id: 't' });
    encoder.push({ type: 'text-delta', id: 't', delta: 'cut' });
    const closing = encoder.end();
    expect(dataLines(closing)).toEqual([{ error: { message: 'The upstream stream ended before the response was complete', type: 'server_error', param: null, code: null } }]);
    expect(encoder.end()).toBe('');
  });

  it('writes a call whose arguments were never streamed from the tool-call event', () => {
    const lines = dataLines(
      encode([
        start,
        { type: 'tool-input-start', id: 'c', toolCallId: 'call_1', toolName: 'f' },
        { type: 'tool-input-end', id: 'c' },
        { type: 'tool-call', id: 'c', toolCallId: 'call_1', toolName: 'f', argumentsText: '{"a":1}' },
        { type: 'finish', finishReason: { unified: 'stop', protocol: 'gemini', raw: 'STOP' }, usage: {} },
      ]),
    ) as any[];
    expect(lines.slice(1, 3).map((line) => line.choices[0].delta)).toEqual([
      { tool_calls: [{ index: 0, id: 'call_1', type: 'function', function: { name: 'f', arguments: '' } }] },
      { tool_calls: [{ index: 0, function: { arguments: '{"a":1}' } }] },
    ]);
    // Gemini reports STOP for function calls: OpenAI clients loop on tool_calls.
    expect(lines.at(-2).choices[0].finish_reason).toBe('tool_calls');
  });

  it('uses delta.function_call for a legacy `functions` client', async () => {
    const ir = request({ extras: { 'openai-chat': { legacyFunctions: true } } });
    const sse = encode(
      [
        start,
        { type: 'tool-input-start', id: 'c', toolCallId: 'call_1', toolName: 'f' },
        { type: 'tool-input-delta', id: 'c', delta: '{"a":' },
        { type: 'tool-input-delta', id: 'c', delta: '1}' },
        { type: 'tool-input-end', id: 'c' },
        { type: 'tool-call', id: 'c', toolCallId: 'call_1', toolName: 'f', argumentsText: '{"a":1}' },
        { type: 'finish', finishReason: { unified: 'tool-calls' }, usage: {} },
      ],
      ir,
    );
    const completion = await sdkClientFor(sse).chat.completions.stream({ model: 'x', messages: [{ role: 'user', content: 'hi' }] }).finalChatCompletion();
    expect(completion.choices[0]?.message.function_call).toEqual({ name: 'f', arguments: '{"a":1}' });
    expect(completion.choices[0]?.finish_reason).toBe('function_call');
  });

  it('re-encodes decoded upstream captures losslessly (decode → encode → decode)', () => {
    for (const name of ['text-usage.chunks.txt', 'parallel-tool-calls.chunks.txt', 'tool-call-arguments-before-id.chunks.txt', 'reasoning-deepseek.chunks.txt', 'error-after-200.chunks.txt']) {
      const first = decodeInPieces(createOpenAIChatStreamDecoder(), toSseBytes(loadChunks(name)));
      const again = decodeInPieces(createOpenAIChatStreamDecoder(), Buffer.from(encode(first, request({ includeUsage: true }))));
      expect(fold(again)).toEqual(fold(first));
    }
  });
});

/** What a client ends up with: text, reasoning, calls and the outcome (block ids and delta cuts may differ). */
function fold(events: IrStreamEvent[]): unknown {
  const folded = { text: '', reasoning: '', calls: [] as unknown[], end: undefined as unknown };
  for (const event of events) {
    if (event.type === 'text-delta') folded.text += event.delta;
    else if (event.type === 'reasoning-delta') folded.reasoning += event.delta;
    else if (event.type === 'tool-call') folded.calls.push([event.toolCallId, event.toolName, event.argumentsText]);
    else if (event.type === 'finish') folded.end = [event.finishReason.unified, event.usage.inputTokens, event.usage.outputTokens];
    else if (event.type === 'error') folded.end = event.error.message;
  }
  return folded;
}
