import { describe, expect, it } from 'vitest';
import { answerEndedWhole } from './answer-ended-whole.js';

const sse = (events: Array<{ event?: string; data: unknown }>, eol = '\n'): string =>
  events.map(({ event, data }) => `${event ? `event: ${event}${eol}` : ''}data: ${typeof data === 'string' ? data : JSON.stringify(data)}${eol}${eol}`).join('');

const chatChunk = (delta: object, finishReason: string | null = null) => ({ id: 'chatcmpl-1', object: 'chat.completion.chunk', choices: [{ index: 0, delta, logprobs: null, finish_reason: finishReason }], usage: null });
const geminiChunk = (text: string, finishReason?: string) => ({ candidates: [{ content: { parts: [{ text }], role: 'model' }, ...(finishReason ? { finishReason } : {}), index: 0 }], usageMetadata: { promptTokenCount: 3 } });

describe('answerEndedWhole: did a passed-through stream say its last word before its connection dropped?', () => {
  describe('Anthropic', () => {
    const delta = { event: 'message_delta', data: { type: 'message_delta', delta: { stop_reason: 'end_turn', stop_sequence: null }, usage: { output_tokens: 9 } } };
    it('ended whole: its last event is message_stop', () => {
      expect(answerEndedWhole('anthropic', true, sse([delta, { event: 'message_stop', data: { type: 'message_stop' } }]))).toBe(true);
    });
    it('broken: message_stop never came, or came cut', () => {
      expect(answerEndedWhole('anthropic', true, sse([delta]))).toBe(false);
      expect(answerEndedWhole('anthropic', true, `${sse([delta])}event: message_stop\ndata: {"type":"message_st`)).toBe(false);
      expect(answerEndedWhole('anthropic', true, `${sse([delta])}event: message_stop\ndata: {"type":"message_stop"}\n`)).toBe(false);
    });
    it('broken: answer text that quotes the marker does not count', () => {
      const quoting = { event: 'content_block_delta', data: { type: 'content_block_delta', index: 0, delta: { type: 'text_delta', text: 'write "type":"message_stop"' } } };
      expect(answerEndedWhole('anthropic', true, sse([quoting]))).toBe(false);
    });
  });

  describe('OpenAI Chat', () => {
    it('ended whole: [DONE], a finish_reason chunk (servers without [DONE]) or the usage-only chunk', () => {
      expect(answerEndedWhole('openai', true, sse([{ data: chatChunk({}, 'stop') }, { data: '[DONE]' }]))).toBe(true);
      expect(answerEndedWhole('openai', true, sse([{ data: chatChunk({ content: 'hi' }) }, { data: chatChunk({}, 'tool_calls') }]))).toBe(true);
      expect(answerEndedWhole('openai', true, sse([{ data: chatChunk({}, 'stop') }, { data: { id: 'chatcmpl-1', choices: [], usage: { prompt_tokens: 1, completion_tokens: 2 } } }]))).toBe(true);
    });
    it('broken: the last event is content (finish_reason null), or cut', () => {
      expect(answerEndedWhole('openai', true, sse([{ data: chatChunk({ content: 'hal' }) }]))).toBe(false);
      expect(answerEndedWhole('openai', true, `${sse([{ data: chatChunk({}, 'stop') }])}data: [DO`)).toBe(false);
      expect(answerEndedWhole('openai', true, sse([{ data: chatChunk({ content: 'say "finish_reason": "stop" and [DONE]' }) }]))).toBe(false);
    });
    it('broken: a JSON body (not a stream) cannot be judged from its tail', () => {
      expect(answerEndedWhole('openai', false, JSON.stringify({ choices: [{ finish_reason: 'stop' }] }))).toBe(false);
    });
  });

  describe('Gemini', () => {
    it('SSE ended whole: the last chunk has a finishReason (CRLF) or the prompt was blocked', () => {
      expect(answerEndedWhole('gemini', true, sse([{ data: geminiChunk('a') }, { data: geminiChunk('b', 'STOP') }], '\r\n'))).toBe(true);
      expect(answerEndedWhole('gemini', true, sse([{ data: { promptFeedback: { blockReason: 'PROHIBITED_CONTENT' } } }], '\r\n'))).toBe(true);
    });
    it('SSE ended whole: a last chunk larger than the tail still shows its finishReason near its end', () => {
      const tail = sse([{ data: geminiChunk('x'.repeat(20_000), 'STOP') }], '\r\n').slice(-4_096);
      expect(answerEndedWhole('gemini', true, tail)).toBe(true);
    });
    it('SSE broken: the last chunk has no finishReason, or is cut', () => {
      expect(answerEndedWhole('gemini', true, sse([{ data: geminiChunk('a') }], '\r\n'))).toBe(false);
      expect(answerEndedWhole('gemini', true, sse([{ data: geminiChunk('a', 'STOP') }], '\r\n').slice(0, -2))).toBe(false);
      expect(answerEndedWhole('gemini', true, `${sse([{ data: geminiChunk('a') }], '\r\n')}data: {"candidates":[{"finishReason":"STOP"`)).toBe(false);
    });
    it("JSON array ended whole: Google's pretty-printed array closes after a chunk with finishReason", () => {
      const array = `[${JSON.stringify(geminiChunk('a'), null, 2)}\n,\r\n${JSON.stringify(geminiChunk('b', 'STOP'), null, 2)}\n]`;
      expect(answerEndedWhole('gemini', false, array)).toBe(true);
      expect(answerEndedWhole('gemini', false, array.slice(0, -2))).toBe(false);
      // Cut right after an inner array closes: indented, so not the top-level bracket.
      const inner = array.slice(0, array.lastIndexOf(']', array.length - 3) + 1);
      expect(inner.endsWith(']')).toBe(true);
      expect(answerEndedWhole('gemini', false, inner)).toBe(false);
    });
  });
});
