import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import type { IrResponse } from '../../ir/ir-response.js';
import { proxyError } from '../../core/proxy-error.js';
import { convertToOpenAIResponsesUsage } from './convert-usage.js';
import { decodeOpenAIResponsesRequest } from './decode-request.js';
import { encodeOpenAIResponsesError, encodeOpenAIResponsesErrorEvent, encodeOpenAIResponsesFailure } from './encode-error.js';
import { encodeOpenAIResponsesResponse } from './encode-response.js';
import { mapToOpenAIResponsesOutcome } from './map-finish-reason.js';

const sdkRequest = decodeOpenAIResponsesRequest(JSON.parse(readFileSync(new URL('./__fixtures__/sdk-request.json', import.meta.url), 'utf8')), { headers: {} });

const response: IrResponse = {
  id: 'msg_01XFD',
  model: 'claude-sonnet-4-5',
  created: 1735689600,
  content: [
    { type: 'reasoning', text: 'Think.', signature: { family: 'anthropic', value: 'sig==' } },
    { type: 'reasoning', text: '', signature: { family: 'anthropic', value: 'opaque' }, redacted: true },
    { type: 'text', text: '{"text":' },
    { type: 'text', text: '"Il fait beau."}' },
    { type: 'tool-call', toolCallId: 'toolu_1', toolName: 'get_weather', argumentsText: '{"city":"Paris"}' },
    { type: 'text', text: 'après' },
  ],
  finishReason: { unified: 'tool-calls', raw: 'tool_use', protocol: 'anthropic' },
  usage: { inputTokens: 100, cacheReadTokens: 60, outputTokens: 20, reasoningTokens: 5 },
  warnings: [],
};

describe('encodeOpenAIResponsesResponse', () => {
  it('writes a full Response object with output items in content order and the request echoed', () => {
    expect(encodeOpenAIResponsesResponse(response, sdkRequest)).toEqual({
      id: 'resp_msg_01XFD',
      object: 'response',
      created_at: 1735689600,
      status: 'completed',
      background: false,
      error: null,
      incomplete_details: null,
      model: 'claude-sonnet-4-5',
      output: [
        { type: 'reasoning', id: 'rs_msg_01XFD_0', summary: [{ type: 'summary_text', text: 'Think.' }], encrypted_content: 'localgate.anthropic.sig==' },
        { type: 'reasoning', id: 'rs_msg_01XFD_1', summary: [], encrypted_content: 'localgate.anthropic-redacted.opaque' },
        {
          type: 'message',
          id: 'msg_msg_01XFD_2',
          status: 'completed',
          role: 'assistant',
          content: [
            { type: 'output_text', text: '{"text":', annotations: [] },
            { type: 'output_text', text: '"Il fait beau."}', annotations: [] },
          ],
        },
        { type: 'function_call', id: 'fc_msg_01XFD_3', call_id: 'toolu_1', name: 'get_weather', arguments: '{"city":"Paris"}', status: 'completed' },
        { type: 'message', id: 'msg_msg_01XFD_4', status: 'completed', role: 'assistant', content: [{ type: 'output_text', text: 'après', annotations: [] }] },
      ],
      usage: {
        input_tokens: 100,
        input_tokens_details: { cached_tokens: 60 },
        output_tokens: 20,
        output_tokens_details: { reasoning_tokens: 5 },
        total_tokens: 120,
      },
      instructions: 'Answer as JSON.',
      max_output_tokens: 1024,
      parallel_tool_calls: true,
      previous_response_id: null,
      reasoning: { effort: null, summary: null },
      store: false,
      temperature: 0.2,
      text: {
        format: {
          type: 'json_schema',
          name: 'summary',
          schema: { type: 'object', properties: { text: { type: 'string' } }, required: ['text'], additionalProperties: false },
          strict: true,
        },
        verbosity: 'low',
      },
      tool_choice: { type: 'function', name: 'get_weather' },
      tools: [
        {
          type: 'function',
          name: 'get_weather',
          description: 'Current weather for a city',
          parameters: { type: 'object', properties: { city: { type: 'string' } }, required: ['city'] },
          strict: true,
        },
      ],
      top_p: 0.9,
      truncation: 'auto',
      metadata: { session: 's1' },
      user: 'user-42',
      service_tier: 'default',
    });
  });

  it('marks a cut response incomplete and falls back to the requested model', () => {
    const encoded = encodeOpenAIResponsesResponse(
      { ...response, model: '', content: [], finishReason: { unified: 'content-filter', raw: 'SAFETY', protocol: 'gemini' }, usage: {} },
      decodeOpenAIResponsesRequest({ model: 'gpt-5', input: 'x' }, { headers: {} }),
    );
    expect(encoded).toMatchObject({
      status: 'incomplete',
      incomplete_details: { reason: 'content_filter' },
      model: 'gpt-5',
      output: [],
      usage: { input_tokens: 0, input_tokens_details: { cached_tokens: 0 }, output_tokens: 0, output_tokens_details: { reasoning_tokens: 0 }, total_tokens: 0 },
      instructions: null,
      tool_choice: 'auto',
      tools: [],
      text: { format: { type: 'text' } },
    });
  });
});

describe('mapToOpenAIResponsesOutcome', () => {
  it('maps every unified reason', () => {
    expect(mapToOpenAIResponsesOutcome({ unified: 'stop' })).toEqual({ status: 'completed', incompleteDetails: null });
    expect(mapToOpenAIResponsesOutcome({ unified: 'tool-calls' })).toEqual({ status: 'completed', incompleteDetails: null });
    expect(mapToOpenAIResponsesOutcome({ unified: 'length' })).toEqual({ status: 'incomplete', incompleteDetails: { reason: 'max_output_tokens' } });
    expect(mapToOpenAIResponsesOutcome({ unified: 'content-filter' })).toEqual({ status: 'incomplete', incompleteDetails: { reason: 'content_filter' } });
    expect(mapToOpenAIResponsesOutcome({ unified: 'other', raw: 'pause_turn', protocol: 'anthropic' })).toEqual({ status: 'completed', incompleteDetails: null });
    expect(mapToOpenAIResponsesOutcome({ unified: 'error' })).toEqual({ status: 'completed', incompleteDetails: null });
    expect(mapToOpenAIResponsesOutcome({ unified: 'other', raw: 'max_output_tokens', protocol: 'openai-responses' })).toEqual({
      status: 'incomplete',
      incompleteDetails: { reason: 'max_output_tokens' },
    });
  });
});

describe('convertToOpenAIResponsesUsage', () => {
  it('writes cache writes only when reported', () => {
    expect(convertToOpenAIResponsesUsage({ inputTokens: 10, cacheWriteTokens: 4, outputTokens: 2 })).toEqual({
      input_tokens: 10,
      input_tokens_details: { cached_tokens: 0, cache_write_tokens: 4 },
      output_tokens: 2,
      output_tokens_details: { reasoning_tokens: 0 },
      total_tokens: 12,
    });
  });
});

describe('errors', () => {
  it('uses the Chat Completions error body', () => {
    expect(encodeOpenAIResponsesError(proxyError('rate-limit', 'Slow down.'))).toEqual({
      error: { message: 'Slow down.', type: 'rate_limit_error', param: null, code: 'rate_limit_exceeded' },
    });
  });

  it('writes in-stream errors with flat and nested fields, and a code for response.failed', () => {
    expect(encodeOpenAIResponsesErrorEvent(proxyError('upstream', 'Bad gateway.'))).toEqual({
      type: 'error',
      code: 'server_error',
      message: 'Bad gateway.',
      param: null,
      error: { type: 'server_error', code: 'server_error', message: 'Bad gateway.', param: null },
    });
    expect(encodeOpenAIResponsesFailure(proxyError('invalid-request', 'Prompt too long.'))).toEqual({ code: 'invalid_request_error', message: 'Prompt too long.' });
    expect(encodeOpenAIResponsesFailure(proxyError('rate-limit', 'Limited. Please try again in 3s.', 429, 9000)).message).toBe('Limited. Please try again in 3s.');
  });
});
