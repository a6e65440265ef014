import { readFileSync } from 'node:fs';
import fc from 'fast-check';
import { accumulateResponse } from 'openai/lib/responses/ResponseAccumulator';
import type { Response, ResponseStreamEvent } from 'openai/resources/responses/responses';
import { describe, expect, it } from 'vitest';
import { assertEventOrder } from '../../ir/assert-event-order.js';
import type { IrRequest } from '../../ir/ir-request.js';
import type { IrStreamEvent } from '../../ir/ir-stream-event.js';
import { SseParser } from '../shared/sse-parser.js';
import { createOpenAIResponsesStreamEncoder } from './encode-stream.js';

type Frame = Record<string, any> & { type: string; sequence_number: number };

const request: IrRequest = {
  model: 'gpt-5-codex',
  instructions: [],
  messages: [{ role: 'user', parts: [{ type: 'text', text: 'weather?' }] }],
  tools: [{ name: 'get_weather', parameters: { type: 'object', properties: { city: { type: 'string' } } } }],
  sampling: {},
  stream: true,
  extras: {},
  warnings: [],
};

function encodeAll(events: readonly IrStreamEvent[]): string {
  const encoder = createOpenAIResponsesStreamEncoder(request);
  return events.map((event) => encoder.push(event)).join('') + encoder.end();
}

function parseFrames(sse: string | Buffer, cuts: number[] = []): Frame[] {
  const bytes = typeof sse === 'string' ? Buffer.from(sse) : sse;
  const parser = new SseParser();
  const raw = [];
  if (cuts.length === 0) raw.push(...parser.push(bytes));
  else {
    for (let offset = 0, i = 0; offset < bytes.length; i++) {
      const size = cuts[i % cuts.length]!;
      raw.push(...parser.push(bytes.subarray(offset, offset + size)));
      offset += size;
    }
  }
  raw.push(...parser.end());
  return raw.map((event) => {
    const data = JSON.parse(event.data) as Frame;
    expect(event.event).toBe(data.type);
    return data;
  });
}

const TERMINAL = new Set(['response.completed', 'response.incomplete', 'response.failed']);

/**
 * The protocol invariants: sequence numbers count by one from 0; created and in_progress come
 * first; output_index is assigned in output_item.added order; every event names an added, not yet
 * done item by both output_index and item_id; deltas add up to the done texts; on success every
 * item is done and the final response lists the done items in order. The SDK's own accumulator
 * replays the stream and must agree with the final response.
 */
function checkStream(frames: Frame[]): { final: Frame; snapshot: Response } {
  frames.forEach((frame, index) => expect(frame.sequence_number).toBe(index));
  expect(frames[0]?.type).toBe('response.created');
  expect(frames[1]?.type).toBe('response.in_progress');
  const final = frames.at(-1)!;
  expect(TERMINAL.has(final.type)).toBe(true);
  frames.slice(0, -1).forEach((frame) => expect(TERMINAL.has(frame.type)).toBe(false));
  if (final.type === 'response.failed') expect(frames.at(-2)?.type).toBe('error');
  else expect(frames.some((frame) => frame.type === 'error')).toBe(false);

  interface Tracked {
    id: string;
    type: string;
    done?: Frame['item'];
    text: string;
    partOpen: boolean;
    partDone: boolean;
  }
  const items: Tracked[] = [];
  const ids = new Set<string>();
  const open = (frame: Frame): Tracked => {
    const item = items[frame.output_index as number];
    expect(item, `${frame.type} #${frame.sequence_number}: unknown output_index`).toBeDefined();
    expect(item!.done, `${frame.type} #${frame.sequence_number}: item already done`).toBeUndefined();
    if ('item_id' in frame) expect(frame.item_id).toBe(item!.id);
    return item!;
  };
  for (const frame of frames) {
    switch (frame.type) {
      case 'response.output_item.added':
        expect(frame.output_index).toBe(items.length);
        expect(ids.has(frame.item.id)).toBe(false);
        ids.add(frame.item.id);
        expect(frame.item.status).toBe('in_progress');
        if (frame.item.type === 'function_call') expect(frame.item.arguments).toBe('');
        items.push({ id: frame.item.id, type: frame.item.type, text: '', partOpen: false, partDone: false });
        break;
      case 'response.content_part.added':
      case 'response.reasoning_summary_part.added': {
        const item = open(frame);
        expect(item.type).toBe(frame.type === 'response.content_part.added' ? 'message' : 'reasoning');
        expect(item.partOpen).toBe(false);
        item.partOpen = true;
        break;
      }
      case 'response.output_text.delta':
      case 'response.reasoning_summary_text.delta':
      case 'response.function_call_arguments.delta': {
        const item = open(frame);
        if (frame.type !== 'response.function_call_arguments.delta') expect(item.partOpen && !item.partDone).toBe(true);
        item.text += frame.delta;
        break;
      }
      case 'response.output_text.done':
      case 'response.reasoning_summary_text.done':
        expect(frame.text).toBe(open(frame).text);
        break;
      case 'response.function_call_arguments.done':
        expect(frame.arguments).toBe(open(frame).text);
        break;
      case 'response.content_part.done':
      case 'response.reasoning_summary_part.done': {
        const item = open(frame);
        expect(frame.part.text).toBe(item.text);
        item.partDone = true;
        break;
      }
      case 'response.output_item.done': {
        const item = open(frame);
        expect(frame.item.id).toBe(item.id);
        expect(frame.item.type).toBe(item.type);
        if (item.partOpen) expect(item.partDone).toBe(true);
        if (item.type === 'message') expect(frame.item.content[0]?.text ?? '').toBe(item.text);
        if (item.type === 'function_call') expect(frame.item.arguments).toBe(item.text);
        if (item.type === 'reasoning') expect(frame.item.summary[0]?.text ?? '').toBe(item.text);
        item.done = frame.item;
        break;
      }
      default:
        break;
    }
  }
  if (final.type !== 'response.failed') {
    expect(items.every((item) => item.done !== undefined)).toBe(true);
    expect(final.response.output).toEqual(items.map((item) => item.done));
    expect(final.response.usage).toEqual(expect.objectContaining({ total_tokens: expect.any(Number) }));
  } else {
    expect(final.response.status).toBe('failed');
    expect(final.response.error).toEqual({ code: expect.any(String), message: expect.any(String) });
    expect(final.response.output.map((item: { id: string }) => item.id)).toEqual(items.map((item) => item.id));
  }

  let snapshot: Response | undefined;
  for (const frame of frames) snapshot = accumulateResponse(frame as unknown as ResponseStreamEvent, snapshot);
  expect(snapshot!.output).toEqual(final.response.output);
  return { final, snapshot: snapshot! };
}

describe('OpenAIResponsesStreamEncoder', () => {
  const fixtureEvents = JSON.parse(readFileSync(new URL('./__fixtures__/thinking-text-parallel-tools.ir.json', import.meta.url), 'utf8')) as IrStreamEvent[];

  it('writes the documented event sequence for reasoning, text and interleaved parallel tool calls', async () => {
    assertEventOrder(fixtureEvents);
    const sse = encodeAll(fixtureEvents);
    await expect(sse).toMatchFileSnapshot('./__fixtures__/thinking-text-parallel-tools.sse.txt');
    const { final, snapshot } = checkStream(parseFrames(sse));
    expect(final.type).toBe('response.completed');
    expect(final.response).toMatchObject({
      id: 'resp_msg_01XFDUDYJgAACzvnptvVoYEL',
      status: 'completed',
      model: 'claude-sonnet-4-5',
      created_at: 1735689600,
      incomplete_details: null,
      error: null,
      usage: {
        input_tokens: 2095,
        input_tokens_details: { cached_tokens: 1800, cache_write_tokens: 0 },
        output_tokens: 131,
        output_tokens_details: { reasoning_tokens: 40 },
        total_tokens: 2226,
      },
    });
    expect(final.response.output).toEqual([
      {
        type: 'reasoning',
        id: 'rs_msg_01XFDUDYJgAACzvnptvVoYEL_0',
        summary: [{ type: 'summary_text', text: 'The user wants the weather in Paris and Oslo — two calls.' }],
        encrypted_content: 'localgate.anthropic.EqQBCgIYAhIM1gbcDa9GJwZA2b3h',
      },
      {
        type: 'message',
        id: 'msg_msg_01XFDUDYJgAACzvnptvVoYEL_1',
        status: 'completed',
        role: 'assistant',
        content: [{ type: 'output_text', text: 'Checking both cities now… 🌤', annotations: [] }],
      },
      { type: 'function_call', id: 'fc_msg_01XFDUDYJgAACzvnptvVoYEL_2', call_id: 'toolu_01A', name: 'get_weather', arguments: '{"city":"Paris"}', status: 'completed' },
      { type: 'function_call', id: 'fc_msg_01XFDUDYJgAACzvnptvVoYEL_3', call_id: 'toolu_01B', name: 'get_weather', arguments: '{"city":"Oslo"}', status: 'completed' },
    ]);
    expect(snapshot.output_text).toBe('Checking both cities now… 🌤');
  });

  it('yields the same events for any split of its byte stream', () => {
    const bytes = Buffer.from(encodeAll(fixtureEvents).replace(/\n/g, '\r\n'));
    const whole = parseFrames(bytes);
    fc.assert(
      fc.property(fc.array(fc.integer({ min: 1, max: 40 }), { minLength: 1, maxLength: 12 }), (cuts) => {
        expect(parseFrames(bytes, cuts)).toEqual(whole);
      }),
      { numRuns: 200 },
    );
  });

  it('ends with response.incomplete and the reason when the output was cut', () => {
    const frames = parseFrames(
      encodeAll([
        { type: 'response-start', id: 'chatcmpl-1', model: 'gpt-4.1', created: 1 },
        { type: 'text-start', id: 't' },
        { type: 'text-delta', id: 't', delta: 'partial' },
        { type: 'text-end', id: 't' },
        { type: 'finish', finishReason: { unified: 'length', raw: 'length', protocol: 'openai-chat' }, usage: { inputTokens: 3, outputTokens: 16 } },
      ]),
    );
    const { final } = checkStream(frames);
    expect(final.type).toBe('response.incomplete');
    expect(final.response.status).toBe('incomplete');
    expect(final.response.incomplete_details).toEqual({ reason: 'max_output_tokens' });
    expect(final.response.id).toBe('resp_chatcmpl-1');
  });

  it('streams the tail of arguments that arrive only on tool-call', () => {
    const frames = parseFrames(
      encodeAll([
        { type: 'response-start', id: 'r', model: 'gemini-2.5-pro', created: 1 },
        { type: 'tool-input-start', id: 'a', toolCallId: 'call_a', toolName: 'f' },
        { type: 'tool-input-end', id: 'a' },
        { type: 'tool-call', id: 'a', toolCallId: 'call_a', toolName: 'f', argumentsText: '{"x":1}' },
        { type: 'finish', finishReason: { unified: 'tool-calls' }, usage: {} },
      ]),
    );
    checkStream(frames);
    expect(frames.filter((frame) => frame.type === 'response.function_call_arguments.delta').map((frame) => frame.delta)).toEqual(['{"x":1}']);
  });

  it('after bytes were sent, writes an error frame the SDKs throw on and then response.failed; open items stay undone', () => {
    const frames = parseFrames(
      encodeAll([
        { type: 'response-start', id: 'r1', model: 'm', created: 1 },
        { type: 'text-start', id: 't' },
        { type: 'text-delta', id: 't', delta: 'Hel' },
        { type: 'tool-input-start', id: 'c', toolCallId: 'call_1', toolName: 'rm' },
        { type: 'tool-input-delta', id: 'c', delta: '{"path":' },
        { type: 'error', error: { kind: 'rate-limit', status: 429, message: 'Upstream rate limit reached.', retryAfterMs: 1500 } },
      ]),
    );
    const { final } = checkStream(frames);
    expect(frames.some((frame) => frame.type === 'response.output_item.done')).toBe(false);
    expect(frames.at(-2)).toEqual({
      type: 'error',
      sequence_number: frames.length - 2,
      code: 'rate_limit_exceeded',
      message: 'Upstream rate limit reached. Please try again in 2s.',
      param: null,
      error: { type: 'rate_limit_error', code: 'rate_limit_exceeded', message: 'Upstream rate limit reached. Please try again in 2s.', param: null },
    });
    expect(final.response.error).toEqual({ code: 'rate_limit_exceeded', message: 'Upstream rate limit reached. Please try again in 2s.' });
    expect(final.response.output).toEqual([
      { type: 'message', id: 'msg_r1_0', status: 'incomplete', role: 'assistant', content: [{ type: 'output_text', text: 'Hel', annotations: [] }] },
      { type: 'function_call', id: 'fc_r1_1', call_id: 'call_1', name: 'rm', arguments: '{"path":', status: 'incomplete' },
    ]);
  });

  it('fails the response when the upstream stream ends without a finish, even before any event', () => {
    const truncated = parseFrames(encodeAll([{ type: 'response-start', id: 'r', model: 'm', created: 1 }, { type: 'text-start', id: 't' }]));
    checkStream(truncated);
    expect(truncated.at(-1)!.response.error.code).toBe('server_error');
    const empty = parseFrames(encodeAll([]));
    checkStream(empty);
    expect(empty.map((frame) => frame.type)).toEqual(['response.created', 'response.in_progress', 'error', 'response.failed']);
    expect(empty[0]!.response.id).toMatch(/^resp_[0-9a-f]{32}$/);
    expect(empty[0]!.response.model).toBe('gpt-5-codex');
  });

  it('writes nothing after the terminal event', () => {
    const encoder = createOpenAIResponsesStreamEncoder(request);
    encoder.push({ type: 'response-start', id: 'r', model: 'm', created: 1 });
    expect(encoder.push({ type: 'finish', finishReason: { unified: 'stop' }, usage: {} })).toContain('event: response.completed');
    expect(encoder.push({ type: 'text-start', id: 'late' })).toBe('');
    expect(encoder.push({ type: 'error', error: { kind: 'upstream', status: 502, message: 'x' } })).toBe('');
    expect(encoder.end()).toBe('');
    expect(encoder.contentType).toBe('text/event-stream');
  });

  it('keeps the protocol invariants for any valid IR event sequence', () => {
    fc.assert(
      fc.property(irStream(), ({ events, expected }) => {
        assertEventOrder(events);
        const { final } = checkStream(parseFrames(encodeAll(events)));
        if (expected !== undefined) {
          expect(final.type).not.toBe('response.failed');
          expect(final.response.output.map(outputContent)).toEqual(expected);
        } else {
          expect(final.type).toBe('response.failed');
        }
      }),
      { numRuns: 300 },
    );
  });
});

function outputContent(item: Record<string, any>): string {
  if (item.type === 'message') return `text:${item.content[0].text}`;
  if (item.type === 'reasoning') return `reasoning:${item.summary[0]?.text ?? ''}:${item.encrypted_content ?? ''}`;
  return `call:${item.call_id}:${item.name}:${item.arguments}`;
}

type Block =
  | { kind: 'text'; deltas: string[] }
  | { kind: 'reasoning'; deltas: string[]; signature: string | null; redacted: boolean }
  | { kind: 'tool'; deltas: string[]; streamed: boolean; callId: string; name: string };

const piece = fc.string({ unit: 'grapheme', maxLength: 6 });
const block: fc.Arbitrary<Block> = fc.oneof(
  fc.record({ kind: fc.constant('text' as const), deltas: fc.array(piece, { maxLength: 4 }) }),
  fc.record({
    kind: fc.constant('reasoning' as const),
    deltas: fc.array(piece, { maxLength: 4 }),
    signature: fc.option(fc.base64String({ minLength: 4, maxLength: 12 })),
    redacted: fc.boolean(),
  }),
  fc.record({
    kind: fc.constant('tool' as const),
    deltas: fc.array(piece, { maxLength: 4 }),
    streamed: fc.boolean(),
    callId: fc.stringMatching(/^call_[a-z0-9]{1,6}$/),
    name: fc.stringMatching(/^[a-z_]{1,8}$/),
  }),
);

/** Random blocks, interleaved at random, ended by a finish, an error after a random cut, or nothing. */
function irStream(): fc.Arbitrary<{ events: IrStreamEvent[]; expected?: string[] }> {
  return fc
    .record({
      blocks: fc.array(block, { maxLength: 5 }),
      schedule: fc.array(fc.nat(), { minLength: 1, maxLength: 60 }),
      withStart: fc.boolean(),
      usageAt: fc.option(fc.nat()),
      ending: fc.constantFrom('stop', 'length', 'content-filter', 'tool-calls', 'error', 'none'),
      cut: fc.nat(),
    })
    .map(({ blocks, schedule, withStart, usageAt, ending, cut }) => {
      const lists = blocks.map((spec, index) => blockEvents(spec, String(index)));
      const events: IrStreamEvent[] = withStart ? [{ type: 'response-start', id: 'gen', model: 'm', created: 7 }] : [];
      const cursors = lists.map(() => 0);
      let step = 0;
      for (;;) {
        const live = lists.map((_, index) => index).filter((index) => cursors[index]! < lists[index]!.length);
        if (live.length === 0) break;
        const chosen = live[schedule[step++ % schedule.length]! % live.length]!;
        events.push(lists[chosen]![cursors[chosen]!++]!);
      }
      if (usageAt !== null) events.splice(Math.min(usageAt, events.length), 0, { type: 'usage', usage: { inputTokens: 5 } });
      if (ending === 'error' || ending === 'none') {
        events.length = Math.min(events.length, cut % (events.length + 1));
        if (ending === 'error') events.push({ type: 'error', error: { kind: 'overloaded', status: 503, message: 'busy' } });
        return { events };
      }
      events.push({ type: 'finish', finishReason: { unified: ending }, usage: { outputTokens: 9 } });
      // In start order, which is output_index order.
      const startOrder = events.flatMap((event) => (event.type.endsWith('-start') && event.type !== 'response-start' ? [Number((event as { id: string }).id)] : []));
      return { events, expected: startOrder.map((index) => expectedContent(blocks[index]!)) };
    });
}

function blockEvents(spec: Block, id: string): IrStreamEvent[] {
  switch (spec.kind) {
    case 'text':
      return [{ type: 'text-start', id }, ...spec.deltas.map((delta) => ({ type: 'text-delta' as const, id, delta })), { type: 'text-end', id }];
    case 'reasoning':
      return [
        { type: 'reasoning-start', id, redacted: spec.redacted },
        ...spec.deltas.map((delta) => ({ type: 'reasoning-delta' as const, id, delta })),
        ...(spec.signature === null ? [] : [{ type: 'reasoning-signature' as const, id, signature: { family: 'anthropic' as const, value: spec.signature } }]),
        { type: 'reasoning-end', id },
      ];
    case 'tool':
      return [
        { type: 'tool-input-start', id, toolCallId: spec.callId, toolName: spec.name },
        ...(spec.streamed ? spec.deltas.map((delta) => ({ type: 'tool-input-delta' as const, id, delta })) : []),
        { type: 'tool-input-end', id },
        { type: 'tool-call', id, toolCallId: spec.callId, toolName: spec.name, argumentsText: spec.deltas.join('') },
      ];
  }
}

function expectedContent(spec: Block): string {
  const text = spec.deltas.join('');
  if (spec.kind === 'text') return `text:${text}`;
  if (spec.kind === 'tool') return `call:${spec.callId}:${spec.name}:${text}`;
  const encrypted = spec.signature === null ? '' : `localgate.anthropic${spec.redacted ? '-redacted' : ''}.${spec.signature}`;
  return `reasoning:${text}:${encrypted}`;
}
