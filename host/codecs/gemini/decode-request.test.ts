import { describe, expect, it } from 'vitest';
import { CodecError } from '../codec-types.js';
import { decodeGeminiRequest } from './decode-request.js';

const context = { model: 'gemini-2.5-flash', stream: false, headers: {} };
const decode = (body: unknown, extra: Partial<typeof context> = {}) => decodeGeminiRequest(body, { ...context, ...extra });

describe('decodeGeminiRequest', () => {
  it('takes the model from the path and streaming from the method', () => {
    const request = decode({ contents: [{ role: 'user', parts: [{ text: 'Hi' }] }] }, { model: 'models/gemini-2.5-pro', stream: true });
    expect(request.model).toBe('gemini-2.5-pro');
    expect(request.stream).toBe(true);
    expect(request.messages).toEqual([{ role: 'user', parts: [{ type: 'text', text: 'Hi' }] }]);
    expect(request.sampling).toEqual({});
    expect(request.extras).toEqual({});
    expect(request.warnings).toEqual([]);
  });

  it('maps systemInstruction, generationConfig and camelCase / snake_case alike', () => {
    const camel = decode({
      systemInstruction: { parts: [{ text: 'Be brief.' }, { text: 'Use French.' }] },
      contents: [{ role: 'user', parts: [{ text: 'Hi' }] }],
      generationConfig: {
        maxOutputTokens: 256,
        temperature: 0.2,
        topP: 0.9,
        topK: 40,
        stopSequences: ['END'],
        seed: 7,
        presencePenalty: 0.1,
        frequencyPenalty: 0.3,
        thinkingConfig: { thinkingBudget: 2048, includeThoughts: true },
      },
    });
    const snake = decode({
      system_instruction: { parts: [{ text: 'Be brief.' }, { text: 'Use French.' }] },
      contents: [{ role: 'user', parts: [{ text: 'Hi' }] }],
      generation_config: {
        max_output_tokens: 256,
        temperature: 0.2,
        top_p: 0.9,
        top_k: 40,
        stop_sequences: ['END'],
        seed: 7,
        presence_penalty: 0.1,
        frequency_penalty: 0.3,
        thinking_config: { thinking_budget: 2048, include_thoughts: true },
      },
    });
    expect(snake).toEqual(camel);
    expect(camel.instructions).toEqual([
      { type: 'text', text: 'Be brief.' },
      { type: 'text', text: 'Use French.' },
    ]);
    expect(camel.sampling).toEqual({ maxOutputTokens: 256, temperature: 0.2, topP: 0.9, topK: 40, stop: ['END'], seed: 7, presencePenalty: 0.1, frequencyPenalty: 0.3 });
    expect(camel.reasoning).toEqual({ budgetTokens: 2048, includeThoughts: true });
  });

  it('maps thinking levels, a zero budget and the dynamic budget', () => {
    const reasoning = (thinkingConfig: object) => decode({ contents: [], generationConfig: { thinkingConfig } });
    expect(reasoning({ thinkingLevel: 'LOW' }).reasoning).toEqual({ effort: 'low' });
    expect(reasoning({ thinkingBudget: 0 }).reasoning).toEqual({ disabled: true });
    const dynamic = reasoning({ thinkingBudget: -1 });
    expect(dynamic.reasoning).toEqual({});
    expect(dynamic.extras.gemini).toEqual({ thinkingBudget: -1 });
  });

  it('gives function calls ids and matches function responses to them by name, in order', () => {
    const request = decode({
      contents: [
        { role: 'user', parts: [{ text: 'Weather in SF and Paris?' }] },
        {
          role: 'model',
          parts: [
            { functionCall: { name: 'weather', args: { city: 'SF' } }, thoughtSignature: 'c2lnMQ==' },
            { functionCall: { name: 'weather', args: { city: 'Paris' } } },
            { functionCall: { name: 'time', args: {} } },
          ],
        },
        {
          role: 'user',
          parts: [
            { functionResponse: { name: 'weather', response: { result: 'Sunny' } } },
            { functionResponse: { name: 'time', response: { now: '12:00' } } },
            { functionResponse: { name: 'weather', response: { error: 'Paris is unknown' } } },
            { text: 'Thanks!' },
          ],
        },
      ],
    });
    expect(request.messages[1]).toEqual({
      role: 'assistant',
      parts: [
        { type: 'tool-call', toolCallId: 'call_1_0_weather', toolName: 'weather', argumentsText: '{"city":"SF"}', signature: { family: 'gemini', value: 'c2lnMQ==' } },
        { type: 'tool-call', toolCallId: 'call_1_1_weather', toolName: 'weather', argumentsText: '{"city":"Paris"}' },
        { type: 'tool-call', toolCallId: 'call_1_2_time', toolName: 'time', argumentsText: '{}' },
      ],
    });
    expect(request.messages[2]).toEqual({
      role: 'tool',
      parts: [
        { type: 'tool-result', toolCallId: 'call_1_0_weather', toolName: 'weather', content: [{ type: 'text', text: 'Sunny' }] },
        { type: 'tool-result', toolCallId: 'call_1_2_time', toolName: 'time', content: [{ type: 'text', text: '{"now":"12:00"}' }] },
        { type: 'tool-result', toolCallId: 'call_1_1_weather', toolName: 'weather', content: [{ type: 'text', text: 'Paris is unknown' }], isError: true },
      ],
    });
    expect(request.messages[3]).toEqual({ role: 'user', parts: [{ type: 'text', text: 'Thanks!' }] });
  });

  it('uses ids when the client sends them (Gemini 3 / our own encoder)', () => {
    const request = decode({
      contents: [
        { role: 'model', parts: [{ functionCall: { id: 'toolu_01', name: 'a', args: {} } }, { functionCall: { id: 'toolu_02', name: 'a', args: {} } }] },
        { role: 'user', parts: [{ functionResponse: { id: 'toolu_02', name: 'a', response: { result: 'two' } } }, { functionResponse: { name: 'a', response: { result: 'one' } } }] },
      ],
    });
    const results = request.messages[1]!.parts.map((part) => (part.type === 'tool-result' ? part.toolCallId : ''));
    expect(results).toEqual(['toolu_02', 'toolu_01']);
  });

  it('decodes thought parts, signed text parts and folds stream-split signatures', () => {
    const request = decode({
      contents: [
        { role: 'user', parts: [{ text: 'Q' }] },
        // One content per stream chunk, as @google/genai's chat history keeps them.
        { role: 'model', parts: [{ text: 'Thinking ', thought: true }] },
        { role: 'model', parts: [{ text: 'hard.', thought: true }] },
        { role: 'model', parts: [{ text: '', thought: true, thoughtSignature: 'localgate.anthropic.EqQBCkYIBx' }] },
        { role: 'model', parts: [{ text: 'Answer.' }] },
        { role: 'model', parts: [{ text: '', thoughtSignature: 'R2VtaW5p' }] },
      ],
    });
    expect(request.messages).toEqual([
      { role: 'user', parts: [{ type: 'text', text: 'Q' }] },
      {
        role: 'assistant',
        parts: [
          { type: 'reasoning', text: 'Thinking hard.', signature: { family: 'anthropic', value: 'EqQBCkYIBx' } },
          { type: 'text', text: 'Answer.' },
          { type: 'reasoning', text: '', signature: { family: 'gemini', value: 'R2VtaW5p' } },
        ],
      },
    ]);
  });

  it('decodes inline data and file data, keeping URLs as URLs', () => {
    const request = decode({
      contents: [
        {
          parts: [
            { inline_data: { mime_type: 'image/png', data: 'iVBORw0KGgo=' } },
            { fileData: { mimeType: 'application/pdf', fileUri: 'https://generativelanguage.googleapis.com/v1beta/files/abc' } },
            { file_data: { file_uri: 'https://example.com/cat.jpg' } },
          ],
        },
      ],
    });
    expect(request.messages[0]!.parts).toEqual([
      { type: 'file', mediaType: 'image/png', source: { kind: 'base64', data: 'iVBORw0KGgo=' } },
      { type: 'file', mediaType: 'application/pdf', source: { kind: 'url', url: 'https://generativelanguage.googleapis.com/v1beta/files/abc' } },
      { type: 'file', source: { kind: 'url', url: 'https://example.com/cat.jpg' } },
    ]);
  });

  it('decodes function declarations (parameters or parametersJsonSchema) and tool config', () => {
    const request = decode({
      contents: [],
      tools: [
        {
          functionDeclarations: [
            { name: 'get_weather', description: 'Weather', parameters: { type: 'OBJECT', properties: { city: { type: 'STRING', nullable: true }, days: { type: 'INTEGER', minimum: '1' } }, required: ['city'] } },
            { name: 'search', parametersJsonSchema: { type: 'object', properties: { q: { type: 'string' } }, additionalProperties: false } },
            { name: 'noop' },
          ],
        },
        { googleSearch: {} },
      ],
      toolConfig: { functionCallingConfig: { mode: 'ANY', allowedFunctionNames: ['search'] } },
    });
    expect(request.tools).toEqual([
      { name: 'get_weather', description: 'Weather', parameters: { type: 'object', properties: { city: { type: ['string', 'null'] }, days: { type: 'integer', minimum: '1' } }, required: ['city'] } },
      { name: 'search', parameters: { type: 'object', properties: { q: { type: 'string' } }, additionalProperties: false } },
      { name: 'noop', parameters: { type: 'object', properties: {} } },
    ]);
    expect(request.toolChoice).toEqual({ type: 'tool', name: 'search' });
    expect(request.serverTools).toEqual([{ kind: 'web-search' }]);
    expect(request.extras.gemini?.tools).toBeUndefined();
    expect(request.warnings).not.toContainEqual(expect.objectContaining({ feature: 'tools.googleSearch' }));
  });

  it('maps function calling modes', () => {
    const choice = (functionCallingConfig: object) => decode({ contents: [], toolConfig: { functionCallingConfig } });
    expect(choice({ mode: 'AUTO' }).toolChoice).toEqual({ type: 'auto' });
    expect(choice({ mode: 'NONE' }).toolChoice).toEqual({ type: 'none' });
    expect(choice({ mode: 'ANY' }).toolChoice).toEqual({ type: 'required' });
    const subset = choice({ mode: 'ANY', allowedFunctionNames: ['a', 'b'] });
    expect(subset.toolChoice).toEqual({ type: 'required' });
    expect(subset.extras.gemini).toEqual({ toolConfig: { allowedFunctionNames: ['a', 'b'] } });
  });

  it('maps JSON output with and without a schema', () => {
    const format = (generationConfig: object) => decode({ contents: [], generationConfig }).responseFormat;
    expect(format({ responseMimeType: 'application/json' })).toEqual({ type: 'json' });
    expect(format({ responseMimeType: 'application/json', responseSchema: { type: 'OBJECT', properties: { a: { type: 'STRING' } } } })).toEqual({
      type: 'json-schema',
      schema: { type: 'object', properties: { a: { type: 'string' } } },
    });
    expect(format({ responseMimeType: 'application/json', responseJsonSchema: { type: 'object', additionalProperties: false } })).toEqual({
      type: 'json-schema',
      schema: { type: 'object', additionalProperties: false },
    });
    expect(format({ responseMimeType: 'text/plain' })).toEqual({ type: 'text' });
  });

  it('keeps Gemini-only fields in extras with warnings', () => {
    const request = decode({
      contents: [],
      safetySettings: [{ category: 'HARM_CATEGORY_HARASSMENT', threshold: 'BLOCK_NONE' }],
      cached_content: 'cachedContents/abc',
      generationConfig: { candidateCount: 1, responseModalities: ['TEXT'] },
    });
    expect(request.extras.gemini).toEqual({
      safetySettings: [{ category: 'HARM_CATEGORY_HARASSMENT', threshold: 'BLOCK_NONE' }],
      cachedContent: 'cachedContents/abc',
      generationConfig: { candidateCount: 1, responseModalities: ['TEXT'] },
    });
    expect(request.warnings.map((w) => w.feature)).toEqual(['safetySettings', 'cachedContent', 'generationConfig.candidateCount', 'generationConfig.responseModalities']);
  });

  it('rejects bad input with a CodecError naming the field', () => {
    const error = (body: unknown, extra = {}) => {
      try {
        decode(body, extra);
      } catch (caught) {
        expect(caught).toBeInstanceOf(CodecError);
        return (caught as CodecError).param;
      }
      throw new Error('no error');
    };
    expect(error('nope')).toBeUndefined();
    expect(error({ contents: [] }, { model: undefined })).toBe('model');
    expect(error({ contents: 'hi' })).toBe('contents');
    expect(error({ contents: [{ role: 'user' }] })).toBe('contents[0].parts');
    expect(error({ contents: [{ role: 'system', parts: [] }] })).toBe('contents[0].role');
    expect(error({ contents: [{ role: 'model', parts: [{ functionCall: { args: {} } }] }] })).toBe('contents[0].parts[0].functionCall.name');
    expect(error({ contents: [], generationConfig: { temperature: 'hot' } })).toBe('generationConfig.temperature');
    expect(error({ contents: [], generationConfig: { stopSequences: 'END' } })).toBe('generationConfig.stopSequences');
    expect(error({ contents: [], tools: [{ functionDeclarations: [{ description: 'x' }] }] })).toBe('tools[0].functionDeclarations[0].name');
  });
});
