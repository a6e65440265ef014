// The SSE events each provider's real API sends for a short text answer, for the bench's fake
// upstreams (bench/run.js: the fast one; bench/streams.js: the paced and held ones). Shapes as
// the providers stream them: OpenAI Chat chunks ending in `[DONE]`; Anthropic's
// message_start … message_stop sequence with its ping; Gemini's `alt=sse` candidates.

/**
 * The events, as strings, that stream `deltas` (text pieces, one event each) in `family`'s
 * format, around the events each format adds (OpenAI: a role chunk, a finish chunk and
 * `[DONE]`; Anthropic: message and block start/stop, ping, message_delta; Gemini: none, the
 * last chunk carries the finish reason).
 */
export function sseEvents(family, deltas, { created = Math.floor(Date.now() / 1000) } = {}) {
  const data = (value) => `data: ${JSON.stringify(value)}\n\n`;
  switch (family) {
    case 'openai': {
      const chunk = (delta, finish) => ({ id: 'chatcmpl-bench', object: 'chat.completion.chunk', created, model: 'gpt-4o-mini', choices: [{ index: 0, delta, finish_reason: finish }] });
      return [
        data(chunk({ role: 'assistant', content: '' }, null)),
        ...deltas.map((text) => data(chunk({ content: text }, null))),
        data(chunk({}, 'stop')),
        'data: [DONE]\n\n',
      ];
    }
    case 'anthropic': {
      const event = (type, value) => `event: ${type}\ndata: ${JSON.stringify({ type, ...value })}\n\n`;
      return [
        event('message_start', { message: { id: 'msg_bench', type: 'message', role: 'assistant', model: 'claude-bench', content: [], stop_reason: null, stop_sequence: null, usage: { input_tokens: 9, output_tokens: 1 } } }),
        event('content_block_start', { index: 0, content_block: { type: 'text', text: '' } }),
        event('ping', {}),
        ...deltas.map((text) => event('content_block_delta', { index: 0, delta: { type: 'text_delta', text } })),
        event('content_block_stop', { index: 0 }),
        event('message_delta', { delta: { stop_reason: 'end_turn', stop_sequence: null }, usage: { output_tokens: 9 } }),
        event('message_stop', {}),
      ];
    }
    case 'gemini':
      return deltas.map((text, i) =>
        data({
          candidates: [{ content: { role: 'model', parts: [{ text }] }, ...(i === deltas.length - 1 ? { finishReason: 'STOP' } : {}), index: 0 }],
          usageMetadata: { promptTokenCount: 9, candidatesTokenCount: i + 1, totalTokenCount: 10 + i },
          modelVersion: 'gemini-bench',
        }),
      );
  }
  throw new Error(`unknown family ${family}`);
}
