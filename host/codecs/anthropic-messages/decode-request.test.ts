import { describe, expect, it } from 'vitest';
import { CodecError } from '../codec-types.js';
import { decodeAnthropicRequest } from './decode-request.js';
import { readJsonFixture } from './__fixtures__/fixtures.js';

const context = { headers: {} };

describe('decodeAnthropicRequest', () => {
  it('decodes a Claude Code request: system blocks, tools, thinking, images, tool turns', () => {
    const request = decodeAnthropicRequest(readJsonFixture('claude-code-request.json'), context);
    expect(request.model).toBe('claude-sonnet-4-5-20250929');
    expect(request.stream).toBe(true);
    expect(request.user).toBe('user_4f1c2a_account__session_9b7e');
    expect(request.sampling).toEqual({ maxOutputTokens: 32000 });
    expect(request.reasoning).toEqual({ budgetTokens: 10000, effort: 'high' });
    expect(request.instructions).toEqual([
      { type: 'text', text: "You are Claude Code, Anthropic's official CLI for Claude." },
      { type: 'text', text: 'Working directory: /home/dev/project. Use the tools to read and edit files.', cacheControl: { type: 'ephemeral' } },
    ]);
    expect(request.tools.map((tool) => [tool.name, tool.cacheControl])).toEqual([
      ['Read', undefined],
      ['Bash', { type: 'ephemeral', ttl: '1h' }],
    ]);
    expect(request.toolChoice).toEqual({ type: 'auto' });
    expect(request.parallelToolCalls).toBe(true);
    expect(request.messages.map((message) => message.role)).toEqual(['user', 'assistant', 'tool', 'user']);
    const [user, assistant, tool, followUp] = request.messages;
    expect(user!.parts[1]).toEqual({ type: 'file', mediaType: 'image/png', source: { kind: 'base64', data: expect.stringMatching(/^iVBOR/) } });
    expect(user!.parts[2]).toEqual({ type: 'file', source: { kind: 'url', url: 'https://example.com/diagram.jpg' } });
    expect(assistant!.parts).toEqual([
      { type: 'reasoning', text: expect.stringContaining('Ünïcödé'), signature: { family: 'anthropic', value: expect.stringMatching(/^EqQB/) } },
      { type: 'reasoning', text: '', redacted: true, signature: { family: 'anthropic', value: expect.stringMatching(/^EmwK/) } },
      { type: 'text', text: 'Let me read it.' },
      { type: 'tool-call', toolCallId: 'toolu_01A09q90qw90lq917835lq9', toolName: 'Read', argumentsText: '{"file_path":"/home/dev/project/package.json"}' },
      { type: 'tool-call', toolCallId: 'toolu_01B7z8y6x5w4v3u2t1s0r9q', toolName: 'Bash', argumentsText: '{"command":"ls -la"}' },
    ]);
    expect(tool!.parts).toEqual([
      { type: 'tool-result', toolCallId: 'toolu_01A09q90qw90lq917835lq9', toolName: 'Read', content: [{ type: 'text', text: expect.stringContaining('"demo"') }] },
      {
        type: 'tool-result', toolCallId: 'toolu_01B7z8y6x5w4v3u2t1s0r9q', toolName: 'Bash', isError: true, cacheControl: { type: 'ephemeral' },
        content: [{ type: 'text', text: 'ls: cannot access: Permission denied' }, { type: 'text', text: 'exit code 2' }],
      },
    ]);
    expect(followUp!.parts).toEqual([{ type: 'text', text: 'Now summarise it.' }]);
    expect(request.warnings).toEqual([]);
    expect(request.extras).toEqual({});
  });

  it('maps tool_choice any/tool/none and disable_parallel_tool_use', () => {
    const base = { model: 'claude-haiku-4-5', max_tokens: 10, messages: [{ role: 'user', content: 'hi' }] };
    expect(decodeAnthropicRequest({ ...base, tool_choice: { type: 'any', disable_parallel_tool_use: true } }, context)).toMatchObject({ toolChoice: { type: 'required' }, parallelToolCalls: false });
    expect(decodeAnthropicRequest({ ...base, tool_choice: { type: 'tool', name: 'x' } }, context).toolChoice).toEqual({ type: 'tool', name: 'x' });
    expect(decodeAnthropicRequest({ ...base, tool_choice: { type: 'none' } }, context).toolChoice).toEqual({ type: 'none' });
  });

  it('maps thinking disabled / adaptive, sampling, stop sequences and keeps unknown fields in extras', () => {
    const request = decodeAnthropicRequest(
      {
        model: 'claude-opus-4-5', max_tokens: 100, temperature: 0.2, top_p: 0.9, top_k: 40, stop_sequences: ['END'],
        thinking: { type: 'disabled' }, service_tier: 'auto', container: 'c_1', messages: [{ role: 'user', content: 'hi' }],
        metadata: { user_id: 'u1' },
      },
      context,
    );
    expect(request.sampling).toEqual({ maxOutputTokens: 100, temperature: 0.2, topP: 0.9, topK: 40, stop: ['END'] });
    expect(request.reasoning).toEqual({ disabled: true, effort: 'none' });
    expect(request.extras.anthropic).toEqual({ service_tier: 'auto', container: 'c_1' });
    const adaptive = decodeAnthropicRequest(
      { model: 'claude-opus-4-6', max_tokens: 100, thinking: { type: 'adaptive' }, output_config: { effort: 'max' }, messages: [{ role: 'user', content: 'hi' }] },
      context,
    );
    expect(adaptive.reasoning).toEqual({ effort: 'xhigh' });
    expect(adaptive.extras.anthropic).toEqual({ thinking: { type: 'adaptive' }, output_config: { effort: 'max' } });
    expect(adaptive.warnings.map((w) => w.feature)).toEqual(['thinking', 'output_config.effort']);
  });

  it('decodes web search as an IR server tool, keeps other server tools for an Anthropic upstream and warns; decodes documents and structured output', () => {
    const request = decodeAnthropicRequest(
      {
        model: 'claude-sonnet-4-5', max_tokens: 100,
        tools: [
          { type: 'web_search_20250305', name: 'web_search', max_uses: 3, blocked_domains: ['example.com'], user_location: { type: 'approximate', city: 'Paris', country: 'FR' } },
          { type: 'code_execution_20250522', name: 'code_execution' },
          { name: 'f', input_schema: { type: 'object' }, strict: true },
        ],
        output_config: { format: { type: 'json_schema', schema: { type: 'object' } } },
        messages: [{ role: 'user', content: [
          { type: 'document', source: { type: 'base64', media_type: 'application/pdf', data: 'JVBERi0=' } },
          { type: 'document', source: { type: 'text', media_type: 'text/plain', data: 'plain ✓' } },
        ] }],
      },
      context,
    );
    expect(request.tools).toEqual([{ name: 'f', parameters: { type: 'object' }, strict: true }]);
    // Web search is every family's (each runs its own); other server tools stay Anthropic's.
    expect(request.serverTools).toEqual([{ kind: 'web-search', maxUses: 3, blockedDomains: ['example.com'], userLocation: { city: 'Paris', country: 'FR' } }]);
    expect(request.extras.anthropic).toEqual({ serverTools: [{ type: 'code_execution_20250522', name: 'code_execution' }] });
    expect(request.warnings[0]).toMatchObject({ type: 'unsupported', feature: 'tool code_execution_20250522' });
    expect(request.responseFormat).toEqual({ type: 'json-schema', schema: { type: 'object' } });
    expect(request.messages[0]!.parts).toEqual([
      { type: 'file', mediaType: 'application/pdf', source: { kind: 'base64', data: 'JVBERi0=' } },
      { type: 'file', mediaType: 'text/plain', source: { kind: 'base64', data: Buffer.from('plain ✓').toString('base64') } },
    ]);
  });

  it('accepts mid-conversation system messages and wrapped foreign signatures', () => {
    const request = decodeAnthropicRequest(
      {
        model: 'm', max_tokens: 1,
        messages: [
          { role: 'user', content: 'a' },
          { role: 'assistant', content: [{ type: 'thinking', thinking: 't', signature: 'localgate.gemini.CiQB' }, { type: 'text', text: 'b' }] },
          { role: 'system', content: 'Be brief from now on.' },
          { role: 'user', content: 'c' },
        ],
      },
      context,
    );
    expect(request.messages[1]!.parts[0]).toEqual({ type: 'reasoning', text: 't', signature: { family: 'gemini', value: 'CiQB' } });
    expect(request.messages[2]).toEqual({ role: 'system', parts: [{ type: 'text', text: 'Be brief from now on.' }] });
  });

  it('throws CodecError naming the field on bad input', () => {
    const bad = (body: unknown) => () => decodeAnthropicRequest(body, context);
    expect(bad(null)).toThrow(CodecError);
    expect(bad({ messages: [] })).toThrow(/`model`/);
    expect(bad({ model: 'm' })).toThrow(/`messages`/);
    expect(bad({ model: 'm', messages: [{ role: 'bot', content: 'x' }] })).toThrow(/messages\[0\]\.role/);
    expect(bad({ model: 'm', messages: [{ role: 'user', content: 5 }] })).toThrow(/messages\[0\]\.content/);
    expect(bad({ model: 'm', messages: [], system: [{ type: 'image' }] })).toThrow(/system\[0\]/);
    expect(bad({ model: 'm', messages: [], max_tokens: 'lots' })).toThrow(/max_tokens/);
    expect(bad({ model: 'm', messages: [], thinking: { type: 'enabled' } })).toThrow(/budget_tokens/);
    expect(bad({ model: 'm', messages: [{ role: 'user', content: [{ type: 'tool_result' }] }] })).toThrow(/tool_use_id/);
    try {
      bad({ model: 'm', messages: [], tools: [{ input_schema: {} }] })();
    } catch (error) {
      expect((error as CodecError).param).toBe('tools[0].name');
    }
  });
});
