import { wrapThinking } from '../shared/opaque-signature.js';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { readFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { GoogleGenAI } from '@google/genai';
import { GoogleGenerativeAI } from '@google/generative-ai';
import type { IrRequest } from '../../ir/ir-request.js';
import type { IrStreamEvent } from '../../ir/ir-stream-event.js';
import { SseParser } from '../shared/sse-parser.js';
import { createGeminiStreamDecoder } from './decode-stream.js';
import { createGeminiStreamEncoder } from './encode-stream.js';
import { geminiClientCodec } from './index.js';

const irRequest = (): IrRequest => ({ model: 'gemini-2.5-flash', instructions: [], messages: [], tools: [], sampling: {}, stream: true, extras: {}, warnings: [] });

/** A tool-using answer as another upstream would stream it: arguments in many deltas. */
const toolAnswer: IrStreamEvent[] = [
  { type: 'response-start', id: 'msg_01', model: 'claude-sonnet-4', created: 1 },
  { type: 'reasoning-start', id: 'r' },
  { type: 'reasoning-delta', id: 'r', delta: 'Need the weather.' },
  { type: 'reasoning-signature', id: 'r', signature: { family: 'anthropic', value: 'EqQBCkYIBx' } },
  { type: 'reasoning-end', id: 'r' },
  { type: 'text-start', id: 't' },
  { type: 'text-delta', id: 't', delta: 'Checking ' },
  { type: 'text-delta', id: 't', delta: 'Zürich 🙂' },
  { type: 'text-end', id: 't' },
  { type: 'tool-input-start', id: 'a', toolCallId: 'toolu_01', toolName: 'weather' },
  { type: 'tool-input-start', id: 'b', toolCallId: 'toolu_02', toolName: 'time' },
  { type: 'tool-input-delta', id: 'a', delta: '{"city":' },
  { type: 'tool-input-delta', id: 'b', delta: '{}' },
  { type: 'tool-input-delta', id: 'a', delta: '"Zürich"}' },
  { type: 'tool-input-end', id: 'b' },
  { type: 'tool-call', id: 'b', toolCallId: 'toolu_02', toolName: 'time', argumentsText: '{}' },
  { type: 'tool-input-end', id: 'a' },
  { type: 'tool-call', id: 'a', toolCallId: 'toolu_01', toolName: 'weather', argumentsText: '{"city":"Zürich"}' },
  { type: 'usage', usage: { inputTokens: 20 } },
  { type: 'finish', finishReason: { unified: 'tool-calls', raw: 'tool_use', protocol: 'anthropic' }, usage: { outputTokens: 12, reasoningTokens: 4 } },
];

function encode(events: IrStreamEvent[], sse: boolean, request = irRequest()): string {
  const encoder = createGeminiStreamEncoder(request, { sse });
  return events.map((event) => encoder.push(event)).join('') + encoder.end();
}

function sseChunks(text: string): any[] {
  const parser = new SseParser();
  return [...parser.push(Buffer.from(text)), ...parser.end()].map((event) => JSON.parse(event.data));
}

describe('Gemini stream encoder', () => {
  it('writes SSE frames with CRLF, one part per chunk, calls whole, finish and usage last', () => {
    const text = encode(toolAnswer, true);
    expect(text.split('\r\n\r\n').filter(Boolean).every((frame) => frame.startsWith('data: {') && !frame.includes('\n'))).toBe(true);
    const parts = sseChunks(text).map((chunk) => chunk.candidates[0].content.parts);
    expect(parts).toEqual([
      [{ text: 'Need the weather.', thought: true }],
      [{ text: '', thought: true, thoughtSignature: 'localgate.anthropic.EqQBCkYIBx' }],
      [{ text: 'Checking ' }],
      [{ text: 'Zürich 🙂' }],
      // The signed thinking also rides, whole, on the first call (for clients that keep only calls).
      [{ functionCall: { id: 'toolu_02', name: 'time', args: {} }, thoughtSignature: wrapThinking('Need the weather.', { family: 'anthropic', value: 'EqQBCkYIBx' }) }],
      [{ functionCall: { id: 'toolu_01', name: 'weather', args: { city: 'Zürich' } } }],
      [{ text: '' }],
    ]);
    const last = sseChunks(text).at(-1);
    expect(last).toEqual({
      candidates: [{ content: { parts: [{ text: '' }], role: 'model' }, finishReason: 'STOP', index: 0 }],
      usageMetadata: { promptTokenCount: 20, candidatesTokenCount: 8, totalTokenCount: 32, thoughtsTokenCount: 4 },
      modelVersion: 'claude-sonnet-4',
      responseId: 'msg_01',
    });
  });

  it('writes the JSON-array form as Google does without alt=sse', () => {
    const encoder = createGeminiStreamEncoder(irRequest(), { sse: false });
    expect(encoder.contentType).toBe('application/json');
    const text = encode(toolAnswer, false);
    expect(text.startsWith('[{"candidates"')).toBe(true);
    expect(text).toContain('}\n,\r\n{');
    expect(text.endsWith('}\n]')).toBe(true);
    expect(JSON.parse(text)).toEqual(sseChunks(encode(toolAnswer, true)));
    expect(encode([], false)).toMatch(/^\[\{"error":.*\}\n\]$/);
  });

  it('never sends {} for arguments that are not JSON: {_raw} with a warning', () => {
    const request = irRequest();
    const text = encode(
      [
        { type: 'response-start', id: 'x', model: 'm', created: 1 },
        { type: 'tool-input-start', id: 'a', toolCallId: 'c', toolName: 'f' },
        { type: 'tool-input-delta', id: 'a', delta: '{"a": tru' },
        { type: 'tool-input-end', id: 'a' },
        { type: 'tool-call', id: 'a', toolCallId: 'c', toolName: 'f', argumentsText: '{"a": tru' },
        { type: 'finish', finishReason: { unified: 'tool-calls' }, usage: {} },
      ],
      true,
      request,
    );
    expect(sseChunks(text)[0].candidates[0].content.parts[0].functionCall.args).toEqual({ _raw: '{"a": tru' });
    expect(request.warnings).toContainEqual(expect.objectContaining({ feature: 'functionCall.args' }));
  });

  it('writes an in-stream error after bytes were sent, and closes a stream that stopped', () => {
    const error: IrStreamEvent = { type: 'error', error: { kind: 'overloaded', status: 503, message: 'Overloaded' } };
    const text = encode([toolAnswer[0]!, toolAnswer[5]!, toolAnswer[6]!, error, toolAnswer[7]!], true);
    expect(sseChunks(text).at(-1)).toEqual({ error: { code: 503, message: 'Overloaded', status: 'UNAVAILABLE' } });
    const stopped = encode(toolAnswer.slice(0, 8), true);
    expect(sseChunks(stopped).at(-1)).toMatchObject({ error: { code: 502, status: 'INTERNAL' } });
    const array = encode([toolAnswer[0]!, toolAnswer[5]!, toolAnswer[6]!, error], false);
    expect(JSON.parse(array).at(-1)).toEqual({ error: { code: 503, message: 'Overloaded', status: 'UNAVAILABLE' } });
  });

  it('encode → decode gives back the same answer (Gemini as client, then as upstream)', () => {
    const fold = (events: IrStreamEvent[]) => {
      const content: unknown[] = [];
      let finish: unknown;
      for (const event of events) {
        if (event.type === 'text-delta') content.push(['text', event.delta]);
        if (event.type === 'reasoning-delta') content.push(['reasoning', event.delta]);
        if (event.type === 'reasoning-signature') content.push(['signature', event.signature.value]);
        if (event.type === 'tool-call') content.push(['call', event.toolName, JSON.parse(event.argumentsText), event.signature?.value]);
        if (event.type === 'finish') finish = event.finishReason.unified;
        if (event.type === 'error') finish = event.error.kind;
      }
      return { content, finish };
    };
    const step = fc.oneof(
      fc.string({ minLength: 1 }).map((delta) => ({ kind: 'text' as const, delta })),
      fc.string({ minLength: 1 }).map((delta) => ({ kind: 'reasoning' as const, delta })),
      fc.record({ name: fc.stringMatching(/^[a-z]{1,8}$/), args: fc.dictionary(fc.string({ maxLength: 4 }), fc.oneof(fc.string(), fc.integer())), signature: fc.option(fc.base64String({ minLength: 4, maxLength: 8 }), { nil: undefined }) }).map((call) => ({ kind: 'call' as const, ...call })),
    );
    fc.assert(
      fc.property(fc.array(step, { maxLength: 8 }), fc.array(fc.integer({ min: 1, max: 50 }), { minLength: 1, maxLength: 5 }), fc.boolean(), (steps, cuts, sse) => {
        const events: IrStreamEvent[] = [{ type: 'response-start', id: 'r1', model: 'm', created: 1 }];
        steps.forEach((item, index) => {
          const id = `b${index}`;
          if (item.kind === 'text') events.push({ type: 'text-start', id }, { type: 'text-delta', id, delta: item.delta }, { type: 'text-end', id });
          if (item.kind === 'reasoning') events.push({ type: 'reasoning-start', id }, { type: 'reasoning-delta', id, delta: item.delta }, { type: 'reasoning-end', id });
          if (item.kind === 'call') {
            const argumentsText = JSON.stringify(item.args);
            events.push(
              { type: 'tool-input-start', id, toolCallId: `c${index}`, toolName: item.name },
              { type: 'tool-input-delta', id, delta: argumentsText },
              { type: 'tool-input-end', id },
              { type: 'tool-call', id, toolCallId: `c${index}`, toolName: item.name, argumentsText, ...(item.signature ? { signature: { family: 'gemini' as const, value: item.signature } } : {}) },
            );
          }
        });
        const hasCalls = steps.some((item) => item.kind === 'call');
        events.push({ type: 'finish', finishReason: { unified: hasCalls ? 'tool-calls' : 'stop' }, usage: { inputTokens: 1, outputTokens: 2 } });
        const bytes = Buffer.from(encode(events, sse));
        const decoder = createGeminiStreamDecoder();
        const decoded: IrStreamEvent[] = [];
        for (let offset = 0, index = 0; offset < bytes.length; offset += cuts[index++ % cuts.length]!) {
          decoded.push(...decoder.push(bytes.subarray(offset, offset + cuts[index % cuts.length]!)));
        }
        decoded.push(...decoder.end());
        expect(fold(decoded)).toEqual(fold(events));
      }),
      { numRuns: 200 },
    );
  });
});

describe('official SDKs read the encoder output', () => {
  let server: Server;
  let baseUrl: string;
  let respond: (path: string) => { contentType: string; body: string };
  const paths: string[] = [];

  beforeAll(async () => {
    server = createServer((request, response) => {
      request.resume();
      request.on('end', () => {
        paths.push(request.url ?? '');
        const { contentType, body } = respond(request.url ?? '');
        response.writeHead(200, { 'content-type': contentType });
        // Write frame by frame, as the proxy would.
        const frames = body.split(/(?<=\r\n\r\n)/);
        for (const frame of frames) response.write(frame);
        response.end();
      });
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    baseUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });
  afterAll(async () => {
    server.closeAllConnections();
    await new Promise<void>((resolve) => server.close(() => resolve()));
  });

  const streamFromCodec = (events: IrStreamEvent[]) => () => {
    const encoder = geminiClientCodec.createStreamEncoder(irRequest());
    return { contentType: encoder.contentType, body: events.map((event) => encoder.push(event)).join('') + encoder.end() };
  };

  it('@google/genai streams text and function calls, and keeps the turn in chat history', async () => {
    respond = streamFromCodec(toolAnswer);
    const ai = new GoogleGenAI({ apiKey: 'test-key', httpOptions: { baseUrl } });
    const chunks = [];
    for await (const chunk of await ai.models.generateContentStream({ model: 'gemini-2.5-flash', contents: 'Weather?' })) chunks.push(chunk);
    expect(paths.at(-1)).toBe('/v1beta/models/gemini-2.5-flash:streamGenerateContent?alt=sse');
    expect(chunks.map((chunk) => chunk.text ?? '').join('')).toBe('Checking Zürich 🙂');
    expect(chunks.flatMap((chunk) => chunk.functionCalls ?? [])).toEqual([
      { id: 'toolu_02', name: 'time', args: {} },
      { id: 'toolu_01', name: 'weather', args: { city: 'Zürich' } },
    ]);
    expect(chunks.at(-1)?.usageMetadata?.totalTokenCount).toBe(32);

    const chat = ai.chats.create({ model: 'gemini-2.5-flash' });
    for await (const chunk of await chat.sendMessageStream({ message: 'Weather?' })) void chunk;
    const history = chat.getHistory();
    expect(history.filter((content) => content.role === 'model').length).toBe(7);
  });

  it('@google/genai raises an in-stream error', async () => {
    respond = streamFromCodec([toolAnswer[0]!, toolAnswer[5]!, toolAnswer[6]!, { type: 'error', error: { kind: 'rate-limit', status: 429, message: 'Slow down' } }]);
    const ai = new GoogleGenAI({ apiKey: 'test-key', httpOptions: { baseUrl } });
    const read = async () => {
      for await (const chunk of await ai.models.generateContentStream({ model: 'gemini-2.5-flash', contents: 'x' })) void chunk;
    };
    await expect(read()).rejects.toThrow(/429|Slow down/);
  });

  it('@google/generative-ai (regex data-line parser) reads the same stream', async () => {
    respond = streamFromCodec(toolAnswer);
    const model = new GoogleGenerativeAI('test-key').getGenerativeModel({ model: 'gemini-2.5-flash' }, { baseUrl });
    const result = await model.generateContentStream('Weather?');
    let text = '';
    for await (const chunk of result.stream) text += chunk.candidates?.[0]?.content.parts.map((part) => ((part as { thought?: boolean }).thought ? '' : (part.text ?? ''))).join('') ?? '';
    expect(text).toBe('Checking Zürich 🙂');
    const response = await result.response;
    expect(response.functionCalls()).toEqual([
      { id: 'toolu_02', name: 'time', args: {} },
      { id: 'toolu_01', name: 'weather', args: { city: 'Zürich' } },
    ]);
  });

  it('replays a captured Gemini stream through decoder → encoder for the SDK', async () => {
    const lines = readFileSync(new URL('./__fixtures__/gemini-3-parallel-tool-calls.chunks.txt', import.meta.url), 'utf8').split('\n').filter(Boolean);
    const decoder = createGeminiStreamDecoder();
    const events = [...decoder.push(Buffer.from(lines.map((line) => `data: ${line}\r\n\r\n`).join(''))), ...decoder.end()];
    respond = streamFromCodec(events);
    const ai = new GoogleGenAI({ apiKey: 'test-key', httpOptions: { baseUrl } });
    const calls = [];
    for await (const chunk of await ai.models.generateContentStream({ model: 'gemini-3-pro-preview', contents: 'x' })) calls.push(...(chunk.functionCalls ?? []));
    expect(calls.map((call) => call.args)).toEqual([
      { location: 'San Francisco', unit: 'celsius' },
      { location: 'Zürich', unit: 'celsius' },
    ]);
  });
});
