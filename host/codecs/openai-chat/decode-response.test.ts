import { describe, expect, it } from 'vitest';
import { loadJson } from './__fixtures__/load-fixture.js';
import { decodeOpenAIChatResponse } from './decode-response.js';

describe('decodeOpenAIChatResponse', () => {
  it('decodes tool calls, keeping arguments as sent and "{}" only for none', () => {
    expect(decodeOpenAIChatResponse(loadJson('completion-tool-calls.json'))).toEqual({
      id: 'chatcmpl-BAz9q3',
      model: 'gpt-4o-2024-08-06',
      created: 1741570283,
      content: [
        { type: 'tool-call', toolCallId: 'call_Zq1', toolName: 'get_weather', argumentsText: '{"location":"Paris, France"}' },
        { type: 'tool-call', toolCallId: 'call_Zq2', toolName: 'get_time', argumentsText: '{}' },
      ],
      finishReason: { unified: 'tool-calls', raw: 'tool_calls', protocol: 'openai-chat' },
      usage: { inputTokens: 82, cacheReadTokens: 0, outputTokens: 17, reasoningTokens: 0 },
      warnings: [],
    });
  });

  it('puts DeepSeek reasoning_content first, as a reasoning part', () => {
    const response = decodeOpenAIChatResponse(loadJson('completion-deepseek-reasoning.json'));
    expect(response.content).toEqual([
      { type: 'reasoning', text: 'Compare 9.11 and 9.8: tenths 1 < 8.' },
      { type: 'text', text: '9.8 is larger.' },
    ]);
    expect(response.usage).toEqual({ inputTokens: 18, cacheReadTokens: 16, outputTokens: 40, reasoningTokens: 31 });
  });

  it('returns a refusal as text with a warning, and reads OpenRouter `reasoning`', () => {
    const response = decodeOpenAIChatResponse({
      id: 'gen-1',
      object: 'chat.completion',
      created: 1,
      model: 'm',
      choices: [{ index: 0, message: { role: 'assistant', content: null, reasoning: 'hmm', refusal: 'No.' }, finish_reason: 'content_filter' }],
    });
    expect(response.content).toEqual([
      { type: 'reasoning', text: 'hmm' },
      { type: 'text', text: 'No.' },
    ]);
    expect(response.finishReason.unified).toBe('content-filter');
    expect(response.usage).toEqual({});
    expect(response.warnings).toContainEqual(expect.objectContaining({ feature: 'refusal' }));
  });

  it('reads a legacy function_call', () => {
    const response = decodeOpenAIChatResponse({
      id: 'x',
      created: 1,
      model: 'm',
      choices: [{ index: 0, message: { role: 'assistant', content: null, function_call: { name: 'f', arguments: '{"a":1}' } }, finish_reason: 'function_call' }],
    });
    expect(response.content).toMatchObject([{ type: 'tool-call', toolName: 'f', argumentsText: '{"a":1}' }]);
    expect(response.finishReason.unified).toBe('tool-calls');
  });
});
