import { describe, expect, it } from 'vitest';
import type { IrMessage, IrRequest } from '../../ir/ir-request.js';
import { defaultMaxTokens, encodeAnthropicRequest } from './encode-request.js';

function irRequest(overrides: Partial<IrRequest> = {}): IrRequest {
  return { model: 'gpt-4o', instructions: [], messages: [{ role: 'user', parts: [{ type: 'text', text: 'hi' }] }], tools: [], sampling: {}, stream: false, extras: {}, warnings: [], ...overrides };
}

const features = (request: IrRequest) => request.warnings.map((w) => w.feature);

describe('defaultMaxTokens', () => {
  it('gives 8192 to the 3.5+/4 families and 4096 to Claude 3 and unknown models; overrides first', () => {
    expect(defaultMaxTokens('claude-sonnet-4-5-20250929')).toBe(8192);
    expect(defaultMaxTokens('claude-opus-4-1')).toBe(8192);
    expect(defaultMaxTokens('us.anthropic.claude-haiku-4-5-20251001-v1:0')).toBe(8192);
    expect(defaultMaxTokens('claude-3-7-sonnet-latest')).toBe(8192);
    expect(defaultMaxTokens('claude-3-5-haiku-latest')).toBe(8192);
    expect(defaultMaxTokens('claude-3-haiku-20240307')).toBe(4096);
    expect(defaultMaxTokens('claude-3-opus-20240229')).toBe(4096);
    expect(defaultMaxTokens('claude-mythos-5')).toBe(8192);
    expect(defaultMaxTokens('some-local-model')).toBe(4096);
    expect(defaultMaxTokens('claude-sonnet-4-5', [[/sonnet/, 64000]])).toBe(64000);
  });
});

describe('encodeAnthropicRequest', () => {
  it('always sends max_tokens: the IR value, else the per-model default', () => {
    expect(encodeAnthropicRequest(irRequest({ sampling: { maxOutputTokens: 123 } }), 'claude-sonnet-4-5').max_tokens).toBe(123);
    expect(encodeAnthropicRequest(irRequest(), 'claude-sonnet-4-5').max_tokens).toBe(8192);
    expect(encodeAnthropicRequest(irRequest(), 'claude-3-haiku-20240307').max_tokens).toBe(4096);
    expect(encodeAnthropicRequest(irRequest(), 'claude-sonnet-4-5', { maxTokensOverrides: [[/sonnet/, 1000]] }).max_tokens).toBe(1000);
  });

  it('folds OpenAI-style tool turns into one user turn, tool results first, the next user text included', () => {
    const messages: IrMessage[] = [
      { role: 'user', parts: [{ type: 'text', text: 'Weather in Paris and Rome?' }] },
      { role: 'assistant', parts: [
        { type: 'text', text: 'Checking.' },
        { type: 'tool-call', toolCallId: 'call_1', toolName: 'weather', argumentsText: '{"city":"Paris"}' },
        { type: 'tool-call', toolCallId: 'call_2', toolName: 'weather', argumentsText: '{"city":"Rome"}' },
      ] },
      { role: 'tool', parts: [{ type: 'tool-result', toolCallId: 'call_1', toolName: 'weather', content: [{ type: 'text', text: '18C' }] }] },
      { role: 'tool', parts: [{ type: 'tool-result', toolCallId: 'call_2', toolName: 'weather', content: [{ type: 'text', text: '25C' }], isError: false }] },
      { role: 'user', parts: [{ type: 'text', text: 'Thanks, and tomorrow?' }] },
    ];
    const body = encodeAnthropicRequest(irRequest({ messages }), 'claude-sonnet-4-5');
    expect(body.messages).toEqual([
      { role: 'user', content: [{ type: 'text', text: 'Weather in Paris and Rome?' }] },
      { role: 'assistant', content: [
        { type: 'text', text: 'Checking.' },
        { type: 'tool_use', id: 'call_1', name: 'weather', input: { city: 'Paris' } },
        { type: 'tool_use', id: 'call_2', name: 'weather', input: { city: 'Rome' } },
      ] },
      { role: 'user', content: [
        { type: 'tool_result', tool_use_id: 'call_1', content: '18C' },
        { type: 'tool_result', tool_use_id: 'call_2', content: '25C' },
        { type: 'text', text: 'Thanks, and tomorrow?' },
      ] },
    ]);
  });

  it('puts tool results before other blocks even when a tool turn follows user text', () => {
    const body = encodeAnthropicRequest(irRequest({ messages: [
      { role: 'assistant', parts: [{ type: 'tool-call', toolCallId: 'c', toolName: 't', argumentsText: '{}' }] },
      { role: 'user', parts: [{ type: 'text', text: 'note' }, { type: 'tool-result', toolCallId: 'c', toolName: 't', content: [] }] },
      { role: 'tool', parts: [{ type: 'tool-result', toolCallId: 'd', toolName: 't', content: [{ type: 'text', text: 'x' }, { type: 'text', text: 'y' }] }] },
    ] }), 'claude-sonnet-4-5');
    expect(body.messages[1]).toEqual({ role: 'user', content: [
      { type: 'tool_result', tool_use_id: 'c' },
      { type: 'tool_result', tool_use_id: 'd', content: [{ type: 'text', text: 'x' }, { type: 'text', text: 'y' }] },
      { type: 'text', text: 'note' },
    ] });
  });

  it('appends mid-conversation system messages to the system prompt with a warning; leading ones silently', () => {
    const body = encodeAnthropicRequest(irRequest({
      instructions: [{ type: 'text', text: 'Base.', cacheControl: { type: 'ephemeral' } }],
      messages: [
        { role: 'system', parts: [{ type: 'text', text: 'Developer note.' }] },
        { role: 'user', parts: [{ type: 'text', text: 'hi' }] },
        { role: 'assistant', parts: [{ type: 'text', text: 'hello' }] },
        { role: 'system', parts: [{ type: 'text', text: 'Now answer in French.' }] },
        { role: 'user', parts: [{ type: 'text', text: 'bye' }] },
      ],
    }), 'claude-sonnet-4-5');
    expect(body.system).toEqual([
      { type: 'text', text: 'Base.', cache_control: { type: 'ephemeral' } },
      { type: 'text', text: 'Developer note.' },
      { type: 'text', text: 'Now answer in French.' },
    ]);
    expect(body.messages.map((m) => m.role)).toEqual(['user', 'assistant', 'user']);
    const request = irRequest({ messages: [{ role: 'system', parts: [{ type: 'text', text: 'S' }] }, { role: 'user', parts: [{ type: 'text', text: 'q' }] }] });
    expect(encodeAnthropicRequest(request, 'claude-sonnet-4-5').system).toBe('S');
    expect(request.warnings).toEqual([]);
  });

  it('sends only Anthropic-signed reasoning back; drops others with a warning', () => {
    const request = irRequest({ messages: [
      { role: 'user', parts: [{ type: 'text', text: 'q' }] },
      { role: 'assistant', parts: [
        { type: 'reasoning', text: 'mine', signature: { family: 'anthropic', value: 'SIG' } },
        { type: 'reasoning', text: '', redacted: true, signature: { family: 'anthropic', value: 'DATA' } },
        { type: 'reasoning', text: 'gemini thought', signature: { family: 'gemini', value: 'G' } },
        { type: 'reasoning', text: 'openai summary' },
        { type: 'tool-call', toolCallId: 'c', toolName: 't', argumentsText: '{"a":1}', signature: { family: 'gemini', value: 'G2' } },
      ] },
    ] });
    const body = encodeAnthropicRequest(request, 'claude-sonnet-4-5');
    expect(body.messages[1]!.content).toEqual([
      { type: 'thinking', thinking: 'mine', signature: 'SIG' },
      { type: 'redacted_thinking', data: 'DATA' },
      { type: 'tool_use', id: 'c', name: 't', input: { a: 1 } },
    ]);
    expect(JSON.stringify(body)).not.toContain('"G');
    expect(features(request)).toEqual(['reasoning', 'reasoning', 'tool call signature']);
  });

  it('opens a tool-use turn with its thinking blocks, wherever the history put them', () => {
    const thinking = { type: 'reasoning' as const, text: 'plan', signature: { family: 'anthropic' as const, value: 'SIG' } };
    const toolTurn = irRequest({ messages: [
      { role: 'user', parts: [{ type: 'text', text: 'q' }] },
      { role: 'assistant', parts: [{ type: 'text', text: 'Looking.' }, thinking, { type: 'tool-call', toolCallId: 'c', toolName: 't', argumentsText: '{}' }] },
    ] });
    expect(encodeAnthropicRequest(toolTurn, 'claude-sonnet-4-5').messages[1]!.content).toEqual([
      { type: 'thinking', thinking: 'plan', signature: 'SIG' },
      { type: 'text', text: 'Looking.' },
      { type: 'tool_use', id: 'c', name: 't', input: {} },
    ]);
    // A turn without tool use keeps its order.
    const textTurn = irRequest({ messages: [{ role: 'assistant', parts: [{ type: 'text', text: 'a' }, thinking] }] });
    expect((encodeAnthropicRequest(textTurn, 'claude-sonnet-4-5').messages[0]!.content as Array<{ type: string }>).map((block) => block.type)).toEqual(['text', 'thinking']);
  });

  it('parses tool arguments; empty is {}, anything else not an object is wrapped as _raw with a warning', () => {
    const request = irRequest({ messages: [{ role: 'assistant', parts: [
      { type: 'tool-call', toolCallId: 'a', toolName: 't', argumentsText: '' },
      { type: 'tool-call', toolCallId: 'b', toolName: 't', argumentsText: '{"x": ' },
      { type: 'tool-call', toolCallId: 'c', toolName: 't', argumentsText: '[1,2]' },
    ] }] });
    const body = encodeAnthropicRequest(request, 'claude-sonnet-4-5');
    expect((body.messages[0]!.content as any[]).map((block) => block.input)).toEqual([{}, { _raw: '{"x": ' }, { _raw: '[1,2]' }]);
    expect(features(request)).toEqual(['tool_use.input']);
  });

  it('maps effort to a budget with a warning and raises a defaulted max_tokens above it', () => {
    const request = irRequest({ reasoning: { effort: 'high' } });
    const body = encodeAnthropicRequest(request, 'claude-sonnet-4-5');
    expect(body.thinking).toEqual({ type: 'enabled', budget_tokens: 16384 });
    expect(body.max_tokens).toBe(16384 + 4096);
    expect(request.warnings).toEqual([{ type: 'coerced', feature: 'reasoning effort', details: 'effort high sent as thinking.budget_tokens 16384' }]);
    expect(encodeAnthropicRequest(irRequest({ reasoning: { effort: 'none' } }), 'claude-sonnet-4-5').thinking).toEqual({ type: 'disabled' });
    expect(encodeAnthropicRequest(irRequest({ reasoning: { budgetTokens: 500 } }), 'claude-sonnet-4-5').thinking).toEqual({ type: 'enabled', budget_tokens: 1024 });
  });

  it('applies the thinking constraints with warnings', () => {
    const lowered = irRequest({ reasoning: { budgetTokens: 8000 }, sampling: { maxOutputTokens: 4000, temperature: 0.3, topK: 5, topP: 0.5 } });
    const body = encodeAnthropicRequest(lowered, 'claude-sonnet-4-5');
    expect(body).toMatchObject({ max_tokens: 4000, thinking: { type: 'enabled', budget_tokens: 3000 } });
    expect(body.temperature).toBeUndefined();
    expect(body.top_k).toBeUndefined();
    expect(body.top_p).toBeUndefined();
    expect(features(lowered)).toEqual(['thinking.budget_tokens', 'temperature', 'top_k', 'top_p']);

    const tiny = irRequest({ reasoning: { budgetTokens: 2000 }, sampling: { maxOutputTokens: 1000 } });
    expect(encodeAnthropicRequest(tiny, 'claude-sonnet-4-5').thinking).toBeUndefined();

    const forced = irRequest({ reasoning: { effort: 'low' }, tools: [{ name: 't', parameters: {} }], toolChoice: { type: 'required' } });
    const forcedBody = encodeAnthropicRequest(forced, 'claude-sonnet-4-5');
    expect(forcedBody.thinking).toBeUndefined();
    expect(forcedBody.tool_choice).toEqual({ type: 'any' });
    expect(forcedBody.tools).toEqual([{ name: 't', input_schema: { type: 'object' } }]);

    // A tool loop whose assistant turn came from another family has no signed thinking to continue.
    const loop = irRequest({ reasoning: { budgetTokens: 2048 }, messages: [
      { role: 'user', parts: [{ type: 'text', text: 'q' }] },
      { role: 'assistant', parts: [{ type: 'reasoning', text: 'unsigned' }, { type: 'tool-call', toolCallId: 'c', toolName: 't', argumentsText: '{}' }] },
      { role: 'tool', parts: [{ type: 'tool-result', toolCallId: 'c', toolName: 't', content: [{ type: 'text', text: 'r' }] }] },
    ] });
    expect(encodeAnthropicRequest(loop, 'claude-sonnet-4-5').thinking).toBeUndefined();
    expect(loop.warnings.find((w) => w.feature === 'thinking')?.details).toMatch(/tool turn/);
  });

  it('maps tool choice, parallel calls, sampling, user, response format; warns on what Anthropic lacks', () => {
    const request = irRequest({
      tools: [{ name: 't', description: 'd', parameters: { type: 'object', properties: {} }, strict: true }],
      parallelToolCalls: false,
      sampling: { temperature: 1.5, topP: 0.9, topK: 3, stop: ['x'], seed: 1, presencePenalty: 0.1, frequencyPenalty: 0.2 },
      user: 'u-1',
      responseFormat: { type: 'json-schema', name: 'out', schema: { type: 'object' } },
      stream: true,
      extras: { 'openai-chat': { logprobs: true } },
    });
    const body = encodeAnthropicRequest(request, 'claude-sonnet-4-5');
    expect(body).toMatchObject({
      tool_choice: { type: 'auto', disable_parallel_tool_use: true },
      temperature: 1, top_p: 0.9, top_k: 3, stop_sequences: ['x'],
      metadata: { user_id: 'u-1' },
      output_config: { format: { type: 'json_schema', schema: { type: 'object' } } },
      stream: true,
    });
    expect(body.tools).toEqual([{ name: 't', description: 'd', input_schema: { type: 'object', properties: {} } }]);
    expect(features(request)).toEqual(['openai-chat fields', 'tool strict', 'temperature', 'seed', 'presence_penalty', 'frequency_penalty']);
  });

  it('sends no tool_choice without tools (warning when a tool was required)', () => {
    const request = irRequest({ toolChoice: { type: 'required' }, parallelToolCalls: false });
    expect(encodeAnthropicRequest(request, 'claude-sonnet-4-5')).not.toHaveProperty('tool_choice');
    expect(features(request)).toEqual(['tool_choice']);
  });

  it('encodes files: images, PDFs and plain text; drops other types with a warning', () => {
    const request = irRequest({ messages: [{ role: 'user', parts: [
      { type: 'file', mediaType: 'image/jpeg', source: { kind: 'base64', data: '/9j/' } },
      { type: 'file', source: { kind: 'url', url: 'https://x/y.png' } },
      { type: 'file', mediaType: 'application/pdf', source: { kind: 'url', url: 'https://x/doc.pdf' }, cacheControl: { type: 'ephemeral' } },
      { type: 'file', mediaType: 'text/plain', source: { kind: 'base64', data: Buffer.from('héllo').toString('base64') } },
      { type: 'file', mediaType: 'audio/wav', source: { kind: 'base64', data: 'UklG' } },
    ] }] });
    expect(encodeAnthropicRequest(request, 'claude-sonnet-4-5').messages[0]!.content).toEqual([
      { type: 'image', source: { type: 'base64', media_type: 'image/jpeg', data: '/9j/' } },
      { type: 'image', source: { type: 'url', url: 'https://x/y.png' } },
      { type: 'document', source: { type: 'url', url: 'https://x/doc.pdf' }, cache_control: { type: 'ephemeral' } },
      { type: 'document', source: { type: 'text', media_type: 'text/plain', data: 'héllo' } },
    ]);
    expect(features(request)).toEqual(['file']);
  });

  it('keeps at most four cache breakpoints', () => {
    const cached = { type: 'ephemeral' as const };
    const request = irRequest({
      instructions: [1, 2, 3].map((n) => ({ type: 'text' as const, text: `s${n}`, cacheControl: cached })),
      messages: [{ role: 'user', parts: [{ type: 'text', text: 'a', cacheControl: cached }, { type: 'text', text: 'b', cacheControl: cached }] }],
    });
    const body = encodeAnthropicRequest(request, 'claude-sonnet-4-5');
    expect(JSON.stringify(body).match(/cache_control/g)).toHaveLength(4);
    expect(features(request)).toEqual(['cache_control']);
  });

  it('writes Anthropic extras back: server tools, adaptive thinking, other fields', () => {
    const body = encodeAnthropicRequest(irRequest({
      reasoning: { effort: 'xhigh' },
      extras: { anthropic: { serverTools: [{ type: 'web_search_20250305', name: 'web_search' }], thinking: { type: 'adaptive' }, output_config: { effort: 'max' }, service_tier: 'auto' } },
    }), 'claude-opus-4-6');
    expect(body).toMatchObject({ tools: [{ type: 'web_search_20250305', name: 'web_search' }], thinking: { type: 'adaptive' }, output_config: { effort: 'max' }, service_tier: 'auto' });
    expect(body).not.toHaveProperty('serverTools');
  });
});
