import { wrapThinking } from '../shared/opaque-signature.js';
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import type { IrAssistantPart } from '../../ir/ir-part.js';
import type { IrRequest } from '../../ir/ir-request.js';
import type { IrResponse } from '../../ir/ir-response.js';
import { convertGeminiUsage, toGeminiUsage } from './convert-usage.js';
import { decodeGeminiResponse } from './decode-response.js';
import { encodeGeminiResponse } from './encode-response.js';
import { mapGeminiFinishReason, toGeminiFinishReason } from './map-finish-reason.js';

const fixture = (name: string) => JSON.parse(readFileSync(new URL(`./__fixtures__/${name}`, import.meta.url), 'utf8'));
const request: IrRequest = { model: 'm', instructions: [], messages: [], tools: [], sampling: {}, stream: false, extras: {}, warnings: [] };

describe('decodeGeminiResponse', () => {
  it('reads thoughts, text and parallel function calls with their signatures', () => {
    const response = decodeGeminiResponse(fixture('gemini-3-tool-call.json'));
    expect(response).toMatchObject({
      id: 'QHiLaa6LBrb8vdIPoNztsAg',
      model: 'gemini-3-pro-preview',
      finishReason: { unified: 'tool-calls', raw: 'STOP', protocol: 'gemini' },
      usage: { inputTokens: 29, cacheReadTokens: 10, outputTokens: 819, reasoningTokens: 804 },
      warnings: [],
    });
    expect(response.content).toEqual([
      { type: 'reasoning', text: "I'll check both.", signature: { family: 'gemini', value: expect.stringMatching(/^EpAI/) } },
      { type: 'text', text: 'Checking the weather.' },
      {
        type: 'tool-call',
        toolCallId: 'call_QHiLaa6LBrb8vdIPoNztsAg_2',
        toolName: 'weather',
        argumentsText: '{"location":"San Francisco"}',
        signature: { family: 'gemini', value: expect.stringMatching(/^EpEg/) },
      },
      { type: 'tool-call', toolCallId: 'call_QHiLaa6LBrb8vdIPoNztsAg_3', toolName: 'weather', argumentsText: '{"location":"Paris"}' },
    ]);
  });

  it('turns a blocked prompt into an empty content-filter answer', () => {
    const response = decodeGeminiResponse(fixture('gemini-prompt-blocked.json'));
    expect(response.content).toEqual([]);
    expect(response.finishReason).toEqual({ unified: 'content-filter', raw: 'PROHIBITED_CONTENT', protocol: 'gemini' });
    expect(response.usage).toEqual({ inputTokens: 12 });
  });

  it('warns about extra candidates and generated media', () => {
    const response = decodeGeminiResponse({
      candidates: [
        { index: 0, content: { role: 'model', parts: [{ text: 'a' }, { inlineData: { mimeType: 'image/png', data: 'AAAA' } }] }, finishReason: 'STOP' },
        { index: 1, content: { role: 'model', parts: [{ text: 'b' }] }, finishReason: 'STOP' },
      ],
    });
    expect(response.content).toEqual([{ type: 'text', text: 'a' }]);
    expect(response.warnings.map((w) => w.feature)).toEqual(['candidates', 'output-file']);
  });
});

describe('finish reasons and usage', () => {
  it('maps every Gemini finish reason', () => {
    const unified = (raw: string, tools = false) => mapGeminiFinishReason(raw, tools).unified;
    expect(unified('STOP')).toBe('stop');
    expect(unified('STOP', true)).toBe('tool-calls');
    expect(unified('MAX_TOKENS')).toBe('length');
    for (const raw of ['SAFETY', 'RECITATION', 'BLOCKLIST', 'PROHIBITED_CONTENT', 'SPII', 'IMAGE_SAFETY']) expect(unified(raw)).toBe('content-filter');
    expect(unified('MALFORMED_FUNCTION_CALL')).toBe('error');
    expect(unified('OTHER')).toBe('other');
    expect(unified('SOMETHING_NEW')).toBe('other');
  });

  it('writes IR finish reasons as Gemini ones; tool-calls is STOP', () => {
    expect(toGeminiFinishReason({ unified: 'tool-calls', raw: 'tool_use', protocol: 'anthropic' })).toBe('STOP');
    expect(toGeminiFinishReason({ unified: 'length' })).toBe('MAX_TOKENS');
    expect(toGeminiFinishReason({ unified: 'content-filter' })).toBe('SAFETY');
    expect(toGeminiFinishReason({ unified: 'other', raw: 'RECITATION', protocol: 'gemini' })).toBe('RECITATION');
    expect(toGeminiFinishReason({ unified: 'stop', raw: 'end_turn', protocol: 'anthropic' })).toBe('STOP');
  });

  it('converts usage both ways, thoughts counted in output', () => {
    const gemini = { promptTokenCount: 100, candidatesTokenCount: 20, thoughtsTokenCount: 30, cachedContentTokenCount: 40, totalTokenCount: 150 };
    const ir = convertGeminiUsage(gemini);
    expect(ir).toEqual({ inputTokens: 100, cacheReadTokens: 40, outputTokens: 50, reasoningTokens: 30 });
    expect(toGeminiUsage(ir)).toEqual(gemini);
    expect(convertGeminiUsage(undefined)).toEqual({});
    expect(toGeminiUsage({})).toEqual({ totalTokenCount: 0 });
  });
});

describe('encodeGeminiResponse', () => {
  it('writes one candidate with ids, signatures (foreign ones wrapped) and usage', () => {
    const response: IrResponse = {
      id: 'msg_01',
      model: 'claude-sonnet-4',
      created: 1,
      content: [
        { type: 'reasoning', text: 'Thinking.', signature: { family: 'anthropic', value: 'EqQBCkYI' } },
        { type: 'reasoning', text: '', redacted: true, signature: { family: 'anthropic', value: 'REDACTED' } },
        { type: 'text', text: 'Calling.' },
        { type: 'tool-call', toolCallId: 'toolu_01', toolName: 'search', argumentsText: '{"q":"x"}' },
      ],
      finishReason: { unified: 'tool-calls', raw: 'tool_use', protocol: 'anthropic' },
      usage: { inputTokens: 10, outputTokens: 5 },
      warnings: [],
    };
    expect(encodeGeminiResponse(response, request)).toEqual({
      candidates: [
        {
          content: {
            role: 'model',
            parts: [
              { text: 'Thinking.', thought: true, thoughtSignature: 'localgate.anthropic.EqQBCkYI' },
              { text: '', thought: true, thoughtSignature: 'localgate.anthropic-redacted.REDACTED' },
              { text: 'Calling.' },
              // The signed thinking also rides, whole, on the call (for clients that keep only calls).
              { functionCall: { id: 'toolu_01', name: 'search', args: { q: 'x' } }, thoughtSignature: wrapThinking('Thinking.', { family: 'anthropic', value: 'EqQBCkYI' }) },
            ],
          },
          finishReason: 'STOP',
          index: 0,
        },
      ],
      usageMetadata: { promptTokenCount: 10, candidatesTokenCount: 5, totalTokenCount: 15 },
      modelVersion: 'claude-sonnet-4',
      responseId: 'msg_01',
    });
  });

  it('never writes a content without parts', () => {
    const empty = encodeGeminiResponse(
      { id: 'x', model: 'm', created: 1, content: [], finishReason: { unified: 'length' }, usage: {}, warnings: [] },
      request,
    ) as { candidates: Array<{ content: { parts: unknown[] } }> };
    expect(empty.candidates[0]!.content.parts).toEqual([{ text: '' }]);
  });

  it('encode (client) → decode (upstream) keeps every part, signature and count', () => {
    const signature = fc.record({ family: fc.constantFrom('gemini' as const, 'anthropic' as const, 'openai' as const), value: fc.base64String({ minLength: 4, maxLength: 16 }) });
    const part: fc.Arbitrary<IrAssistantPart> = fc.oneof(
      fc.record({ type: fc.constant('text' as const), text: fc.string({ minLength: 1 }) }),
      fc.record({ type: fc.constant('reasoning' as const), text: fc.string({ minLength: 1 }), signature }),
      fc.record({
        type: fc.constant('tool-call' as const),
        toolCallId: fc.uuid(),
        toolName: fc.stringMatching(/^[a-z_]{1,10}$/),
        argumentsText: fc.dictionary(fc.string({ maxLength: 5 }), fc.oneof(fc.string(), fc.integer(), fc.boolean())).map((value) => JSON.stringify(value)),
        signature: fc.option(signature, { nil: undefined }),
      }).map((call) => (call.signature ? call : { type: call.type, toolCallId: call.toolCallId, toolName: call.toolName, argumentsText: call.argumentsText })),
    );
    // Adjacent reasoning parts would merge into one run on the way back, as Gemini thoughts do.
    const content = fc.array(part, { maxLength: 6 }).filter((parts) => parts.every((item, index) => index === 0 || item.type !== 'reasoning' || parts[index - 1]!.type !== 'reasoning'));
    fc.assert(
      fc.property(content, fc.record({ inputTokens: fc.nat(), outputTokens: fc.nat(1000) }), (parts, counts) => {
        const hasCalls = parts.some((item) => item.type === 'tool-call');
        const original: IrResponse = {
          id: 'resp_1',
          model: 'any-model',
          created: 1,
          content: parts,
          finishReason: hasCalls ? { unified: 'tool-calls', raw: 'STOP', protocol: 'gemini' } : { unified: 'stop', raw: 'STOP', protocol: 'gemini' },
          usage: counts,
          warnings: [],
        };
        const decoded = decodeGeminiResponse(JSON.parse(JSON.stringify(encodeGeminiResponse(original, request))));
        expect({ ...decoded, created: 1 }).toEqual(original);
      }),
      { numRuns: 300 },
    );
  });
});
