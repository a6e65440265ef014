import OpenAI from 'openai';
import { describe, expect, it } from 'vitest';
import type { IrRequest } from '../../ir/ir-request.js';
import type { IrResponse } from '../../ir/ir-response.js';
import { loadJson } from './__fixtures__/load-fixture.js';
import { decodeOpenAIChatResponse } from './decode-response.js';
import { encodeOpenAIChatResponse } from './encode-response.js';

const request: IrRequest = { model: 'claude-sonnet-4-5', instructions: [], messages: [], tools: [], sampling: {}, stream: false, extras: {}, warnings: [] };

const anthropicAnswer: IrResponse = {
  id: 'msg_01XFDUDYJgAACzvnptvVoYEL',
  model: 'claude-sonnet-4-5-20250929',
  created: 1741570400,
  content: [
    { type: 'reasoning', text: 'The user wants the weather.', signature: { family: 'anthropic', value: 'EqQB' } },
    { type: 'text', text: 'Let me check. ' },
    { type: 'text', text: 'One moment.' },
    { type: 'tool-call', toolCallId: 'toolu_01', toolName: 'get_weather', argumentsText: '{"city":"Paris"}' },
  ],
  finishReason: { unified: 'tool-calls', raw: 'tool_use', protocol: 'anthropic' },
  usage: { inputTokens: 120, cacheReadTokens: 100, cacheWriteTokens: 5, outputTokens: 40 },
  warnings: [],
};

describe('encodeOpenAIChatResponse', () => {
  it('writes a full chat.completion object', () => {
    expect(encodeOpenAIChatResponse(anthropicAnswer, request)).toEqual({
      id: 'msg_01XFDUDYJgAACzvnptvVoYEL',
      object: 'chat.completion',
      created: 1741570400,
      model: 'claude-sonnet-4-5-20250929',
      choices: [
        {
          index: 0,
          message: {
            role: 'assistant',
            content: 'Let me check. One moment.',
            refusal: null,
            reasoning_content: 'The user wants the weather.',
            tool_calls: [{ id: 'toolu_01', type: 'function', function: { name: 'get_weather', arguments: '{"city":"Paris"}' } }],
          },
          logprobs: null,
          finish_reason: 'tool_calls',
        },
      ],
      usage: { prompt_tokens: 120, completion_tokens: 40, total_tokens: 160, prompt_tokens_details: { cached_tokens: 100 }, completion_tokens_details: { reasoning_tokens: 0 } },
    });
  });

  it('uses content null for a tool-only answer and maps finish reasons from other families', () => {
    const body = encodeOpenAIChatResponse(
      { ...anthropicAnswer, content: [anthropicAnswer.content[3]!], finishReason: { unified: 'length', raw: 'max_tokens', protocol: 'anthropic' } },
      request,
    );
    expect(body.choices[0]?.message.content).toBeNull();
    expect(body.choices[0]?.finish_reason).toBe('length');
    const empty = encodeOpenAIChatResponse({ ...anthropicAnswer, content: [], finishReason: { unified: 'other' } }, request);
    expect(empty.choices[0]?.message.content).toBe('');
    expect(empty.choices[0]?.finish_reason).toBe('stop');
  });

  it('survives decode → encode of an OpenAI capture', () => {
    const capture = loadJson('completion-tool-calls.json');
    const body = encodeOpenAIChatResponse(decodeOpenAIChatResponse(capture), request);
    expect(body.choices[0]?.message.tool_calls).toEqual([
      capture.choices[0].message.tool_calls[0],
      { ...capture.choices[0].message.tool_calls[1], function: { name: 'get_time', arguments: '{}' } },
    ]);
    expect(body.choices[0]?.finish_reason).toBe('tool_calls');
  });

  it('is accepted by the openai SDK as a ChatCompletion', async () => {
    const client = new OpenAI({
      apiKey: 'sk-test',
      baseURL: 'http://localhost.invalid/v1',
      fetch: async () => Response.json(encodeOpenAIChatResponse(anthropicAnswer, request)),
    });
    const completion = await client.chat.completions.create({ model: 'x', messages: [{ role: 'user', content: 'hi' }] });
    expect(completion.choices[0]?.message.tool_calls?.[0]).toMatchObject({ id: 'toolu_01', function: { arguments: '{"city":"Paris"}' } });
  });

  it('answers a legacy functions client with function_call', () => {
    const body = encodeOpenAIChatResponse(anthropicAnswer, { ...request, extras: { 'openai-chat': { legacyFunctions: true } } });
    expect(body.choices[0]?.message.function_call).toEqual({ name: 'get_weather', arguments: '{"city":"Paris"}' });
    expect(body.choices[0]?.message.tool_calls).toBeUndefined();
    expect(body.choices[0]?.finish_reason).toBe('function_call');
  });
});
