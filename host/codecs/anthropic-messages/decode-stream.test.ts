import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { IrStreamEvent } from '../../ir/ir-stream-event.js';
import { decodeStream, sseBytes } from './__fixtures__/fixtures.js';

const ofType = <T extends IrStreamEvent['type']>(events: IrStreamEvent[], type: T) => events.filter((e): e is Extract<IrStreamEvent, { type: T }> => e.type === type);
const textOf = (events: IrStreamEvent[]) => ofType(events, 'text-delta').map((e) => e.delta).join('');

describe('Anthropic stream decoder', () => {
  it('decodes a text stream with usage in message_start and message_delta', () => {
    expect(decodeStream(sseBytes('text.chunks.txt'))).toEqual([
      { type: 'response-start', id: 'msg_1nZdL29xx5MUA1yADyHTEsnR8uuvGzszyY', model: 'claude-sonnet-4-5-20250929', created: 0 },
      { type: 'usage', usage: { inputTokens: 125, cacheReadTokens: 100, cacheWriteTokens: 0, outputTokens: 1 } },
      { type: 'text-start', id: 'b0' },
      { type: 'text-delta', id: 'b0', delta: 'Héllo wörld, ' },
      { type: 'text-delta', id: 'b0', delta: '日本語 🙂!' },
      { type: 'text-end', id: 'b0' },
      { type: 'usage', usage: { inputTokens: 125, cacheReadTokens: 100, cacheWriteTokens: 0, outputTokens: 15 } },
      { type: 'finish', finishReason: { unified: 'stop', raw: 'end_turn', protocol: 'anthropic' }, usage: { inputTokens: 125, cacheReadTokens: 100, cacheWriteTokens: 0, outputTokens: 15 } },
    ]);
  });

  it('decodes thinking + signature, redacted thinking, text and a tool call split in pieces', () => {
    const events = decodeStream(sseBytes('thinking-tool-use.chunks.txt'));
    expect(events.filter((e) => e.type !== 'usage')).toEqual([
      { type: 'response-start', id: 'msg_01ThinkToolStream', model: 'claude-sonnet-4-5-20250929', created: 0 },
      { type: 'reasoning-start', id: 'b0' },
      { type: 'reasoning-delta', id: 'b0', delta: 'I need to find ' },
      { type: 'reasoning-delta', id: 'b0', delta: 'the weather.' },
      { type: 'reasoning-signature', id: 'b0', signature: { family: 'anthropic', value: 'EqQBCgIYAhIM1gbcDa9GJwZA2b3hGgxBdjrkzLoky3dl1pkiMOYds' } },
      { type: 'reasoning-end', id: 'b0' },
      { type: 'reasoning-start', id: 'b1', redacted: true },
      { type: 'reasoning-signature', id: 'b1', signature: { family: 'anthropic', value: 'EmwKAhgBEgy3va3pzix/LafPsn4a' } },
      { type: 'reasoning-end', id: 'b1' },
      { type: 'text-start', id: 'b2' },
      { type: 'text-delta', id: 'b2', delta: "Okay, let's check the weather:" },
      { type: 'text-end', id: 'b2' },
      { type: 'tool-input-start', id: 'b3', toolCallId: 'toolu_01T1x1fJ34qAmk2tNTrN7Up6', toolName: 'get_weather' },
      { type: 'tool-input-delta', id: 'b3', delta: '{"location":' },
      { type: 'tool-input-delta', id: 'b3', delta: ' "San Fra' },
      { type: 'tool-input-delta', id: 'b3', delta: 'ncisco, CA", "unit": "fahrenheit"}' },
      { type: 'tool-input-end', id: 'b3' },
      { type: 'tool-call', id: 'b3', toolCallId: 'toolu_01T1x1fJ34qAmk2tNTrN7Up6', toolName: 'get_weather', argumentsText: '{"location": "San Francisco, CA", "unit": "fahrenheit"}' },
      { type: 'finish', finishReason: { unified: 'tool-calls', raw: 'tool_use', protocol: 'anthropic' }, usage: { inputTokens: 472, outputTokens: 89 } },
    ]);
  });

  it('decodes parallel tool calls, a call without arguments as {}, text after the calls, late cache usage', () => {
    const events = decodeStream(sseBytes('parallel-tools.chunks.txt'));
    expect(ofType(events, 'tool-call').map((e) => [e.toolCallId, e.toolName, e.argumentsText])).toEqual([
      ['toolu_A', 'get_weather', '{"city": "Paris"}'],
      ['toolu_B', 'get_time', '{}'],
      ['toolu_C', 'get_weather', '{"city": "Zürich"}'],
    ]);
    expect(textOf(events)).toBe('Checking both.');
    expect(ofType(events, 'finish')[0]!.usage).toEqual({ inputTokens: 350, cacheReadTokens: 50, outputTokens: 120 });
  });

  it('turns an error event after a 200 into an IR error', () => {
    const events = decodeStream(sseBytes('error-after-200.chunks.txt'));
    expect(textOf(events)).toBe('Partial answ');
    expect(events.at(-1)).toEqual({ type: 'error', error: { kind: 'overloaded', status: 529, message: 'Overloaded' } });
  });

  it('ends a stream cut before message_stop with an upstream error, never a tool call', () => {
    const events = decodeStream(sseBytes('truncated.chunks.txt'));
    expect(ofType(events, 'tool-call')).toEqual([]);
    expect(events.at(-1)).toMatchObject({ type: 'error', error: { kind: 'upstream', status: 502 } });
  });

  it('finishes when only message_stop is missing after a message_delta', () => {
    const lines = sseBytes('text.chunks.txt').toString('utf8').split('event: message_stop')[0]!;
    expect(decodeStream(Buffer.from(lines)).at(-1)).toMatchObject({ type: 'finish', finishReason: { raw: 'end_turn' } });
  });

  it('reads CRLF framing alike', () => {
    for (const name of ['text.chunks.txt', 'thinking-tool-use.chunks.txt', 'parallel-tools.chunks.txt']) {
      expect(decodeStream(sseBytes(name, { crlf: true }))).toEqual(decodeStream(sseBytes(name)));
    }
  });

  it('yields the same IR events for any split of the recorded bytes (multibyte characters cut too)', () => {
    for (const name of ['text.chunks.txt', 'thinking-tool-use.chunks.txt', 'parallel-tools.chunks.txt', 'error-after-200.chunks.txt', 'truncated.chunks.txt']) {
      const bytes = sseBytes(name, { crlf: name.startsWith('parallel') });
      const whole = decodeStream(bytes);
      fc.assert(
        fc.property(fc.array(fc.integer({ min: 1, max: 40 }), { minLength: 1, maxLength: 30 }), (cuts) => {
          expect(decodeStream(bytes, cuts)).toEqual(whole);
        }),
        { numRuns: 60 },
      );
    }
  });

  it('starts the response on its own when message_start is missing, and reports unreadable data', () => {
    const bytes = Buffer.from('event: content_block_start\ndata: {"type":"content_block_start","index":0,"content_block":{"type":"text","text":"hi"}}\n\nevent: content_block_delta\ndata: {not json\n\n');
    const events = decodeStream(bytes);
    expect(events.map((e) => e.type)).toEqual(['response-start', 'text-start', 'text-delta', 'error']);
  });
});
