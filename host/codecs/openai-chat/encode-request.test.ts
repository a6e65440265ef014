import { describe, expect, it } from 'vitest';
import type { IrRequest } from '../../ir/ir-request.js';
import { loadJson } from './__fixtures__/load-fixture.js';
import { decodeOpenAIChatRequest } from './decode-request.js';
import { encodeOpenAIChatRequest, isOpenAIReasoningModel } from './encode-request.js';

function ir(overrides: Partial<IrRequest> = {}): IrRequest {
  return {
    model: 'claude-sonnet-4-5',
    instructions: [],
    messages: [{ role: 'user', parts: [{ type: 'text', text: 'hi' }] }],
    tools: [],
    sampling: {},
    stream: false,
    extras: {},
    warnings: [],
    ...overrides,
  };
}

describe('encodeOpenAIChatRequest', () => {
  it('writes an OpenAI Chat client request back as it came (decode → encode)', () => {
    const body = loadJson('request-agent-turn.json');
    const encoded = encodeOpenAIChatRequest(decodeOpenAIChatRequest(body, { headers: {} }), body.model);
    // The one normalisation: a function without `parameters` gets the empty schema OpenAI implies.
    body.tools[1].function.parameters = { type: 'object', properties: {} };
    expect(encoded).toEqual(body);
  });

  it('translates an Anthropic-shaped request (Claude Code style) to Chat Completions', () => {
    const request = ir({
      instructions: [
        { type: 'text', text: 'You are Claude Code.', cacheControl: { type: 'ephemeral' } },
        { type: 'text', text: 'Project rules…' },
      ],
      messages: [
        { role: 'user', parts: [{ type: 'text', text: 'Fix the bug' }, { type: 'file', mediaType: 'image/png', source: { kind: 'base64', data: 'iVBO' } }] },
        {
          role: 'assistant',
          parts: [
            { type: 'reasoning', text: 'Look at the file first.', signature: { family: 'anthropic', value: 'EqQB…' } },
            { type: 'text', text: 'Reading it.' },
            { type: 'tool-call', toolCallId: 'toolu_01', toolName: 'Read', argumentsText: '{"path":"a.ts"}' },
          ],
        },
        {
          role: 'user',
          parts: [
            { type: 'tool-result', toolCallId: 'toolu_01', toolName: 'Read', content: [{ type: 'text', text: 'const a = 1;' }], isError: true },
            { type: 'text', text: 'Go on.' },
          ],
        },
      ],
      tools: [{ name: 'Read', description: 'Read a file', parameters: { type: 'object', properties: { path: { type: 'string' } } }, cacheControl: { type: 'ephemeral' } }],
      toolChoice: { type: 'tool', name: 'Read' },
      sampling: { maxOutputTokens: 32000, temperature: 1, topK: 40, stop: ['\n\nHuman:'] },
      reasoning: { budgetTokens: 10000 },
      stream: true,
      includeUsage: false,
      user: 'user_abc',
      extras: { anthropic: { metadata: { user_id: 'x' }, betas: ['interleaved-thinking'] } },
    });
    expect(encodeOpenAIChatRequest(request, 'gpt-5')).toEqual({
      model: 'gpt-5',
      messages: [
        { role: 'system', content: 'You are Claude Code.\n\nProject rules…' },
        { role: 'user', content: [{ type: 'text', text: 'Fix the bug' }, { type: 'image_url', image_url: { url: 'data:image/png;base64,iVBO' } }] },
        { role: 'assistant', content: 'Reading it.', tool_calls: [{ id: 'toolu_01', type: 'function', function: { name: 'Read', arguments: '{"path":"a.ts"}' } }] },
        { role: 'tool', tool_call_id: 'toolu_01', content: 'const a = 1;' },
        { role: 'user', content: 'Go on.' },
      ],
      tools: [{ type: 'function', function: { name: 'Read', description: 'Read a file', parameters: { type: 'object', properties: { path: { type: 'string' } } } } }],
      tool_choice: { type: 'function', function: { name: 'Read' } },
      max_completion_tokens: 32000,
      temperature: 1,
      stop: ['\n\nHuman:'],
      reasoning_effort: 'high',
      stream: true,
      stream_options: { include_usage: true },
      user: 'user_abc',
    });
    const features = request.warnings.map((warning) => warning.feature);
    expect(features).toEqual(expect.arrayContaining(['reasoning', 'tool_result.is_error', 'top_k', 'thinking budget', 'cache_control', 'anthropic extras', 'text blocks']));
    // A failover re-encode does not repeat them.
    const count = request.warnings.length;
    encodeOpenAIChatRequest(request, 'gpt-5');
    expect(request.warnings).toHaveLength(count);
  });

  it('uses max_tokens for non-reasoning models and sends no reasoning setting they would reject', () => {
    const request = ir({ sampling: { maxOutputTokens: 1024 }, reasoning: { budgetTokens: 2048 } });
    const body = encodeOpenAIChatRequest(request, 'deepseek-chat');
    expect(body.max_tokens).toBe(1024);
    expect(body).not.toHaveProperty('max_completion_tokens');
    expect(body).not.toHaveProperty('reasoning_effort');
    expect(request.warnings).toContainEqual(expect.objectContaining({ type: 'dropped', feature: 'thinking budget' }));
  });

  it('gives a budget the effort of the one table, between low and high', () => {
    const effort = (budgetTokens: number) => encodeOpenAIChatRequest(ir({ reasoning: { budgetTokens } }), 'o4-mini').reasoning_effort;
    expect([1024, 2048, 8192, 16384, 24576, 64000].map(effort)).toEqual(['low', 'low', 'medium', 'high', 'high', 'high']);
    expect([2049, 8193].map(effort)).toEqual(['medium', 'high']);
  });

  it('recognises OpenAI reasoning models, with or without a provider prefix', () => {
    for (const model of ['o1', 'o3-mini', 'o4-mini', 'gpt-5', 'gpt-5.1-codex', 'openai/gpt-5-mini']) expect(isOpenAIReasoningModel(model)).toBe(true);
    for (const model of ['gpt-4o', 'gpt-4.1-mini', 'deepseek-reasoner', 'llama3.1:8b', 'omni-moderation-latest']) expect(isOpenAIReasoningModel(model)).toBe(false);
  });

  it('writes files by media type: images as image_url, audio as input_audio, PDFs as file, ids as file_id', () => {
    const body = encodeOpenAIChatRequest(
      ir({
        messages: [
          {
            role: 'user',
            parts: [
              { type: 'file', source: { kind: 'url', url: 'https://example.com/x' } },
              { type: 'file', mediaType: 'audio/mpeg', source: { kind: 'base64', data: 'SUQz' } },
              { type: 'file', mediaType: 'application/pdf', source: { kind: 'base64', data: 'JVBE' } },
              { type: 'file', mediaType: 'application/pdf', source: { kind: 'file-id', id: 'file-1' } },
              { type: 'file', mediaType: 'application/pdf', source: { kind: 'url', url: 'https://example.com/a.pdf' } },
            ],
          },
        ],
      }),
      'gpt-4o',
    );
    expect((body.messages as Array<{ content: unknown }>)[0]?.content).toEqual([
      { type: 'image_url', image_url: { url: 'https://example.com/x' } },
      { type: 'input_audio', input_audio: { data: 'SUQz', format: 'mp3' } },
      { type: 'file', file: { filename: 'document.pdf', file_data: 'data:application/pdf;base64,JVBE' } },
      { type: 'file', file: { file_id: 'file-1' } },
    ]);
  });

  it('keeps mid-conversation system turns in place', () => {
    const body = encodeOpenAIChatRequest(
      ir({
        instructions: [{ type: 'text', text: 'A' }],
        messages: [
          { role: 'user', parts: [{ type: 'text', text: 'q1' }] },
          { role: 'system', parts: [{ type: 'text', text: 'B' }] },
          { role: 'user', parts: [{ type: 'text', text: 'q2' }] },
        ],
      }),
      'gpt-4o',
    );
    expect(body.messages).toEqual([
      { role: 'system', content: 'A' },
      { role: 'user', content: 'q1' },
      { role: 'system', content: 'B' },
      { role: 'user', content: 'q2' },
    ]);
  });

  it('drops tool_choice when there are no tools (OpenAI rejects it)', () => {
    const request = ir({ toolChoice: { type: 'none' } });
    expect(encodeOpenAIChatRequest(request, 'gpt-4o')).not.toHaveProperty('tool_choice');
    expect(request.warnings).toContainEqual(expect.objectContaining({ feature: 'tool_choice' }));
  });

  it('maps response formats and effort, and writes a non-streaming request without stream fields', () => {
    const body = encodeOpenAIChatRequest(ir({ responseFormat: { type: 'json-schema', schema: { type: 'object' } }, reasoning: { effort: 'high' } }), 'o3');
    expect(body.response_format).toEqual({ type: 'json_schema', json_schema: { name: 'response', schema: { type: 'object' } } });
    expect(body.reasoning_effort).toBe('high');
    expect(body).not.toHaveProperty('stream');
    expect(encodeOpenAIChatRequest(ir({ responseFormat: { type: 'json' } }), 'gpt-4o').response_format).toEqual({ type: 'json_object' });
  });

  it('drops a web search with a warning: Chat Completions has no general web search tool', () => {
    const request = ir({ serverTools: [{ kind: 'web-search', maxUses: 2 }], tools: [{ name: 'f', parameters: { type: 'object' } }] });
    const body = encodeOpenAIChatRequest(request, 'gpt-4o');
    expect(body.tools).toEqual([expect.objectContaining({ type: 'function' })]);
    expect(body).not.toHaveProperty('web_search_options');
    expect(request.warnings).toEqual([expect.objectContaining({ type: 'dropped', feature: 'web_search' })]);
  });
});
