import Anthropic from '@anthropic-ai/sdk';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { assertEventOrder } from '../../ir/assert-event-order.js';
import type { IrRequest } from '../../ir/ir-request.js';
import type { IrStreamEvent } from '../../ir/ir-stream-event.js';
import { proxyError } from '../../core/proxy-error.js';
import { createAnthropicStreamEncoder } from './encode-stream.js';
import { decodeStream, sseBytes } from './__fixtures__/fixtures.js';

const request: IrRequest = { model: 'claude-sonnet-4-5', instructions: [], messages: [], tools: [], sampling: {}, stream: true, extras: {}, warnings: [] };

function encode(events: IrStreamEvent[], options: { end?: boolean } = {}): string {
  assertEventOrder(events);
  const encoder = createAnthropicStreamEncoder(request);
  let out = events.map((event) => encoder.push(event)).join('');
  if (options.end !== false) out += encoder.end();
  return out;
}

/** The (event name, data) pairs of an SSE text. */
function frames(sse: string): Array<{ event: string; data: any }> {
  return sse.split('\n\n').filter(Boolean).map((chunk) => {
    const [eventLine, dataLine] = chunk.split('\n');
    return { event: eventLine!.slice('event: '.length), data: JSON.parse(dataLine!.slice('data: '.length)) };
  });
}

// A local server replays encoded bytes to the real Anthropic SDK, which parses them as it would Anthropic's.
let server: Server;
let body = '';
let client: Anthropic;
beforeAll(async () => {
  server = createServer((req, res) => {
    req.resume();
    req.on('end', () => {
      res.writeHead(200, { 'content-type': 'text/event-stream' });
      res.end(body);
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', () => resolve()));
  client = new Anthropic({ apiKey: 'test', baseURL: `http://127.0.0.1:${(server.address() as AddressInfo).port}`, maxRetries: 0 });
});
afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())));

async function sdkFinalMessage(sse: string) {
  body = sse;
  return client.messages.stream({ model: 'claude-sonnet-5', max_tokens: 100, messages: [{ role: 'user', content: 'hi' }] }).finalMessage();
}

describe('Anthropic stream encoder', () => {
  it('re-encodes a recorded Anthropic stream into the same message for the SDK', async () => {
    const sse = encode(decodeStream(sseBytes('thinking-tool-use.chunks.txt')));
    expect(frames(sse).map((f) => f.event)).toEqual([
      'message_start',
      'content_block_start', 'content_block_delta', 'content_block_delta', 'content_block_delta', 'content_block_stop',
      'content_block_start', 'content_block_stop',
      'content_block_start', 'content_block_delta', 'content_block_stop',
      'content_block_start', 'content_block_delta', 'content_block_delta', 'content_block_delta', 'content_block_stop',
      'message_delta', 'message_stop',
    ]);
    const message = await sdkFinalMessage(sse);
    expect(message).toMatchObject({
      id: 'msg_01ThinkToolStream', type: 'message', role: 'assistant', model: 'claude-sonnet-4-5', stop_reason: 'tool_use',
      usage: { input_tokens: 472, output_tokens: 89 },
      content: [
        { type: 'thinking', thinking: 'I need to find the weather.', signature: 'EqQBCgIYAhIM1gbcDa9GJwZA2b3hGgxBdjrkzLoky3dl1pkiMOYds' },
        { type: 'redacted_thinking', data: 'EmwKAhgBEgy3va3pzix/LafPsn4a' },
        { type: 'text', text: "Okay, let's check the weather:" },
        { type: 'tool_use', id: 'toolu_01T1x1fJ34qAmk2tNTrN7Up6', name: 'get_weather', input: { location: 'San Francisco, CA', unit: 'fahrenheit' } },
      ],
    });
  });

  it('serialises interleaved parallel tool calls (OpenAI style) without losing arguments', async () => {
    const events: IrStreamEvent[] = [
      { type: 'response-start', id: 'chatcmpl-1', model: 'gpt-4o', created: 1 },
      { type: 'text-start', id: 't' },
      { type: 'text-delta', id: 't', delta: 'Looking up ' },
      { type: 'tool-input-start', id: 'a', toolCallId: 'call_a', toolName: 'weather' },
      { type: 'tool-input-delta', id: 'a', delta: '{"city":' },
      { type: 'text-delta', id: 't', delta: 'both.' },
      { type: 'tool-input-start', id: 'b', toolCallId: 'call_b', toolName: 'time' },
      { type: 'tool-input-delta', id: 'b', delta: '{"tz":"Europe/Zürich"' },
      { type: 'tool-input-delta', id: 'a', delta: '"Paris"}' },
      { type: 'tool-input-delta', id: 'b', delta: '}' },
      { type: 'text-end', id: 't' },
      { type: 'tool-input-end', id: 'a' },
      { type: 'tool-call', id: 'a', toolCallId: 'call_a', toolName: 'weather', argumentsText: '{"city":"Paris"}' },
      { type: 'tool-input-end', id: 'b' },
      { type: 'tool-call', id: 'b', toolCallId: 'call_b', toolName: 'time', argumentsText: '{"tz":"Europe/Zürich"}' },
      // A call whose arguments only the final event carries (a Gemini-style whole call).
      { type: 'tool-input-start', id: 'c', toolCallId: 'call_c', toolName: 'noop' },
      { type: 'tool-input-end', id: 'c' },
      { type: 'tool-call', id: 'c', toolCallId: 'call_c', toolName: 'noop', argumentsText: '{"x":1}' },
      { type: 'finish', finishReason: { unified: 'tool-calls', raw: 'tool_calls', protocol: 'openai-chat' }, usage: { inputTokens: 50, outputTokens: 20 } },
    ];
    const sse = encode(events);
    // Strictly sequential blocks: each start follows the previous stop.
    let open = -1;
    for (const { event, data } of frames(sse)) {
      if (event === 'content_block_start') { expect(open).toBe(-1); open = data.index; }
      if (event === 'content_block_delta') expect(data.index).toBe(open);
      if (event === 'content_block_stop') { expect(data.index).toBe(open); open = -1; }
    }
    const message = await sdkFinalMessage(sse);
    expect(message.id).toBe('msg_chatcmpl-1');
    expect(message.stop_reason).toBe('tool_use');
    expect(message.usage).toMatchObject({ input_tokens: 50, output_tokens: 20 });
    expect(message.content).toEqual([
      { type: 'text', text: 'Looking up both.' },
      { type: 'tool_use', id: 'call_a', name: 'weather', input: { city: 'Paris' } },
      { type: 'tool_use', id: 'call_b', name: 'time', input: { tz: 'Europe/Zürich' } },
      { type: 'tool_use', id: 'call_c', name: 'noop', input: { x: 1 } },
    ]);
  });

  it('puts usage reported right after response-start into message_start', () => {
    const sse = encode([
      { type: 'response-start', id: 'r', model: 'gemini', created: 1 },
      { type: 'usage', usage: { inputTokens: 30, cacheReadTokens: 10 } },
      { type: 'text-start', id: 't' },
      { type: 'text-end', id: 't' },
      { type: 'finish', finishReason: { unified: 'stop' }, usage: { outputTokens: 3 } },
    ]);
    const all = frames(sse);
    expect(all[0]!.data.message.usage).toEqual({ input_tokens: 20, cache_read_input_tokens: 10, output_tokens: 0 });
    expect(all.at(-2)!.data).toEqual({ type: 'message_delta', delta: { stop_reason: 'end_turn', stop_sequence: null }, usage: { input_tokens: 20, cache_read_input_tokens: 10, output_tokens: 3 } });
  });

  it('writes an error after bytes as `event: error`, which the SDK throws', async () => {
    const sse = encode(decodeStream(sseBytes('error-after-200.chunks.txt')));
    expect(frames(sse).at(-1)).toEqual({ event: 'error', data: { type: 'error', error: { type: 'overloaded_error', message: 'Overloaded' } } });
    await expect(sdkFinalMessage(sse)).rejects.toMatchObject({ type: 'overloaded_error' });
  });

  it('ends a stream that stopped without finish with an error frame', async () => {
    const encoder = createAnthropicStreamEncoder(request);
    let sse = encoder.push({ type: 'response-start', id: 'r', model: 'm', created: 1 }) + encoder.push({ type: 'text-start', id: 't' }) + encoder.push({ type: 'text-delta', id: 't', delta: 'cut' });
    sse += encoder.end();
    expect(frames(sse).map((f) => f.event)).toEqual(['message_start', 'content_block_start', 'content_block_delta', 'error']);
    expect(encoder.end()).toBe('');
    expect(encoder.push({ type: 'text-delta', id: 't', delta: 'late' })).toBe('');
    await expect(sdkFinalMessage(sse)).rejects.toMatchObject({ type: 'api_error' });
  });

  it('writes only an error frame when the error comes first', () => {
    const sse = encode([{ type: 'error', error: proxyError('rate-limit', 'Slow down', 429, 5000) }]);
    expect(frames(sse)).toEqual([{ event: 'error', data: { type: 'error', error: { type: 'rate_limit_error', message: 'Slow down' } } }]);
  });

  it('wraps foreign signatures, waits for redacted data, and keeps pause_turn', async () => {
    const sse = encode([
      { type: 'response-start', id: 'msg_x', model: 'm', created: 1 },
      { type: 'reasoning-start', id: 'r1', redacted: true },
      { type: 'reasoning-start', id: 'r2' },
      { type: 'reasoning-delta', id: 'r2', delta: 'gemini thought' },
      { type: 'reasoning-signature', id: 'r2', signature: { family: 'gemini', value: 'CiQB' } },
      { type: 'reasoning-signature', id: 'r1', signature: { family: 'anthropic', value: 'DATA' } },
      { type: 'reasoning-end', id: 'r1' },
      { type: 'reasoning-end', id: 'r2' },
      { type: 'finish', finishReason: { unified: 'other', raw: 'pause_turn', protocol: 'anthropic' }, usage: {} },
    ]);
    const message = await sdkFinalMessage(sse);
    expect(message.content).toEqual([
      { type: 'redacted_thinking', data: 'DATA' },
      { type: 'thinking', thinking: 'gemini thought', signature: 'localgate.gemini.CiQB' },
    ]);
    expect(message.stop_reason).toBe('pause_turn');
  });
});

describe('Anthropic stream encoder, any interleaving', () => {
  it('writes sequential blocks with every text and argument intact', () => {
    const piece = fc.string({ minLength: 1, maxLength: 6, unit: fc.constantFrom('a', '"', '{', 'ü', '🙂', ' ') });
    const block = fc.record({ kind: fc.constantFrom('text', 'tool', 'thinking'), pieces: fc.array(piece, { maxLength: 4 }), lateTail: fc.option(piece, { nil: undefined }) });
    fc.assert(
      fc.property(fc.array(block, { minLength: 1, maxLength: 4 }), fc.array(fc.nat(), { minLength: 30, maxLength: 30 }), (blocks, choices) => {
        // Each block's events in order; blocks interleaved by the random choices.
        const lanes = blocks.map((b, i) => {
          const id = `x${i}`;
          const lane: IrStreamEvent[] = [];
          if (b.kind === 'text') {
            lane.push({ type: 'text-start', id }, ...b.pieces.map((delta) => ({ type: 'text-delta' as const, id, delta })), { type: 'text-end', id });
          } else if (b.kind === 'thinking') {
            lane.push({ type: 'reasoning-start', id }, ...b.pieces.map((delta) => ({ type: 'reasoning-delta' as const, id, delta })), { type: 'reasoning-end', id });
          } else {
            lane.push({ type: 'tool-input-start', id, toolCallId: `call_${i}`, toolName: 'f' }, ...b.pieces.map((delta) => ({ type: 'tool-input-delta' as const, id, delta })));
            lane.push({ type: 'tool-input-end', id }, { type: 'tool-call', id, toolCallId: `call_${i}`, toolName: 'f', argumentsText: b.pieces.join('') + (b.lateTail ?? '') });
          }
          return lane;
        });
        const events: IrStreamEvent[] = [{ type: 'response-start', id: 'r', model: 'm', created: 1 }];
        let step = 0;
        while (lanes.some((lane) => lane.length > 0)) {
          const live = lanes.filter((lane) => lane.length > 0);
          events.push(live[choices[step++ % choices.length]! % live.length]!.shift()!);
        }
        events.push({ type: 'finish', finishReason: { unified: 'stop' }, usage: {} });
        const written = frames(encode(events));
        const content: string[] = [];
        let open = -1;
        for (const { event, data } of written) {
          if (event === 'content_block_start') { expect(open).toBe(-1); expect(data.index).toBe(content.length); open = data.index; content.push(''); }
          if (event === 'content_block_delta') {
            expect(data.index).toBe(open);
            content[open] += data.delta.text ?? data.delta.thinking ?? data.delta.partial_json ?? '';
          }
          if (event === 'content_block_stop') { expect(data.index).toBe(open); open = -1; }
        }
        expect(open).toBe(-1);
        expect(written.at(-1)!.event).toBe('message_stop');
        // Blocks come out in start order with their full content.
        const starts = events.filter((e) => e.type === 'text-start' || e.type === 'reasoning-start' || e.type === 'tool-input-start').map((e) => Number(e.id.slice(1)));
        expect(content).toEqual(starts.map((i) => blocks[i]!.pieces.join('') + (blocks[i]!.kind === 'tool' ? blocks[i]!.lateTail ?? '' : '')));
      }),
      { numRuns: 300 },
    );
  });
});
