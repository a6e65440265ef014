import { describe, expect, it } from 'vitest';
import { CodecError } from '../codec-types.js';
import { loadJson } from './__fixtures__/load-fixture.js';
import { decodeOpenAIChatRequest } from './decode-request.js';

const context = { headers: {} };
const decode = (body: unknown) => decodeOpenAIChatRequest(body, context);
const minimal = (extra: Record<string, unknown> = {}) => ({ model: 'gpt-4o', messages: [{ role: 'user', content: 'hi' }], ...extra });

describe('decodeOpenAIChatRequest', () => {
  it('decodes a full agent turn', () => {
    const ir = decode(loadJson('request-agent-turn.json'));
    expect(ir.model).toBe('gpt-5-mini');
    expect(ir.instructions).toEqual([
      { type: 'text', text: 'You are a coding agent.', cacheControl: { type: 'ephemeral' } },
      { type: 'text', text: 'Answer tersely.' },
    ]);
    expect(ir.messages.map((message) => message.role)).toEqual(['user', 'assistant', 'tool', 'tool', 'system', 'assistant', 'user']);
    expect(ir.messages[0]?.parts).toEqual([
      { type: 'text', text: 'What is in these images, and what is the weather in Paris?' },
      { type: 'file', mediaType: 'image/png', source: { kind: 'base64', data: 'iVBORw0KGgo=' } },
      { type: 'file', mediaType: 'image/jpeg', source: { kind: 'url', url: 'https://example.com/photos/cat.jpg' } },
    ]);
    expect(ir.messages[0]?.extras?.['openai-chat']).toMatchObject({ imageDetail: { 1: 'high' } });
    expect(ir.messages[1]?.parts).toEqual([
      { type: 'reasoning', text: 'I should call the weather tool.' },
      { type: 'tool-call', toolCallId: 'call_abc', toolName: 'get_weather', argumentsText: '{"city":"Paris"}' },
      { type: 'tool-call', toolCallId: 'call_def', toolName: 'get_time', argumentsText: '{}' },
    ]);
    expect(ir.messages[2]?.parts).toEqual([{ type: 'tool-result', toolCallId: 'call_abc', toolName: 'get_weather', content: [{ type: 'text', text: '18°C, cloudy' }] }]);
    expect(ir.messages[3]?.parts).toEqual([{ type: 'tool-result', toolCallId: 'call_def', toolName: 'get_time', content: [{ type: 'text', text: '14:02' }] }]);
    expect(ir.messages[4]).toEqual({ role: 'system', parts: [{ type: 'text', text: 'Mention the time too.' }], extras: { 'openai-chat': { role: 'developer' } } });
    expect(ir.messages[6]?.extras?.['openai-chat']).toEqual({ fields: { name: 'alice' } });
    expect(ir.tools).toEqual([
      {
        name: 'get_weather',
        description: 'Current weather for a city',
        parameters: { type: 'object', properties: { city: { type: 'string' } }, required: ['city'], additionalProperties: false },
        strict: true,
      },
      { name: 'get_time', parameters: { type: 'object', properties: {} } },
    ]);
    expect(ir.toolChoice).toEqual({ type: 'auto' });
    expect(ir.parallelToolCalls).toBe(true);
    expect(ir.sampling).toEqual({ maxOutputTokens: 2048, temperature: 1, topP: 0.9, stop: ['END'], seed: 42, presencePenalty: 0.1, frequencyPenalty: 0.2 });
    expect(ir.reasoning).toEqual({ effort: 'low' });
    expect(ir.responseFormat).toEqual({ type: 'json-schema', name: 'answer', schema: { type: 'object', properties: { text: { type: 'string' } } }, strict: true });
    expect(ir.stream).toBe(true);
    expect(ir.includeUsage).toBe(true);
    expect(ir.user).toBe('user-1234');
    expect(ir.extras['openai-chat']).toMatchObject({
      maxTokensField: 'max_completion_tokens',
      stopAsString: true,
      cacheControl: true,
      fields: { metadata: { session: 's1' }, prompt_cache_key: 'agent-v1', logprobs: false, store: false, n: 2 },
    });
    expect(ir.warnings).toContainEqual(expect.objectContaining({ type: 'unsupported', feature: 'n' }));
  });

  it('maps max_tokens and keeps which field was used', () => {
    const ir = decode(minimal({ max_tokens: 100 }));
    expect(ir.sampling.maxOutputTokens).toBe(100);
    expect(ir.extras['openai-chat']).toMatchObject({ maxTokensField: 'max_tokens' });
  });

  it('keeps a string system prompt as one instruction with no layout extras', () => {
    const ir = decode({ model: 'm', messages: [{ role: 'system', content: 'Be brief.' }, { role: 'user', content: 'hi' }] });
    expect(ir.instructions).toEqual([{ type: 'text', text: 'Be brief.' }]);
    expect(ir.extras).toEqual({});
  });

  it('decodes OpenRouter-style reasoning and refusals on assistant turns', () => {
    const ir = decode({
      model: 'm',
      messages: [
        { role: 'user', content: 'a' },
        { role: 'assistant', content: '', reasoning: 'thinking…', refusal: "I can't help with that." },
      ],
    });
    expect(ir.messages[1]?.parts).toEqual([
      { type: 'reasoning', text: 'thinking…' },
      { type: 'text', text: "I can't help with that." },
    ]);
    expect(ir.messages[1]?.extras?.['openai-chat']).toEqual({ reasoningField: 'reasoning', refusalPart: 1 });
  });

  it('decodes input_audio and file parts as file parts', () => {
    const ir = decode({
      model: 'm',
      messages: [
        {
          role: 'user',
          content: [
            { type: 'input_audio', input_audio: { data: 'UklGRg==', format: 'wav' } },
            { type: 'file', file: { filename: 'report.pdf', file_data: 'data:application/pdf;base64,JVBERi0=' } },
            { type: 'file', file: { file_id: 'file-abc' } },
          ],
        },
      ],
    });
    expect(ir.messages[0]?.parts).toEqual([
      { type: 'file', mediaType: 'audio/wav', source: { kind: 'base64', data: 'UklGRg==' } },
      { type: 'file', mediaType: 'application/pdf', source: { kind: 'base64', data: 'JVBERi0=' } },
      { type: 'file', source: { kind: 'file-id', id: 'file-abc' } },
    ]);
  });

  it('maps Anthropic-style cache_control on parts, tools and messages', () => {
    const ir = decode({
      model: 'm',
      messages: [
        { role: 'user', content: [{ type: 'text', text: 'long doc', cache_control: { type: 'ephemeral', ttl: '1h' } }] },
        { role: 'assistant', content: 'ok' },
        { role: 'user', content: 'next', cache_control: { type: 'ephemeral' } },
      ],
      tools: [{ type: 'function', function: { name: 'f', parameters: { type: 'object' } }, cache_control: { type: 'ephemeral' } }],
    });
    expect(ir.messages[0]?.parts[0]).toEqual({ type: 'text', text: 'long doc', cacheControl: { type: 'ephemeral', ttl: '1h' } });
    expect(ir.messages[2]?.parts[0]).toEqual({ type: 'text', text: 'next', cacheControl: { type: 'ephemeral' } });
    expect(ir.tools[0]?.cacheControl).toEqual({ type: 'ephemeral' });
  });

  it('maps the legacy functions API to tools and tool results', () => {
    const ir = decode({
      model: 'm',
      functions: [{ name: 'lookup', parameters: { type: 'object', properties: { q: { type: 'string' } } } }],
      function_call: { name: 'lookup' },
      messages: [
        { role: 'user', content: 'find x' },
        { role: 'assistant', content: null, function_call: { name: 'lookup', arguments: '{"q":"x"}' } },
        { role: 'function', name: 'lookup', content: 'found' },
      ],
    });
    expect(ir.tools.map((tool) => tool.name)).toEqual(['lookup']);
    expect(ir.toolChoice).toEqual({ type: 'tool', name: 'lookup' });
    const call = ir.messages[1]?.parts[0];
    expect(call).toMatchObject({ type: 'tool-call', toolName: 'lookup', argumentsText: '{"q":"x"}' });
    expect(ir.messages[2]?.parts[0]).toMatchObject({ type: 'tool-result', toolName: 'lookup', toolCallId: (call as { toolCallId: string }).toolCallId });
    expect(ir.extras['openai-chat']).toMatchObject({ legacyFunctions: true });
  });

  it('decodes tool_choice, response formats and stop arrays', () => {
    expect(decode(minimal({ tool_choice: { type: 'function', function: { name: 'f' } } })).toolChoice).toEqual({ type: 'tool', name: 'f' });
    expect(decode(minimal({ tool_choice: 'required' })).toolChoice).toEqual({ type: 'required' });
    expect(decode(minimal({ response_format: { type: 'json_object' } })).responseFormat).toEqual({ type: 'json' });
    expect(decode(minimal({ response_format: { type: 'text' } })).responseFormat).toEqual({ type: 'text' });
    expect(decode(minimal({ stop: ['a', 'b'] })).sampling.stop).toEqual(['a', 'b']);
    const allowed = decode(minimal({ tool_choice: { type: 'allowed_tools', allowed_tools: { mode: 'auto', tools: [] } } }));
    expect(allowed.toolChoice).toBeUndefined();
    expect(allowed.warnings).toContainEqual(expect.objectContaining({ type: 'unsupported' }));
  });

  it('warns when a tool result has no matching call, leaving the name empty', () => {
    const ir = decode({ model: 'm', messages: [{ role: 'tool', tool_call_id: 'call_x', content: 'r' }] });
    expect(ir.messages[0]?.parts[0]).toMatchObject({ toolName: '' });
    expect(ir.warnings).toContainEqual(expect.objectContaining({ feature: 'tool_call_id' }));
  });

  it.each([
    [null, /JSON object/],
    [{ messages: [{ role: 'user', content: 'x' }] }, /`model`/],
    [{ model: 'm', messages: [] }, /`messages`/],
    [{ model: 'm', messages: [{ role: 'robot', content: 'x' }] }, /messages\[0\]\.role/],
    [{ model: 'm', messages: [{ role: 'user', content: 5 }] }, /messages\[0\]\.content/],
    [{ model: 'm', messages: [{ role: 'tool', content: 'x' }] }, /tool_call_id/],
    [{ model: 'm', messages: [{ role: 'assistant', tool_calls: [{ type: 'function', function: { name: 'f', arguments: '{}' } }] }] }, /tool_calls\[0\]\.id/],
    [{ model: 'm', messages: [{ role: 'user', content: [{ type: 'image_url', image_url: { url: 'file:///etc/passwd' } }] }] }, /local files/],
    [minimal({ temperature: 'hot' }), /`temperature`/],
    [minimal({ stop: [1] }), /`stop`/],
    [minimal({ tools: [{ type: 'function', function: {} }] }), /tools\[0\]\.function\.name/],
  ])('rejects bad input with a CodecError naming the field (%#)', (body, message) => {
    expect(() => decode(body)).toThrow(CodecError);
    expect(() => decode(body)).toThrow(message);
  });
});
