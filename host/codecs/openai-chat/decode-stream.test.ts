import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { startFakeOpenAIUpstream, toolCallChunks } from '../../../test/fakes/fake-openai-upstream.js';
import { assertEventOrder } from '../../ir/assert-event-order.js';
import type { IrStreamEvent } from '../../ir/ir-stream-event.js';
import { decodeInPieces, loadChunks, toSseBytes } from './__fixtures__/load-fixture.js';
import { createOpenAIChatStreamDecoder } from './decode-stream.js';

function decodeFixture(name: string, options: { crlf?: boolean; cuts?: number[] } = {}): IrStreamEvent[] {
  const events = decodeInPieces(createOpenAIChatStreamDecoder(), toSseBytes(loadChunks(name), options), options.cuts);
  return assertEventOrder(events) as IrStreamEvent[];
}

const text = (events: IrStreamEvent[]) => events.flatMap((event) => (event.type === 'text-delta' ? [event.delta] : [])).join('');
const reasoning = (events: IrStreamEvent[]) => events.flatMap((event) => (event.type === 'reasoning-delta' ? [event.delta] : [])).join('');
const toolCalls = (events: IrStreamEvent[]) =>
  events.flatMap((event) => (event.type === 'tool-call' ? [{ toolCallId: event.toolCallId, toolName: event.toolName, argumentsText: event.argumentsText }] : []));
const last = (events: IrStreamEvent[]) => events[events.length - 1];

describe('decodeOpenAIChatStream', () => {
  it('decodes text with multibyte characters and the usage-only final chunk', () => {
    const events = decodeFixture('text-usage.chunks.txt');
    expect(events[0]).toEqual({ type: 'response-start', id: 'chatcmpl-B9fx1', model: 'gpt-4o-2024-08-06', created: 1741569952 });
    expect(text(events)).toBe('Grüße aus 東京 🎌!');
    expect(last(events)).toEqual({
      type: 'finish',
      finishReason: { unified: 'stop', raw: 'stop', protocol: 'openai-chat' },
      usage: { inputTokens: 19, cacheReadTokens: 0, outputTokens: 10, reasoningTokens: 0 },
    });
  });

  it('decodes parallel tool calls interleaved by index, with every argument intact', () => {
    const events = decodeFixture('parallel-tool-calls.chunks.txt');
    expect(toolCalls(events)).toEqual([
      { toolCallId: 'call_paris', toolName: 'get_weather', argumentsText: '{"location": "Paris"}' },
      { toolCallId: 'call_tokyo', toolName: 'get_weather', argumentsText: '{"location": "東京"}' },
    ]);
    expect(last(events)).toMatchObject({ type: 'finish', finishReason: { unified: 'tool-calls' }, usage: { inputTokens: 82, cacheReadTokens: 64, outputTokens: 49 } });
    // Arguments are forwarded as they arrive, before the calls complete.
    const firstCall = events.findIndex((event) => event.type === 'tool-call');
    expect(events.slice(0, firstCall).filter((event) => event.type === 'tool-input-delta')).toHaveLength(5);
  });

  it('handles arguments that arrive before the id and name, and text after a tool call', () => {
    const events = decodeFixture('tool-call-arguments-before-id.chunks.txt');
    expect(toolCalls(events)).toEqual([
      { toolCallId: 'chatcmpl-tool-91aa', toolName: 'search', argumentsText: '{"query": "weather in Zürich"}' },
      { toolCallId: 'chatcmpl-tool-91ab', toolName: 'get_time', argumentsText: '{}' },
    ]);
    expect(text(events)).toBe('Let me check both.');
    const start = events.findIndex((event) => event.type === 'tool-input-start');
    expect(events[start + 1]).toEqual({ type: 'tool-input-delta', id: 'tool-0', delta: '{"query": "weather' });
    expect(last(events)).toMatchObject({ type: 'finish', usage: { inputTokens: 120, outputTokens: 31 } });
  });

  it('decodes DeepSeek reasoning_content before the text, with reasoning tokens', () => {
    const events = decodeFixture('reasoning-deepseek.chunks.txt');
    expect(reasoning(events)).toBe('9.11 vs 9.8: compare tenths, 1 < 8.');
    expect(text(events)).toBe('9.8 is larger.');
    const types = events.map((event) => event.type);
    expect(types.indexOf('reasoning-end')).toBeLessThan(types.indexOf('text-start'));
    expect(last(events)).toMatchObject({ type: 'finish', usage: { inputTokens: 18, outputTokens: 40, reasoningTokens: 31 } });
  });

  it('decodes OpenRouter `reasoning`, usage inside the finish chunk, and a body without [DONE]', () => {
    const events = decodeFixture('openrouter-reasoning-no-done.chunks.txt');
    expect(reasoning(events)).toBe('Thinking about it briefly.');
    expect(text(events)).toBe('Done.');
    expect(last(events)).toEqual({
      type: 'finish',
      finishReason: { unified: 'length', raw: 'length', protocol: 'openai-chat' },
      usage: { inputTokens: 5, outputTokens: 16, reasoningTokens: 12 },
    });
  });

  it('turns an error object after a 200 into an IR error and stops', () => {
    const events = decodeFixture('error-after-200.chunks.txt');
    expect(text(events)).toBe('Partial answ');
    expect(last(events)).toEqual({ type: 'error', error: { kind: 'upstream', status: 502, message: 'The server had an error while processing your request. Sorry about that!' } });
    expect(events.filter((event) => event.type === 'finish')).toEqual([]);
  });

  it('reports a stream that ends without a finish as an upstream error, never completing the cut call', () => {
    const events = decodeFixture('no-finish.chunks.txt');
    expect(toolCalls(events)).toEqual([]);
    expect(last(events)).toMatchObject({ type: 'error', error: { kind: 'upstream' } });
  });

  it('gives a call that never sent arguments "{}"', () => {
    const events = decodeFixture('tool-without-arguments.chunks.txt');
    expect(toolCalls(events)).toEqual([{ toolCallId: 'call_now', toolName: 'get_time', argumentsText: '{}' }]);
  });

  it('reads CRLF framing the same as LF', () => {
    for (const name of ['text-usage.chunks.txt', 'parallel-tool-calls.chunks.txt', 'reasoning-deepseek.chunks.txt']) {
      expect(decodeFixture(name, { crlf: true })).toEqual(decodeFixture(name));
    }
  });

  it('treats a named `event: error` frame as an error', () => {
    const decoder = createOpenAIChatStreamDecoder();
    const events = [...decoder.push(Buffer.from('event: error\ndata: {"message":"overloaded","code":503}\n\n')), ...decoder.end()];
    expect(events).toEqual([{ type: 'error', error: { kind: 'overloaded', status: 503, message: 'overloaded' } }]);
  });

  it('decodes the fake upstream tool-call streams (arguments before ids, interleaved parallel calls, reasoning)', () => {
    const answer = {
      reasoning: 'Two cities, two calls.',
      toolCalls: [
        { id: 'call_a', name: 'get_weather', arguments: '{"city":"Paris","unit":"c"}' },
        { id: 'call_b', name: 'get_weather', arguments: '{"city":"Zürich 🇨🇭","unit":"c"}' },
      ],
    };
    for (const options of [{}, { argumentsBeforeId: true }, { interleave: true, pieces: 5 }, { interleave: true, argumentsBeforeId: true, pieces: 4 }]) {
      const frames = toolCallChunks(answer, options, { id: 'chatcmpl-x', created: 1, model: 'gpt-4o', includeUsage: true });
      const events = assertEventOrder(decodeInPieces(createOpenAIChatStreamDecoder(), Buffer.from(frames.join('')))) as IrStreamEvent[];
      expect(reasoning(events)).toBe(answer.reasoning);
      expect(toolCalls(events)).toEqual(answer.toolCalls.map((call) => ({ toolCallId: call.id, toolName: call.name, argumentsText: call.arguments })));
    }
  });

  it('decodes what the fake upstream really streams for a tool-call behaviour', async () => {
    const upstream = await startFakeOpenAIUpstream();
    try {
      upstream.queue.push({ kind: 'tool-calls', toolCalls: [{ id: 'call_1', name: 'f', arguments: '{"x":[1,2,3]}' }], argumentsBeforeId: true, pieces: 4, textAfter: 'ok' });
      const response = await fetch(`${upstream.baseUrl}/chat/completions`, {
        method: 'POST',
        headers: { authorization: `Bearer ${upstream.apiKey}`, 'content-type': 'application/json' },
        body: JSON.stringify({ model: 'gpt-4o', stream: true, stream_options: { include_usage: true }, messages: [{ role: 'user', content: 'hi' }] }),
      });
      const events = assertEventOrder(decodeInPieces(createOpenAIChatStreamDecoder(), Buffer.from(await response.arrayBuffer()))) as IrStreamEvent[];
      expect(toolCalls(events)).toEqual([{ toolCallId: 'call_1', toolName: 'f', argumentsText: '{"x":[1,2,3]}' }]);
      expect(text(events)).toBe('ok');
      expect(last(events)).toMatchObject({ type: 'finish', usage: { inputTokens: 11, outputTokens: 7 } });
    } finally {
      await upstream.close();
    }
  });

  it('yields the same IR events for any split of a recorded byte stream', () => {
    const names = [
      'text-usage.chunks.txt',
      'parallel-tool-calls.chunks.txt',
      'tool-call-arguments-before-id.chunks.txt',
      'reasoning-deepseek.chunks.txt',
      'openrouter-reasoning-no-done.chunks.txt',
      'error-after-200.chunks.txt',
      'no-finish.chunks.txt',
    ];
    const recordings = names.flatMap((name) => [false, true].map((crlf) => toSseBytes(loadChunks(name), { crlf })));
    const whole = recordings.map((bytes) => decodeInPieces(createOpenAIChatStreamDecoder(), bytes));
    fc.assert(
      fc.property(
        fc.integer({ min: 0, max: recordings.length - 1 }),
        fc.array(fc.nat(), { maxLength: 40 }),
        (which, cuts) => {
          const bytes = recordings[which] as Buffer;
          const events = decodeInPieces(createOpenAIChatStreamDecoder(), bytes, cuts.map((cut) => cut % bytes.length));
          assertEventOrder(events);
          expect(events).toEqual(whole[which]);
        },
      ),
      { numRuns: 400 },
    );
  });
});

