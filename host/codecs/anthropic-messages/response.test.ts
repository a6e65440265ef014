import { describe, expect, it } from 'vitest';
import type { IrRequest } from '../../ir/ir-request.js';
import type { IrResponse } from '../../ir/ir-response.js';
import { decodeAnthropicResponse } from './decode-response.js';
import { encodeAnthropicResponse } from './encode-response.js';
import { mapAnthropicStopReason, toAnthropicStopReason } from './map-finish-reason.js';
import { readJsonFixture } from './__fixtures__/fixtures.js';

const request = { model: 'claude-sonnet-4-5', instructions: [], messages: [], tools: [], sampling: {}, stream: false, extras: {}, warnings: [] } satisfies IrRequest;

describe('decodeAnthropicResponse', () => {
  it('decodes thinking with signature, text, tool_use input as argumentsText, stop reason and usage', () => {
    const response = decodeAnthropicResponse(readJsonFixture('tool-use-response.json'));
    expect(response).toMatchObject({
      id: 'msg_01Aq9w938a90dw8q',
      model: 'claude-sonnet-4-5-20250929',
      content: [
        { type: 'reasoning', text: 'I should check the weather with the tool.', signature: { family: 'anthropic', value: 'EqQBCkgIARABGAIiQGSIGNATUREfromAPI==' } },
        { type: 'text', text: "I'll check the current weather in San Francisco for you." },
        { type: 'tool-call', toolCallId: 'toolu_01A09q90qw90lq917835lq9', toolName: 'get_weather', argumentsText: '{"location":"San Francisco, CA","unit":"celsius"}' },
      ],
      finishReason: { unified: 'tool-calls', raw: 'tool_use', protocol: 'anthropic' },
      // input_tokens counts only the uncached part: the IR total adds cache reads and writes.
      usage: { inputTokens: 472 + 1024 + 2048, cacheWriteTokens: 1024, cacheReadTokens: 2048, outputTokens: 89 },
      warnings: [],
    });
  });

  it('keeps redacted thinking as a signature and drops server-tool blocks with a warning', () => {
    const response = decodeAnthropicResponse({
      id: 'msg_1', type: 'message', role: 'assistant', model: 'm', stop_reason: 'pause_turn', stop_sequence: null, usage: { input_tokens: 1, output_tokens: 2 },
      content: [{ type: 'redacted_thinking', data: 'REDACTED' }, { type: 'server_tool_use', id: 'srvtoolu_1', name: 'web_search', input: {} }, { type: 'tool_use', id: 't', name: 'n', input: {} }],
    });
    expect(response.content).toEqual([
      { type: 'reasoning', text: '', redacted: true, signature: { family: 'anthropic', value: 'REDACTED' } },
      { type: 'tool-call', toolCallId: 't', toolName: 'n', argumentsText: '{}' },
    ]);
    expect(response.finishReason).toEqual({ unified: 'other', raw: 'pause_turn', protocol: 'anthropic' });
    expect(response.warnings).toEqual([{ type: 'dropped', feature: 'content block server_tool_use', details: expect.any(String) }]);
  });
});

describe('encodeAnthropicResponse', () => {
  it('round-trips a recorded Anthropic message', () => {
    const body = readJsonFixture('tool-use-response.json');
    const encoded = encodeAnthropicResponse(decodeAnthropicResponse(body), { ...request, model: body.model });
    const { service_tier: _serviceTier, ...usage } = body.usage;
    expect(encoded).toEqual({ ...body, usage });
  });

  it('encodes another family’s answer: stop → tool_use with calls, arguments parsed, foreign signatures wrapped', () => {
    const response: IrResponse = {
      id: 'chatcmpl-abc', model: 'gemini-2.5-pro', created: 1, warnings: [],
      content: [
        { type: 'reasoning', text: 'thought', signature: { family: 'gemini', value: 'CiQB' } },
        { type: 'reasoning', text: 'summary' },
        { type: 'tool-call', toolCallId: 'call_1', toolName: 'f', argumentsText: '{"a":[1,2]}' },
        { type: 'tool-call', toolCallId: 'call_2', toolName: 'g', argumentsText: 'not json' },
      ],
      finishReason: { unified: 'stop', raw: 'STOP', protocol: 'gemini' },
      usage: { inputTokens: 100, cacheReadTokens: 40, outputTokens: 9, reasoningTokens: 4 },
    };
    const encoded = encodeAnthropicResponse(response, request);
    expect(encoded).toEqual({
      id: 'msg_chatcmpl-abc', type: 'message', role: 'assistant', model: 'claude-sonnet-4-5',
      content: [
        { type: 'thinking', thinking: 'thought', signature: 'localgate.gemini.CiQB' },
        { type: 'thinking', thinking: 'summary', signature: '' },
        { type: 'tool_use', id: 'call_1', name: 'f', input: { a: [1, 2] } },
        { type: 'tool_use', id: 'call_2', name: 'g', input: { _raw: 'not json' } },
      ],
      stop_reason: 'tool_use', stop_sequence: null,
      usage: { input_tokens: 60, cache_read_input_tokens: 40, output_tokens: 9, output_tokens_details: { thinking_tokens: 4 } },
    });
    expect(response.warnings.map((w) => w.feature)).toEqual(['tool_use.input']);
  });
});

describe('stop reasons', () => {
  it('maps every documented stop_reason, unknown ones to other', () => {
    const unified = ['end_turn', 'max_tokens', 'stop_sequence', 'tool_use', 'pause_turn', 'refusal', 'model_context_window_exceeded', 'new_thing'].map((r) => mapAnthropicStopReason(r).unified);
    expect(unified).toEqual(['stop', 'length', 'stop', 'tool-calls', 'other', 'content-filter', 'length', 'other']);
  });

  it('writes raw Anthropic reasons back verbatim and maps others', () => {
    expect(toAnthropicStopReason(mapAnthropicStopReason('pause_turn'), false)).toBe('pause_turn');
    expect(toAnthropicStopReason({ unified: 'length', raw: 'length', protocol: 'openai-chat' }, false)).toBe('max_tokens');
    expect(toAnthropicStopReason({ unified: 'content-filter', raw: 'SAFETY', protocol: 'gemini' }, false)).toBe('refusal');
    expect(toAnthropicStopReason({ unified: 'stop' }, false)).toBe('end_turn');
    expect(toAnthropicStopReason({ unified: 'stop' }, true)).toBe('tool_use');
  });
});
