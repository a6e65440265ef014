import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { decodeGeminiRequest } from './decode-request.js';
import { encodeGeminiRequest } from './encode-request.js';

/**
 * Decoding a Gemini request and encoding it back (Gemini as client, then as upstream) keeps
 * everything the IR can express: text, files, thoughts and their signatures, function calls with
 * ids/args/signatures, function responses, tools, tool config, sampling, JSON output, thinking,
 * and Gemini-only fields via extras.
 */
const MODEL = 'gemini-2.5-flash';

const text = fc.string({ minLength: 1, maxLength: 20 });
const signature = fc.base64String({ minLength: 4, maxLength: 24 }).filter((value) => value.length > 0);
const name = fc.stringMatching(/^[a-z][a-z0-9_]{0,11}$/);
const jsonValue = fc.oneof(fc.string({ maxLength: 8 }), fc.integer(), fc.boolean(), fc.constant(null));
const args = fc.dictionary(fc.stringMatching(/^[a-z]{1,6}$/), fc.oneof(jsonValue, fc.array(jsonValue, { maxLength: 3 })), { maxKeys: 4 });
const responseObject = fc.oneof(
  fc.record({ result: fc.string({ maxLength: 20 }) }),
  fc.record({ error: fc.string({ maxLength: 20 }) }),
  fc.dictionary(fc.constantFrom('temp', 'sky', 'items', 'ok'), jsonValue, { minKeys: 2, maxKeys: 4 }),
);
const userPart = fc.oneof(
  text.map((value) => ({ text: value })),
  fc.record({ inlineData: fc.record({ mimeType: fc.constantFrom('image/png', 'application/pdf'), data: fc.base64String({ minLength: 4, maxLength: 12 }) }) }),
  fc.record({ fileData: fc.record({ mimeType: fc.constantFrom('image/jpeg', 'video/mp4'), fileUri: fc.webUrl() }) }),
);

interface Turn {
  model: Array<Record<string, unknown>>;
  responses: Array<Record<string, unknown>>;
  user: Array<Record<string, unknown>>;
}

const turn: fc.Arbitrary<(turnIndex: number) => Turn> = fc
  .record({
    thought: fc.option(fc.record({ text, signature }), { nil: undefined }),
    reply: fc.option(fc.record({ text, signature: fc.option(signature, { nil: undefined }) }), { nil: undefined }),
    calls: fc.array(fc.record({ name, args, response: responseObject }), { maxLength: 3 }),
    callSignature: fc.option(signature, { nil: undefined }),
    user: fc.array(userPart, { minLength: 1, maxLength: 3 }),
  })
  .map((spec) => (turnIndex: number) => {
    const model: Array<Record<string, unknown>> = [];
    if (spec.thought) model.push({ text: spec.thought.text, thought: true, thoughtSignature: spec.thought.signature });
    if (spec.reply) model.push(spec.reply.signature ? { text: spec.reply.text, thoughtSignature: spec.reply.signature } : { text: spec.reply.text });
    spec.calls.forEach((call, index) => {
      const part: Record<string, unknown> = { functionCall: { id: `c${turnIndex}_${index}`, name: call.name, args: call.args } };
      if (index === 0 && spec.callSignature) part['thoughtSignature'] = spec.callSignature;
      model.push(part);
    });
    const responses = spec.calls.map((call, index) => ({ functionResponse: { id: `c${turnIndex}_${index}`, name: call.name, response: call.response } }));
    return { model, responses, user: spec.user };
  });

const lowerSchema = fc.record({
  type: fc.constant('object'),
  properties: fc.dictionary(
    fc.stringMatching(/^[a-z]{1,8}$/),
    fc.oneof(
      fc.record({ type: fc.constantFrom('string', 'integer', 'boolean'), description: text }),
      fc.record({ type: fc.constant('string'), enum: fc.uniqueArray(text, { minLength: 1, maxLength: 3 }) }),
      fc.record({ type: fc.constant('array'), items: fc.record({ type: fc.constant('number') }) }),
    ),
    { minKeys: 1, maxKeys: 4 },
  ),
});

const body = fc
  .record({
    system: fc.option(fc.array(text, { minLength: 1, maxLength: 2 }), { nil: undefined }),
    first: fc.array(userPart, { minLength: 1, maxLength: 2 }),
    turns: fc.array(turn, { maxLength: 3 }),
    tools: fc.option(fc.uniqueArray(fc.record({ name, description: text, parameters: lowerSchema }), { minLength: 1, maxLength: 3, selector: (tool) => tool.name }), { nil: undefined }),
    mode: fc.option(fc.constantFrom('AUTO', 'NONE', 'ANY', 'ANY-ONE'), { nil: undefined }),
    sampling: fc.record(
      {
        maxOutputTokens: fc.integer({ min: 1, max: 65536 }),
        temperature: fc.double({ min: 0, max: 2, noNaN: true }),
        topP: fc.double({ min: 0, max: 1, noNaN: true }),
        topK: fc.integer({ min: 1, max: 100 }),
        stopSequences: fc.array(text, { minLength: 1, maxLength: 2 }),
        seed: fc.integer(),
        presencePenalty: fc.double({ min: -2, max: 2, noNaN: true }),
        frequencyPenalty: fc.double({ min: -2, max: 2, noNaN: true }),
      },
      { requiredKeys: [] },
    ),
    json: fc.option(fc.oneof(fc.constant('json' as const), lowerSchema), { nil: undefined }),
    thinking: fc.option(fc.record({ thinkingBudget: fc.integer({ min: 1, max: 24576 }), includeThoughts: fc.boolean() }, { requiredKeys: [] }), { nil: undefined }),
    safety: fc.boolean(),
  })
  .map((spec) => {
    const contents: Array<Record<string, unknown>> = [{ role: 'user', parts: spec.first }];
    for (const [turnIndex, build] of spec.turns.entries()) {
      const item = build(turnIndex);
      if (item.model.length === 0) continue;
      contents.push({ role: 'model', parts: item.model });
      contents.push({ role: 'user', parts: [...item.responses, ...item.user] });
    }
    const request: Record<string, unknown> = { contents };
    if (spec.system) request['systemInstruction'] = { parts: spec.system.map((value) => ({ text: value })) };
    if (spec.tools) {
      request['tools'] = [{ functionDeclarations: spec.tools }];
      if (spec.mode) {
        request['toolConfig'] = {
          functionCallingConfig: spec.mode === 'ANY-ONE' ? { mode: 'ANY', allowedFunctionNames: [spec.tools[0]!.name] } : { mode: spec.mode },
        };
      }
    }
    const generationConfig: Record<string, unknown> = { ...spec.sampling };
    if (spec.json === 'json') generationConfig['responseMimeType'] = 'application/json';
    else if (spec.json) Object.assign(generationConfig, { responseMimeType: 'application/json', responseSchema: spec.json });
    if (spec.thinking && Object.keys(spec.thinking).length > 0) generationConfig['thinkingConfig'] = spec.thinking;
    if (Object.keys(generationConfig).length > 0) request['generationConfig'] = generationConfig;
    if (spec.safety) request['safetySettings'] = [{ category: 'HARM_CATEGORY_DANGEROUS_CONTENT', threshold: 'BLOCK_ONLY_HIGH' }];
    return request;
  });

describe('Gemini request round trip', () => {
  it('decode → encode keeps everything Gemini can express', () => {
    fc.assert(
      fc.property(body, (original) => {
        const ir = decodeGeminiRequest(structuredClone(original), { model: MODEL, stream: false, headers: {} });
        const encoded = encodeGeminiRequest(ir, MODEL);
        expect(encoded).toEqual(original);
        expect(ir.warnings.filter((warning) => warning.feature !== 'safetySettings')).toEqual([]);
      }),
      { numRuns: 300 },
    );
  });

  it('a hand-written Gemini 3 conversation survives byte for byte', () => {
    const original = {
      contents: [
        { role: 'user', parts: [{ text: 'What is the weather in Paris and Tokyo?' }] },
        {
          role: 'model',
          parts: [
            { text: 'Looking up both cities.', thought: true, thoughtSignature: 'Q2lRQlZLaGFZ' },
            { functionCall: { id: 'call_1', name: 'get_weather', args: { city: 'Paris' } }, thoughtSignature: 'RXBRQ0NnZ0lC' },
            { functionCall: { id: 'call_2', name: 'get_weather', args: { city: 'Tokyo' } } },
          ],
        },
        {
          role: 'user',
          parts: [
            { functionResponse: { id: 'call_1', name: 'get_weather', response: { temp: 18, sky: 'cloudy' } } },
            { functionResponse: { id: 'call_2', name: 'get_weather', response: { result: 'Sunny, 25°C' } } },
          ],
        },
        { role: 'model', parts: [{ text: 'Paris is cloudy; Tokyo is sunny.', thoughtSignature: 'VGhpcyBpcyBh' }] },
        { role: 'user', parts: [{ text: 'Thanks!' }] },
      ],
      systemInstruction: { parts: [{ text: 'You are a weather bot.' }] },
      tools: [{ functionDeclarations: [{ name: 'get_weather', description: 'Weather for a city', parameters: { type: 'object', properties: { city: { type: 'string' } }, required: ['city'] } }] }],
      toolConfig: { functionCallingConfig: { mode: 'AUTO' } },
      generationConfig: { maxOutputTokens: 1024, thinkingConfig: { includeThoughts: true, thinkingLevel: 'low' } },
    };
    const model = 'gemini-3-flash-preview';
    const ir = decodeGeminiRequest(structuredClone(original), { model, stream: true, headers: {} });
    expect(encodeGeminiRequest(ir, model)).toEqual(original);
  });
});
