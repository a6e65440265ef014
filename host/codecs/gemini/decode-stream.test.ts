import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { assertEventOrder } from '../../ir/assert-event-order.js';
import type { IrStreamEvent } from '../../ir/ir-stream-event.js';
import { createGeminiStreamDecoder } from './decode-stream.js';

/** `*.chunks.txt`: one GenerateContentResponse JSON per line, as the AI SDK stores its captures. */
const chunks = (name: string): string[] =>
  readFileSync(new URL(`./__fixtures__/${name}`, import.meta.url), 'utf8')
    .split('\n')
    .filter((line) => line.trim() !== '');

/** The bytes Google sends with `alt=sse`: `data: {...}\r\n\r\n` per chunk. */
const sse = (lines: string[]) => Buffer.from(lines.map((line) => `data: ${line}\r\n\r\n`).join(''));
/** The bytes Google sends without `alt`: one pretty-printed JSON array. */
const jsonArray = (lines: string[]) =>
  Buffer.from(`[${lines.map((line) => JSON.stringify(JSON.parse(line), null, 2)).join('\n,\r\n')}\n]`);

function decodeAll(bytes: Buffer, cuts: number[] = [bytes.length]): IrStreamEvent[] {
  const decoder = createGeminiStreamDecoder();
  const events: IrStreamEvent[] = [];
  let offset = 0;
  let index = 0;
  while (offset < bytes.length) {
    const size = cuts[index++ % cuts.length]!;
    events.push(...decoder.push(bytes.subarray(offset, offset + size)));
    offset += size;
  }
  events.push(...decoder.end());
  assertEventOrder(events);
  return events.map((event) => (event.type === 'response-start' ? { ...event, created: 0 } : event));
}

describe('Gemini stream decoder', () => {
  it('decodes text with multibyte characters, usage only at the end', () => {
    expect(decodeAll(sse(chunks('gemini-text.chunks.txt')))).toEqual([
      { type: 'response-start', id: 'mHiLaY2kNLzTxN8PqbWB4Ag', model: 'gemini-2.5-flash', created: 0 },
      { type: 'text-start', id: 'text-0' },
      { type: 'text-delta', id: 'text-0', delta: 'Grüße aus ' },
      { type: 'text-delta', id: 'text-0', delta: 'Zürich — 日本語も🙂 ' },
      { type: 'text-delta', id: 'text-0', delta: 'fertig.' },
      { type: 'text-end', id: 'text-0' },
      { type: 'finish', finishReason: { unified: 'stop', raw: 'STOP', protocol: 'gemini' }, usage: { inputTokens: 8, outputTokens: 12 } },
    ]);
  });

  it('emits whole parallel function calls at once, with the batch signature on the first', () => {
    const events = decodeAll(sse(chunks('gemini-3-parallel-tool-calls.chunks.txt')));
    const signature = expect.objectContaining({ family: 'gemini' });
    expect(events).toEqual([
      { type: 'response-start', id: 'QHiLaa6LBrb8vdIPoNztsAg', model: 'gemini-3-pro-preview', created: 0 },
      { type: 'reasoning-start', id: 'reasoning-0' },
      { type: 'reasoning-delta', id: 'reasoning-0', delta: '**Checking the weather**\n\nThe user wants two cities.' },
      { type: 'reasoning-end', id: 'reasoning-0' },
      { type: 'tool-input-start', id: 'tool-1', toolCallId: 'call_QHiLaa6LBrb8vdIPoNztsAg_0', toolName: 'weather' },
      { type: 'tool-input-delta', id: 'tool-1', delta: '{"location":"San Francisco","unit":"celsius"}' },
      { type: 'tool-input-end', id: 'tool-1' },
      { type: 'tool-call', id: 'tool-1', toolCallId: 'call_QHiLaa6LBrb8vdIPoNztsAg_0', toolName: 'weather', argumentsText: '{"location":"San Francisco","unit":"celsius"}', signature },
      { type: 'tool-input-start', id: 'tool-2', toolCallId: 'call_QHiLaa6LBrb8vdIPoNztsAg_1', toolName: 'weather' },
      { type: 'tool-input-delta', id: 'tool-2', delta: '{"location":"Zürich","unit":"celsius"}' },
      { type: 'tool-input-end', id: 'tool-2' },
      { type: 'tool-call', id: 'tool-2', toolCallId: 'call_QHiLaa6LBrb8vdIPoNztsAg_1', toolName: 'weather', argumentsText: '{"location":"Zürich","unit":"celsius"}' },
      { type: 'finish', finishReason: { unified: 'tool-calls', raw: 'STOP', protocol: 'gemini' }, usage: { inputTokens: 29, outputTokens: 819, reasoningTokens: 804 } },
    ]);
  });

  it('turns a signature on an empty text part into a signature-only reasoning block', () => {
    const events = decodeAll(sse(chunks('gemini-3-signed-text.chunks.txt')));
    expect(events.slice(1).map((event) => event.type)).toEqual([
      'text-start',
      'text-delta',
      'text-delta',
      'text-end',
      'reasoning-start',
      'reasoning-signature',
      'reasoning-end',
      'finish',
    ]);
    expect(events.find((event) => event.type === 'reasoning-signature')).toMatchObject({ signature: { family: 'gemini', value: expect.stringMatching(/^EpAI/) } });
  });

  it('closes a thought run at its signature, and keeps text after a tool call', () => {
    const events = decodeAll(sse(chunks('gemini-2.5-thoughts-tool-then-text.chunks.txt')));
    expect(events.slice(1).map((event) => ('delta' in event ? `${event.type}:${event.delta}` : event.type))).toEqual([
      'reasoning-start',
      'reasoning-delta:**Planning**\nI should look ',
      'reasoning-delta:up the file first.',
      'reasoning-signature',
      'reasoning-end',
      'text-start',
      'text-delta:Let me read it.',
      'text-end',
      'tool-input-start',
      'tool-input-delta:{"path":"src/main.ts","range":{"start":1,"end":40}}',
      'tool-input-end',
      'tool-call',
      'text-start',
      'text-delta:Reading now.',
      'text-end',
      'finish',
    ]);
    expect(events.at(-1)).toEqual({
      type: 'finish',
      finishReason: { unified: 'tool-calls', raw: 'STOP', protocol: 'gemini' },
      usage: { inputTokens: 40, cacheReadTokens: 32, outputTokens: 150, reasoningTokens: 120 },
    });
  });

  it('yields the same events for any split of the byte stream, SSE or JSON array, LF or CRLF', () => {
    for (const name of ['gemini-text.chunks.txt', 'gemini-3-parallel-tool-calls.chunks.txt', 'gemini-2.5-thoughts-tool-then-text.chunks.txt']) {
      const lines = chunks(name);
      const bytes = sse(lines);
      const whole = decodeAll(bytes);
      expect(decodeAll(jsonArray(lines))).toEqual(whole);
      expect(decodeAll(Buffer.from(bytes.toString('utf8').replace(/\r\n/g, '\n')))).toEqual(whole);
      fc.assert(
        fc.property(fc.array(fc.integer({ min: 1, max: 40 }), { minLength: 1, maxLength: 30 }), fc.boolean(), (cuts, asArray) => {
          expect(decodeAll(asArray ? jsonArray(lines) : bytes, cuts)).toEqual(whole);
        }),
        { numRuns: 150 },
      );
    }
  });

  it('turns an error chunk after a 200 into an IR error event', () => {
    const lines = chunks('gemini-text.chunks.txt').slice(0, 1);
    const error = JSON.stringify({ error: { code: 503, message: 'The model is overloaded. Please try again later.', status: 'UNAVAILABLE' } });
    const events = decodeAll(sse([...lines, error]));
    expect(events.at(-1)).toEqual({ type: 'error', error: { kind: 'overloaded', status: 503, message: 'The model is overloaded. Please try again later.' } });
    expect(events.map((event) => event.type)).toEqual(['response-start', 'text-start', 'text-delta', 'error']);
  });

  it('reports a stream that ends without a finishReason, and a chunk that is not JSON', () => {
    const cut = decodeAll(sse(chunks('gemini-text.chunks.txt').slice(0, 2)));
    expect(cut.at(-1)).toMatchObject({ type: 'error', error: { kind: 'upstream', status: 502 } });
    expect(decodeAll(Buffer.from('')).map((event) => event.type)).toEqual(['response-start', 'error']);
    const broken = decodeAll(Buffer.from('data: {"candidates": [\r\n\r\n'));
    expect(broken.at(-1)).toMatchObject({ type: 'error', error: { kind: 'upstream' } });
  });

  it('waits for usage that arrives after the finishReason chunk', () => {
    const events = decodeAll(
      sse([
        JSON.stringify({ candidates: [{ content: { parts: [{ text: 'Hi' }], role: 'model' }, finishReason: 'MAX_TOKENS', index: 0 }], responseId: 'r' }),
        JSON.stringify({ usageMetadata: { promptTokenCount: 3, candidatesTokenCount: 1, totalTokenCount: 4 }, responseId: 'r' }),
      ]),
    );
    expect(events.at(-1)).toEqual({ type: 'finish', finishReason: { unified: 'length', raw: 'MAX_TOKENS', protocol: 'gemini' }, usage: { inputTokens: 3, outputTokens: 1 } });
    // …or finishes at the end of the stream when no usage comes at all.
    const noUsage = decodeAll(sse([JSON.stringify({ candidates: [{ content: { parts: [{ text: 'Hi' }] }, finishReason: 'STOP' }] })]));
    expect(noUsage.at(-1)).toEqual({ type: 'finish', finishReason: { unified: 'stop', raw: 'STOP', protocol: 'gemini' }, usage: {} });
  });

  it('turns a blocked prompt into a content-filter finish', () => {
    const events = decodeAll(sse([JSON.stringify({ promptFeedback: { blockReason: 'SAFETY' }, usageMetadata: { promptTokenCount: 5, totalTokenCount: 5 } })]));
    expect(events.at(-1)).toEqual({ type: 'finish', finishReason: { unified: 'content-filter', raw: 'SAFETY', protocol: 'gemini' }, usage: { inputTokens: 5 } });
  });

  it('reads a non-SSE error array', () => {
    const events = decodeAll(Buffer.from('[{\n  "error": {\n    "code": 429,\n    "message": "Quota",\n    "status": "RESOURCE_EXHAUSTED"\n  }\n}\n]'));
    expect(events.at(-1)).toEqual({ type: 'error', error: { kind: 'rate-limit', status: 429, message: 'Quota' } });
  });
});
