import { describe, expect, it } from 'vitest';
import { convertOpenAIChatUsage, encodeOpenAIChatUsage } from './convert-usage.js';
import { encodeOpenAIChatFinishReason, mapOpenAIChatFinishReason } from './map-finish-reason.js';

describe('mapOpenAIChatFinishReason', () => {
  it.each([
    ['stop', 'stop'],
    ['length', 'length'],
    ['tool_calls', 'tool-calls'],
    ['function_call', 'tool-calls'],
    ['content_filter', 'content-filter'],
    ['eos', 'other'],
    [null, 'other'],
  ])('%s → %s and back', (raw, unified) => {
    const reason = mapOpenAIChatFinishReason(raw);
    expect(reason.unified).toBe(unified);
    if (raw) expect(encodeOpenAIChatFinishReason(reason, { hasToolCalls: false })).toBe(raw);
  });

  it('maps other families by the unified reason', () => {
    expect(encodeOpenAIChatFinishReason({ unified: 'tool-calls', raw: 'tool_use', protocol: 'anthropic' }, { hasToolCalls: true })).toBe('tool_calls');
    expect(encodeOpenAIChatFinishReason({ unified: 'content-filter', raw: 'SAFETY', protocol: 'gemini' }, { hasToolCalls: false })).toBe('content_filter');
    expect(encodeOpenAIChatFinishReason({ unified: 'other', raw: 'pause_turn', protocol: 'anthropic' }, { hasToolCalls: false })).toBe('stop');
    expect(encodeOpenAIChatFinishReason({ unified: 'stop', raw: 'STOP', protocol: 'gemini' }, { hasToolCalls: true })).toBe('tool_calls');
  });
});

describe('convertOpenAIChatUsage', () => {
  it('keeps "not reported" undefined and writes zeros on the way out', () => {
    expect(convertOpenAIChatUsage({ prompt_tokens: 10, completion_tokens: 2, total_tokens: 12 })).toEqual({ inputTokens: 10, outputTokens: 2 });
    expect(convertOpenAIChatUsage(null)).toEqual({});
    expect(encodeOpenAIChatUsage({ outputTokens: 3 })).toEqual({
      prompt_tokens: 0,
      completion_tokens: 3,
      total_tokens: 3,
      prompt_tokens_details: { cached_tokens: 0 },
      completion_tokens_details: { reasoning_tokens: 0 },
    });
  });
});
