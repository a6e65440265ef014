import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import type { IrMessage, IrRequest } from '../../ir/ir-request.js';
import { encodeGeminiRequest } from './encode-request.js';
import { SKIP_THOUGHT_SIGNATURE_VALIDATOR } from './signature.js';

function irRequest(overrides: Partial<IrRequest> = {}): IrRequest {
  return { model: 'client-model', instructions: [], messages: [], tools: [], sampling: {}, stream: false, extras: {}, warnings: [], ...overrides };
}

const toolTurn: IrMessage[] = [
  { role: 'user', parts: [{ type: 'text', text: 'Weather in SF and Paris?' }] },
  {
    role: 'assistant',
    parts: [
      { type: 'text', text: 'Checking.' },
      { type: 'tool-call', toolCallId: 'call_a', toolName: 'weather', argumentsText: '{"city":"SF"}' },
      { type: 'tool-call', toolCallId: 'call_b', toolName: 'weather', argumentsText: '{"city":"Paris"}' },
    ],
  },
  {
    role: 'tool',
    parts: [
      { type: 'tool-result', toolCallId: 'call_a', toolName: 'weather', content: [{ type: 'text', text: '{"temp": 18, "sky": "fog"}' }] },
      { type: 'tool-result', toolCallId: 'call_b', toolName: 'weather', content: [{ type: 'text', text: 'Sunny, 25°C' }] },
    ],
  },
];

describe('encodeGeminiRequest', () => {
  it('writes instructions, contents, sampling and max tokens', () => {
    const body = encodeGeminiRequest(
      irRequest({
        instructions: [
          { type: 'text', text: 'Be brief.' },
          { type: 'text', text: 'Use French.', cacheControl: { type: 'ephemeral' } },
        ],
        messages: [{ role: 'user', parts: [{ type: 'text', text: 'Hi' }] }],
        sampling: { maxOutputTokens: 100, temperature: 0.5, topP: 0.9, topK: 20, stop: ['END'], seed: 1, presencePenalty: 0.1, frequencyPenalty: 0.2 },
      }),
      'gemini-2.5-flash',
    );
    expect(body).toEqual({
      contents: [{ role: 'user', parts: [{ text: 'Hi' }] }],
      systemInstruction: { parts: [{ text: 'Be brief.' }, { text: 'Use French.' }] },
      generationConfig: { maxOutputTokens: 100, temperature: 0.5, topP: 0.9, topK: 20, stopSequences: ['END'], seed: 1, presencePenalty: 0.1, frequencyPenalty: 0.2 },
    });
  });

  it('warns once about cache_control and sends a mid-conversation system turn as a user turn', () => {
    const request = irRequest({
      instructions: [{ type: 'text', text: 'Top', cacheControl: { type: 'ephemeral' } }],
      messages: [
        { role: 'user', parts: [{ type: 'text', text: 'Hi', cacheControl: { type: 'ephemeral' } }] },
        { role: 'assistant', parts: [{ type: 'text', text: 'Hello' }] },
        { role: 'system', parts: [{ type: 'text', text: 'Now answer in Spanish.' }] },
        { role: 'user', parts: [{ type: 'text', text: 'How are you?' }] },
      ],
    });
    const body = encodeGeminiRequest(request, 'gemini-2.5-flash');
    expect(body['contents']).toEqual([
      { role: 'user', parts: [{ text: 'Hi' }] },
      { role: 'model', parts: [{ text: 'Hello' }] },
      { role: 'user', parts: [{ text: 'Now answer in Spanish.' }, { text: 'How are you?' }] },
    ]);
    expect(request.warnings.map((w) => w.feature).sort()).toEqual(['cache_control', 'system-message']);
  });

  it('sends tool calls with ids and tool results as functionResponse objects', () => {
    const body = encodeGeminiRequest(irRequest({ messages: toolTurn }), 'gemini-2.5-flash');
    expect(body['contents']).toEqual([
      { role: 'user', parts: [{ text: 'Weather in SF and Paris?' }] },
      {
        role: 'model',
        parts: [
          { text: 'Checking.' },
          { functionCall: { id: 'call_a', name: 'weather', args: { city: 'SF' } } },
          { functionCall: { id: 'call_b', name: 'weather', args: { city: 'Paris' } } },
        ],
      },
      {
        role: 'user',
        parts: [
          { functionResponse: { id: 'call_a', name: 'weather', response: { temp: 18, sky: 'fog' } } },
          { functionResponse: { id: 'call_b', name: 'weather', response: { result: 'Sunny, 25°C' } } },
        ],
      },
    ]);
  });

  it('wraps error results, JSON arrays and look-alike objects, and finds a missing tool name by id', () => {
    const body = encodeGeminiRequest(
      irRequest({
        messages: [
          { role: 'assistant', parts: [{ type: 'tool-call', toolCallId: 'c1', toolName: 'run', argumentsText: '{}' }] },
          {
            role: 'tool',
            parts: [
              { type: 'tool-result', toolCallId: 'c1', toolName: '', content: [{ type: 'text', text: 'exit 1' }], isError: true },
              { type: 'tool-result', toolCallId: 'c1', toolName: 'run', content: [{ type: 'text', text: '[1,2]' }] },
              { type: 'tool-result', toolCallId: 'c1', toolName: 'run', content: [{ type: 'text', text: '{"result":"x"}' }] },
            ],
          },
        ],
      }),
      'gemini-2.5-flash',
    );
    const contents = body['contents'] as Array<{ parts: Array<{ functionResponse?: { name: string; response: unknown } }> }>;
    expect(contents[1]!.parts.map((part) => [part.functionResponse?.name, part.functionResponse?.response])).toEqual([
      ['run', { error: 'exit 1' }],
      ['run', { result: '[1,2]' }],
      ['run', { result: '{"result":"x"}' }],
    ]);
  });

  it('sends arguments that are not a JSON object as {_raw} with a warning, never {}', () => {
    const request = irRequest({ messages: [{ role: 'assistant', parts: [{ type: 'tool-call', toolCallId: 'c', toolName: 'f', argumentsText: '{"a":' }] }] });
    const body = encodeGeminiRequest(request, 'gemini-2.5-flash');
    expect((body['contents'] as any)[0].parts[0].functionCall.args).toEqual({ _raw: '{"a":' });
    expect(request.warnings).toContainEqual(expect.objectContaining({ type: 'coerced', feature: 'functionCall.args' }));
  });

  describe('thought signatures', () => {
    const signed: IrMessage[] = [
      { role: 'user', parts: [{ type: 'text', text: 'Go' }] },
      {
        role: 'assistant',
        parts: [
          { type: 'reasoning', text: 'Plan.', signature: { family: 'gemini', value: 'R1NJRw==' } },
          { type: 'reasoning', text: 'Claude thought', signature: { family: 'anthropic', value: 'EqQB' } },
          { type: 'text', text: 'Done.' },
          { type: 'reasoning', text: '', signature: { family: 'gemini', value: 'VEVYVA==' } },
          { type: 'tool-call', toolCallId: 'c1', toolName: 'a', argumentsText: '{}', signature: { family: 'gemini', value: 'Q0FMTA==' } },
          { type: 'tool-call', toolCallId: 'c2', toolName: 'b', argumentsText: '{}' },
        ],
      },
    ];

    it('sends Gemini signatures back where they came from and drops foreign reasoning', () => {
      const request = irRequest({ messages: signed });
      const body = encodeGeminiRequest(request, 'gemini-3-pro-preview');
      expect((body['contents'] as any)[1].parts).toEqual([
        { text: 'Plan.', thought: true, thoughtSignature: 'R1NJRw==' },
        { text: 'Done.', thoughtSignature: 'VEVYVA==' },
        { functionCall: { id: 'c1', name: 'a', args: {} }, thoughtSignature: 'Q0FMTA==' },
        // Second call of a signed parallel batch: no signature needed.
        { functionCall: { id: 'c2', name: 'b', args: {} } },
      ]);
      expect(request.warnings).toContainEqual(expect.objectContaining({ type: 'dropped', feature: 'reasoning' }));
    });

    it('puts the skip value on unsigned function calls for Gemini 3, not for 2.5', () => {
      const history: IrMessage[] = [
        { role: 'user', parts: [{ type: 'text', text: 'Go' }] },
        {
          role: 'assistant',
          parts: [
            { type: 'tool-call', toolCallId: 'toolu_1', toolName: 'a', argumentsText: '{}', signature: { family: 'anthropic', value: 'x' } },
            { type: 'tool-call', toolCallId: 'toolu_2', toolName: 'b', argumentsText: '{}' },
          ],
        },
        { role: 'tool', parts: [{ type: 'tool-result', toolCallId: 'toolu_1', toolName: 'a', content: [{ type: 'text', text: 'ok' }] }] },
      ];
      const gemini3 = irRequest({ messages: history });
      const parts3 = (encodeGeminiRequest(gemini3, 'gemini-3-flash-preview')['contents'] as any)[1].parts;
      expect(parts3.map((part: any) => part.thoughtSignature)).toEqual([SKIP_THOUGHT_SIGNATURE_VALIDATOR, SKIP_THOUGHT_SIGNATURE_VALIDATOR]);
      expect(gemini3.warnings).toContainEqual(expect.objectContaining({ type: 'coerced', feature: 'thoughtSignature' }));
      const parts25 = (encodeGeminiRequest(irRequest({ messages: history }), 'gemini-2.5-pro')['contents'] as any)[1].parts;
      expect(parts25.map((part: any) => part.thoughtSignature)).toEqual([undefined, undefined]);
    });
  });

  it('sends tool result files inside functionResponse.parts on Gemini 3, beside it before', () => {
    const messages: IrMessage[] = [
      { role: 'assistant', parts: [{ type: 'tool-call', toolCallId: 'c', toolName: 'screenshot', argumentsText: '{}' }] },
      {
        role: 'tool',
        parts: [{ type: 'tool-result', toolCallId: 'c', toolName: 'screenshot', content: [{ type: 'text', text: 'Here' }, { type: 'file', mediaType: 'image/png', source: { kind: 'base64', data: 'AAAA' } }] }],
      },
    ];
    const three = (encodeGeminiRequest(irRequest({ messages }), 'gemini-3-pro-preview')['contents'] as any)[1].parts;
    expect(three).toEqual([
      { functionResponse: { id: 'c', name: 'screenshot', response: { result: 'Here' }, parts: [{ inlineData: { mimeType: 'image/png', data: 'AAAA' } }] } },
    ]);
    const two = (encodeGeminiRequest(irRequest({ messages }), 'gemini-2.5-flash')['contents'] as any)[1].parts;
    expect(two).toEqual([{ functionResponse: { id: 'c', name: 'screenshot', response: { result: 'Here' } } }, { inlineData: { mimeType: 'image/png', data: 'AAAA' } }]);
  });

  it('writes files as inlineData or fileData', () => {
    const body = encodeGeminiRequest(
      irRequest({
        messages: [
          {
            role: 'user',
            parts: [
              { type: 'file', mediaType: 'image/jpeg', source: { kind: 'base64', data: '/9j/' } },
              { type: 'file', source: { kind: 'url', url: 'data:image/png;base64,iVBOR' } },
              { type: 'file', mediaType: 'application/pdf', source: { kind: 'url', url: 'https://example.com/a.pdf' } },
            ],
          },
        ],
      }),
      'gemini-2.5-flash',
    );
    expect((body['contents'] as any)[0].parts).toEqual([
      { inlineData: { mimeType: 'image/jpeg', data: '/9j/' } },
      { inlineData: { mimeType: 'image/png', data: 'iVBOR' } },
      { fileData: { mimeType: 'application/pdf', fileUri: 'https://example.com/a.pdf' } },
    ]);
  });

  it('sanitises tool schemas into parameters and maps tool choice', () => {
    const tools = JSON.parse(readFileSync(new URL('./__fixtures__/claude-code-tools.json', import.meta.url), 'utf8')) as Array<{ name: string; description: string; input_schema: Record<string, unknown> }>;
    const request = irRequest({
      tools: tools.map((tool) => ({ name: tool.name, description: tool.description, parameters: tool.input_schema })),
      toolChoice: { type: 'tool', name: 'Bash' },
    });
    const body = encodeGeminiRequest(request, 'gemini-2.5-pro');
    const declarations = (body['tools'] as any)[0].functionDeclarations;
    expect(declarations.map((declaration: any) => declaration.name)).toEqual(tools.map((tool) => tool.name));
    expect(declarations.find((declaration: any) => declaration.name === 'ExitPlanMode')).toEqual({ name: 'ExitPlanMode', description: 'Prompts the user to exit plan mode.' });
    expect(JSON.stringify(declarations)).not.toMatch(/\$schema|additionalProperties|exclusiveMinimum|"uri"|\$ref|definitions/);
    expect(body['toolConfig']).toEqual({ functionCallingConfig: { mode: 'ANY', allowedFunctionNames: ['Bash'] } });
    expect(request.warnings.some((w) => w.feature === 'tool-schema.additionalProperties' && w.details?.startsWith('tool "Bash"'))).toBe(true);

    const modes = (['auto', 'none', 'required'] as const).map(
      (type) => (encodeGeminiRequest(irRequest({ toolChoice: { type }, tools: [{ name: 'f', parameters: { type: 'object' } }] }), 'gemini-2.5-pro')['toolConfig'] as any).functionCallingConfig.mode,
    );
    expect(modes).toEqual(['AUTO', 'NONE', 'ANY']);
    // Without function declarations Gemini refuses any functionCallingConfig.
    expect(encodeGeminiRequest(irRequest({ toolChoice: { type: 'none' } }), 'gemini-2.5-pro')).not.toHaveProperty('toolConfig');
  });

  it('maps response formats', () => {
    const config = (responseFormat: IrRequest['responseFormat']) => encodeGeminiRequest(irRequest({ responseFormat }), 'gemini-2.5-flash')['generationConfig'];
    expect(config({ type: 'json' })).toEqual({ responseMimeType: 'application/json' });
    expect(config({ type: 'json-schema', name: 'x', strict: true, schema: { type: 'object', properties: { a: { type: 'string' } }, additionalProperties: false } })).toEqual({
      responseMimeType: 'application/json',
      responseSchema: { type: 'object', properties: { a: { type: 'string' } } },
    });
    expect(config({ type: 'text' })).toBeUndefined();
  });

  describe('thinking', () => {
    const thinking = (reasoning: IrRequest['reasoning'], model: string) => {
      const request = irRequest({ reasoning });
      const config = encodeGeminiRequest(request, model)['generationConfig'] as any;
      return { config: config?.thinkingConfig, warnings: request.warnings.map((w) => w.feature) };
    };

    it('uses thinkingLevel on Gemini 3 and thinkingBudget before', () => {
      expect(thinking({ effort: 'high', includeThoughts: true }, 'gemini-3-pro-preview').config).toEqual({ includeThoughts: true, thinkingLevel: 'high' });
      expect(thinking({ effort: 'medium' }, 'gemini-3-flash-preview').config).toEqual({ thinkingLevel: 'medium' });
      expect(thinking({ effort: 'medium' }, 'gemini-3-pro-preview')).toEqual({ config: { thinkingLevel: 'high' }, warnings: ['reasoning.effort'] });
      expect(thinking({ effort: 'low' }, 'gemini-2.5-flash')).toEqual({ config: { thinkingBudget: 2048 }, warnings: ['reasoning.effort'] });
      // The one effort table, clamped to the model's range (Flash tops out at 24576).
      expect(thinking({ effort: 'xhigh' }, 'gemini-2.5-flash').config).toEqual({ thinkingBudget: 24576 });
      expect(thinking({ effort: 'high' }, 'gemini-2.5-pro').config).toEqual({ thinkingBudget: 16384 });
      expect(thinking({ budgetTokens: 5000 }, 'gemini-2.5-pro').config).toEqual({ thinkingBudget: 5000 });
      expect(thinking({ budgetTokens: 50000 }, 'gemini-2.5-flash')).toEqual({ config: { thinkingBudget: 24576 }, warnings: ['reasoning.budgetTokens'] });
    });

    it('switches thinking off where the model allows it', () => {
      expect(thinking({ disabled: true }, 'gemini-2.5-flash')).toEqual({ config: { thinkingBudget: 0 }, warnings: [] });
      expect(thinking({ disabled: true }, 'gemini-2.5-pro')).toEqual({ config: { thinkingBudget: 128 }, warnings: ['reasoning.disabled'] });
      expect(thinking({ effort: 'none' }, 'gemini-3-flash-preview')).toEqual({ config: { thinkingLevel: 'minimal' }, warnings: ['reasoning.disabled'] });
    });
  });

  it('restores Gemini extras and warns about other protocols’ extras', () => {
    const request = irRequest({
      extras: {
        gemini: { safetySettings: [{ category: 'HARM_CATEGORY_HARASSMENT', threshold: 'BLOCK_NONE' }], generationConfig: { candidateCount: 1 }, tools: [{ googleSearch: {} }] },
        'openai-chat': { logprobs: true },
      },
      user: 'u1',
      parallelToolCalls: false,
    });
    const body = encodeGeminiRequest(request, 'gemini-2.5-flash');
    expect(body).toEqual({
      contents: [],
      tools: [{ googleSearch: {} }],
      generationConfig: { candidateCount: 1 },
      safetySettings: [{ category: 'HARM_CATEGORY_HARASSMENT', threshold: 'BLOCK_NONE' }],
    });
    expect(request.warnings.map((w) => w.feature).sort()).toEqual(['openai-chat.logprobs', 'parallel_tool_calls', 'user']);
  });

  it('names each unknown top-level field of a client on its own warning', () => {
    const request = irRequest({ extras: { 'openai-chat': { fields: { seed: 3, logprobs: true } } } });
    encodeGeminiRequest(request, 'gemini-2.5-flash');
    expect(request.warnings.map((w) => `${w.type}-${w.feature}`).sort()).toEqual(['dropped-logprobs', 'dropped-seed']);
  });
});
