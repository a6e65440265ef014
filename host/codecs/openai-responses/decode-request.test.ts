import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { CodecError } from '../codec-types.js';
import { decodeOpenAIResponsesRequest } from './decode-request.js';

const fixture = (name: string): Record<string, unknown> => JSON.parse(readFileSync(new URL(`./__fixtures__/${name}`, import.meta.url), 'utf8'));
const decode = (body: unknown) => decodeOpenAIResponsesRequest(body, { headers: {} });

describe('decodeOpenAIResponsesRequest', () => {
  it('decodes a Codex request: instructions, grouped turns, reasoning signature, apply_patch as a free-form tool, web search as a server tool', () => {
    const request = decode(fixture('codex-request.json'));
    expect(request.model).toBe('gpt-5-codex');
    expect(request.stream).toBe(true);
    expect(request.includeUsage).toBe(true);
    // `instructions` then the leading developer message.
    expect(request.instructions.map((part) => part.text)).toEqual([
      expect.stringContaining('You are Codex'),
      expect.stringContaining('<permissions instructions>'),
    ]);
    expect(request.messages.map((message) => message.role)).toEqual(['user', 'user', 'assistant', 'tool', 'assistant', 'user']);
    expect(request.messages[2]!.parts).toEqual([
      {
        type: 'reasoning',
        text: "**Listing files**\n\nI'll run ls.",
        signature: { family: 'openai', value: 'gAAAAABoZ3VlcnlfZW5jcnlwdGVkX3JlYXNvbmluZw==' },
      },
      { type: 'tool-call', toolCallId: 'call_Xk2pQ1', toolName: 'shell', argumentsText: '{"command":["ls","-a"],"workdir":"/home/dev/project"}' },
    ]);
    expect(request.messages[3]!.parts).toEqual([
      {
        type: 'tool-result',
        toolCallId: 'call_Xk2pQ1',
        toolName: 'shell',
        content: [{ type: 'text', text: '{"output":"README.md\\nsrc\\n","metadata":{"exit_code":0,"duration_seconds":0.1}}' }],
      },
    ]);
    expect(request.messages[5]!.parts).toEqual([{ type: 'text', text: 'thanks, now read README.md — ünïcödé ✓' }]);
    expect(request.tools).toEqual([
      {
        name: 'shell',
        description: 'Runs a shell command and returns its output.',
        strict: false,
        parameters: expect.objectContaining({ required: ['command'] }),
      },
      {
        name: 'apply_patch',
        description: expect.stringContaining('apply_patch'),
        parameters: {
          type: 'object',
          properties: { input: { type: 'string', description: expect.stringContaining('lark grammar:\nstart: begin_patch hunk+ end_patch') } },
          required: ['input'],
        },
        freeform: { format: { type: 'grammar', syntax: 'lark', definition: 'start: begin_patch hunk+ end_patch' } },
      },
    ]);
    expect(request.toolChoice).toEqual({ type: 'auto' });
    expect(request.parallelToolCalls).toBe(false);
    expect(request.reasoning).toEqual({ effort: 'medium', includeThoughts: true });
    // Codex's web_search is the upstream's own search now (encoders run or drop it).
    expect(request.serverTools).toEqual([{ kind: 'web-search' }]);
    expect(request.warnings).toEqual([]);
    const extras = request.extras['openai-responses']!;
    expect(extras).toMatchObject({
      store: false,
      include: ['reasoning.encrypted_content'],
      prompt_cache_key: '0199a1b2-c3d4-7e5f-8a9b-0c1d2e3f4a5b',
      reasoning: { effort: 'medium', summary: 'auto' },
    });
    expect(extras.unsupported_tools).toBeUndefined();
  });

  it('decodes an SDK request: images, files, cache breakpoint, parallel results, mid-conversation developer turn', () => {
    const request = decode(fixture('sdk-request.json'));
    expect(request.instructions).toEqual([
      { type: 'text', text: 'Answer as JSON.' },
      { type: 'text', text: 'Be terse.' },
    ]);
    expect(request.messages.map((message) => message.role)).toEqual(['user', 'assistant', 'tool', 'system', 'user']);
    expect(request.messages[0]!.parts).toEqual([
      { type: 'text', text: 'What is in these?', cacheControl: { type: 'ephemeral' } },
      { type: 'file', source: { kind: 'url', url: 'https://example.com/cat.png' } },
      { type: 'file', mediaType: 'image/png', source: { kind: 'base64', data: 'iVBORw0KGgo=' } },
      { type: 'file', source: { kind: 'file-id', id: 'file-abc123' } },
      { type: 'file', mediaType: 'application/pdf', source: { kind: 'base64', data: 'JVBERi0xLjQ=' } },
    ]);
    expect(request.messages[1]!.parts).toEqual([
      { type: 'text', text: 'Let me check the weather too.' },
      { type: 'tool-call', toolCallId: 'call_1', toolName: 'get_weather', argumentsText: '{"city":"Paris"}' },
      { type: 'tool-call', toolCallId: 'call_2', toolName: 'get_weather', argumentsText: '{"city":"Oslo"}' },
    ]);
    expect(request.messages[2]!.parts).toEqual([
      { type: 'tool-result', toolCallId: 'call_1', toolName: 'get_weather', content: [{ type: 'text', text: '18°C' }] },
      { type: 'tool-result', toolCallId: 'call_2', toolName: 'get_weather', content: [{ type: 'text', text: '3°C' }] },
    ]);
    expect(request.messages[3]).toEqual({
      role: 'system',
      parts: [{ type: 'text', text: 'From now on, answer in French.' }],
      extras: { 'openai-responses': { role: 'developer' } },
    });
    expect(request.tools).toEqual([
      {
        name: 'get_weather',
        description: 'Current weather for a city',
        parameters: { type: 'object', properties: { city: { type: 'string' } }, required: ['city'] },
        strict: true,
      },
    ]);
    expect(request.toolChoice).toEqual({ type: 'tool', name: 'get_weather' });
    expect(request.sampling).toEqual({ maxOutputTokens: 1024, temperature: 0.2, topP: 0.9 });
    expect(request.responseFormat).toEqual({
      type: 'json-schema',
      name: 'summary',
      strict: true,
      schema: { type: 'object', properties: { text: { type: 'string' } }, required: ['text'], additionalProperties: false },
    });
    expect(request.user).toBe('user-42');
    expect(request.stream).toBe(false);
    expect(request.warnings.map((warning) => warning.feature)).toEqual(['input_image.detail', 'input_file.filename', 'input.item_reference']);
    expect(request.extras['openai-responses']).toMatchObject({
      metadata: { session: 's1' },
      truncation: 'auto',
      service_tier: 'default',
      text: { verbosity: 'low' },
      unsupported_input_items: [{ type: 'item_reference', id: 'msg_stored_1' }],
    });
  });

  it('takes a string input as one user turn', () => {
    const request = decode({ model: 'm', input: 'hi' });
    expect(request.messages).toEqual([{ role: 'user', parts: [{ type: 'text', text: 'hi' }] }]);
    expect(request.instructions).toEqual([]);
    expect(request.tools).toEqual([]);
    expect(request.sampling).toEqual({});
    expect(request.warnings).toEqual([]);
  });

  it('reads reasoning items: summaries joined, raw reasoning_text, wrapped signatures', () => {
    const request = decode({
      model: 'm',
      input: [
        { role: 'user', content: 'q' },
        { type: 'reasoning', id: 'rs_1', summary: [{ type: 'summary_text', text: 'a' }, { type: 'summary_text', text: 'b' }] },
        { type: 'reasoning', id: 'rs_2', summary: [], content: [{ type: 'reasoning_text', text: 'raw' }] },
        { type: 'reasoning', id: 'rs_3', summary: [{ type: 'summary_text', text: 't' }], encrypted_content: 'localgate.anthropic.EqQBCkYIBxgC' },
        { type: 'reasoning', id: 'rs_4', summary: [], encrypted_content: 'localgate.anthropic-redacted.RWRhY3RlZA==' },
        { type: 'message', role: 'assistant', content: [{ type: 'output_text', text: 'answer', annotations: [] }] },
      ],
    });
    expect(request.messages[1]!.parts).toEqual([
      { type: 'reasoning', text: 'a\n\nb' },
      { type: 'reasoning', text: 'raw' },
      { type: 'reasoning', text: 't', signature: { family: 'anthropic', value: 'EqQBCkYIBxgC' } },
      { type: 'reasoning', text: '', signature: { family: 'anthropic', value: 'RWRhY3RlZA==' }, redacted: true },
      { type: 'text', text: 'answer' },
    ]);
  });

  it('keeps a system message after the first turn in place, and one with an image out of the instructions', () => {
    const request = decode({
      model: 'm',
      input: [
        { role: 'system', content: [{ type: 'input_text', text: 'see' }, { type: 'input_image', image_url: 'https://x/y.png' }] },
        { role: 'user', content: 'u' },
        { role: 'system', content: 'later' },
      ],
    });
    expect(request.instructions).toEqual([]);
    expect(request.messages.map((message) => message.role)).toEqual(['system', 'user', 'system']);
  });

  it('maps tool_choice, text formats and reasoning effort', () => {
    const base = { model: 'm', input: 'x' };
    expect(decode({ ...base, tool_choice: 'required' }).toolChoice).toEqual({ type: 'required' });
    expect(decode({ ...base, tool_choice: 'none' }).toolChoice).toEqual({ type: 'none' });
    const allowed = decode({ ...base, tool_choice: { type: 'allowed_tools', mode: 'required', tools: [{ type: 'function', name: 'a' }] } });
    expect(allowed.toolChoice).toEqual({ type: 'required' });
    expect(allowed.warnings[0]).toMatchObject({ type: 'coerced', feature: 'tool_choice.allowed_tools' });
    const hosted = decode({ ...base, tool_choice: { type: 'web_search_preview' } });
    expect(hosted.toolChoice).toBeUndefined();
    expect(hosted.warnings[0]).toMatchObject({ type: 'unsupported', feature: 'tool_choice.web_search_preview' });
    expect(decode({ ...base, text: { format: { type: 'json_object' } } }).responseFormat).toEqual({ type: 'json' });
    expect(decode({ ...base, text: { format: { type: 'text' } } }).responseFormat).toEqual({ type: 'text' });
    expect(decode({ ...base, reasoning: { effort: 'none' } }).reasoning).toEqual({ effort: 'none', disabled: true });
    expect(decode({ ...base, reasoning: { effort: 'xhigh' } }).reasoning).toEqual({ effort: 'xhigh' });
    expect(decode({ ...base, reasoning: {} }).reasoning).toBeUndefined();
    expect(decode({ ...base, store: true }).warnings[0]).toMatchObject({ type: 'unsupported', feature: 'store' });
  });

  it('refuses stateful features with a message that says why', () => {
    const base = { model: 'm', input: 'x' };
    const refused = (body: unknown, param: string): void => {
      try {
        decode(body);
        expect.unreachable();
      } catch (error) {
        expect(error).toBeInstanceOf(CodecError);
        expect((error as CodecError).param).toBe(param);
        expect((error as CodecError).message).toMatch(/Localgate/);
      }
    };
    refused({ ...base, previous_response_id: 'resp_1' }, 'previous_response_id');
    refused({ ...base, conversation: 'conv_1' }, 'conversation');
    refused({ ...base, prompt: { id: 'pmpt_1' } }, 'prompt');
    refused({ ...base, background: true }, 'background');
    expect(() => decode({ ...base, previous_response_id: null, background: false })).not.toThrow();
  });

  it('accepts previous_response_id the route expanded from the store, and echoes it and store', () => {
    const base = { model: 'm', input: [{ role: 'user', content: 'earlier' }, { role: 'user', content: 'and then?' }], previous_response_id: 'resp_1' };
    const followUp = decodeOpenAIResponsesRequest(base, { headers: {}, responses: { stored: true, previousResponseId: 'resp_1' } });
    expect(followUp.messages).toHaveLength(2);
    expect(followUp.warnings).toEqual([]);
    expect(followUp.extras['openai-responses']).toMatchObject({ store: true, previous_response_id: 'resp_1' });
    // An id other than the one expanded is not silently accepted.
    expect(() => decodeOpenAIResponsesRequest({ ...base, previous_response_id: 'resp_2' }, { headers: {}, responses: { stored: true, previousResponseId: 'resp_1' } })).toThrow(CodecError);
    expect(decodeOpenAIResponsesRequest({ model: 'm', input: 'x', store: true }, { headers: {}, responses: { stored: true } }).warnings).toEqual([]);
  });

  it('names the field of bad input', () => {
    const cases: Array<[unknown, string | undefined]> = [
      [[], undefined],
      [{ input: 'x' }, 'model'],
      [{ model: 'm' }, 'input'],
      [{ model: 'm', input: 3 }, 'input'],
      [{ model: 'm', input: [3] }, 'input[0]'],
      [{ model: 'm', input: [{ role: 'robot', content: 'x' }] }, 'input[0].role'],
      [{ model: 'm', input: [{ role: 'user', content: 5 }] }, 'input[0].content'],
      [{ model: 'm', input: [{ type: 'function_call', call_id: 'c', name: 'f', arguments: { a: 1 } }] }, 'input[0].arguments'],
      [{ model: 'm', input: [{ type: 'function_call_output', output: 'x' }] }, 'input[0].call_id'],
      [{ model: 'm', input: [{ role: 'user', content: [{ type: 'input_image' }] }] }, 'input[0].content[0]'],
      [{ model: 'm', input: 'x', tools: {} }, 'tools'],
      [{ model: 'm', input: 'x', tools: [{ type: 'function' }] }, 'tools[0].name'],
      [{ model: 'm', input: 'x', tool_choice: 7 }, 'tool_choice'],
      [{ model: 'm', input: 'x', max_output_tokens: 'many' }, 'max_output_tokens'],
      [{ model: 'm', input: 'x', max_output_tokens: 0 }, 'max_output_tokens'],
      [{ model: 'm', input: 'x', temperature: '1' }, 'temperature'],
      [{ model: 'm', input: 'x', reasoning: { effort: 'huge' } }, 'reasoning.effort'],
      [{ model: 'm', input: 'x', text: { format: { type: 'yaml' } } }, 'text.format.type'],
      [{ model: 'm', input: 'x', text: { format: { type: 'json_schema', name: 'n' } } }, 'text.format.schema'],
      [{ model: 'm', input: 'x', stream: 'yes' }, 'stream'],
    ];
    for (const [body, param] of cases) {
      let thrown: unknown;
      try {
        decode(body);
      } catch (error) {
        thrown = error;
      }
      expect(thrown, JSON.stringify(body)).toBeInstanceOf(CodecError);
      expect((thrown as CodecError).param, JSON.stringify(body)).toBe(param);
    }
  });

  it('warns about a function_call_output with no matching call and leaves its tool name empty', () => {
    const request = decode({ model: 'm', input: [{ type: 'function_call_output', call_id: 'call_9', output: 'x' }] });
    expect(request.messages[0]!.parts[0]).toMatchObject({ type: 'tool-result', toolCallId: 'call_9', toolName: '' });
    expect(request.warnings[0]).toMatchObject({ type: 'coerced', feature: 'function_call_output' });
  });

  it('turns a percent-encoded data URI into base64', () => {
    const request = decode({ model: 'm', input: [{ role: 'user', content: [{ type: 'input_file', file_data: 'data:text/plain,h%C3%A9llo' }] }] });
    expect(request.messages[0]!.parts[0]).toEqual({ type: 'file', mediaType: 'text/plain', source: { kind: 'base64', data: Buffer.from('héllo').toString('base64') } });
  });
});
