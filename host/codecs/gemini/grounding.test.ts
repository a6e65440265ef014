import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { assertEventOrder } from '../../ir/assert-event-order.js';
import type { IrCitation } from '../../ir/ir-part.js';
import type { IrRequest } from '../../ir/ir-request.js';
import type { IrResponse } from '../../ir/ir-response.js';
import type { IrStreamEvent } from '../../ir/ir-stream-event.js';
import { decodeGeminiRequest } from './decode-request.js';
import { decodeGeminiResponse } from './decode-response.js';
import { createGeminiStreamDecoder } from './decode-stream.js';
import { encodeGeminiRequest } from './encode-request.js';
import { encodeGeminiResponse } from './encode-response.js';
import { createGeminiStreamEncoder } from './encode-stream.js';

const fixture = (name: string) => readFileSync(new URL(`./__fixtures__/${name}`, import.meta.url), 'utf8');
const request: IrRequest = { model: 'gemini-2.5-flash', instructions: [], messages: [{ role: 'user', parts: [{ type: 'text', text: 'Who won?' }] }], tools: [], sampling: {}, stream: false, extras: {}, warnings: [] };

const FIRST = 'Spain won Euro 2024, defeating England 2–1 in the final.';
const SECOND = 'This victory marks Spain’s record fourth European Championship title.';
const ALJAZEERA = { url: 'https://vertexaisearch.cloud.google.com/grounding-api-redirect/AUZIYQEaljazeera', title: 'aljazeera.com' };
const UEFA = { url: 'https://vertexaisearch.cloud.google.com/grounding-api-redirect/AUZIYQEuefa', title: 'uefa.com' };
/** The fixture's supports in UTF-16 code units: the dash and the apostrophe are 3 bytes each. */
const CITATIONS: IrCitation[] = [
  { ...ALJAZEERA, citedText: FIRST, startIndex: 0, endIndex: FIRST.length },
  { ...ALJAZEERA, citedText: SECOND, startIndex: FIRST.length + 1, endIndex: FIRST.length + 1 + SECOND.length },
  { ...UEFA, citedText: SECOND, startIndex: FIRST.length + 1, endIndex: FIRST.length + 1 + SECOND.length },
];

describe('Google Search: request', () => {
  it('decodes googleSearch (or google_search) as the IR web search, excludeDomains as blocked domains', () => {
    const decoded = decodeGeminiRequest({ contents: [{ role: 'user', parts: [{ text: 'hi' }] }], tools: [{ google_search: { excludeDomains: ['spam.example'] } }] }, { model: 'gemini-2.5-flash', headers: {} });
    expect(decoded.serverTools).toEqual([{ kind: 'web-search', blockedDomains: ['spam.example'] }]);
    expect(decoded.warnings).toEqual([]);
  });

  it('encodes the IR web search as googleSearch, without a function calling config; options Google Search lacks are dropped with a warning', () => {
    const ir: IrRequest = { ...request, toolChoice: { type: 'auto' }, serverTools: [{ kind: 'web-search', maxUses: 3, userLocation: { country: 'FR' } }], warnings: [] };
    const body = encodeGeminiRequest(ir, 'gemini-2.5-flash');
    expect(body.tools).toEqual([{ googleSearch: {} }]);
    // Gemini: "Function calling config is set without function_declarations."
    expect(body).not.toHaveProperty('toolConfig');
    expect(ir.warnings).toContainEqual({ type: 'dropped', feature: 'web_search options', details: 'Google Search takes no max uses, user location' });
  });

  it('keeps the function declarations and drops the search with a warning when a request has both (Gemini refuses the pair)', () => {
    const ir: IrRequest = {
      ...request,
      tools: [{ name: 'lookup', parameters: { type: 'object', properties: {} } }],
      toolChoice: { type: 'auto' },
      serverTools: [{ kind: 'web-search' }],
      warnings: [],
    };
    const body = encodeGeminiRequest(ir, 'gemini-3-flash-preview');
    expect(body.tools).toEqual([{ functionDeclarations: [expect.objectContaining({ name: 'lookup' })] }]);
    expect(body.toolConfig).toEqual({ functionCallingConfig: { mode: 'AUTO' } });
    expect(ir.warnings).toContainEqual(expect.objectContaining({ type: 'dropped', feature: 'web_search' }));
  });
});

describe('Google Search: grounded answers → IR', () => {
  it('decodes a whole answer: the search first, then citations in code units on the text', () => {
    const response = decodeGeminiResponse(JSON.parse(fixture('gemini-google-search.json')));
    expect(response.content).toEqual([
      { type: 'web-search-call', id: 'ws_grounded-euro-2024', queries: ['UEFA Euro 2024 winner', 'who won euro 2024'], sources: [ALJAZEERA, UEFA] },
      { type: 'text', text: `${FIRST} ${SECOND}`, citations: CITATIONS },
    ]);
    const answer = response.content[1];
    const text = answer?.type === 'text' ? answer.text : '';
    expect(CITATIONS.map((citation) => text.slice(citation.startIndex, citation.endIndex))).toEqual([FIRST, SECOND, SECOND]);
  });

  it('decodes a stream: metadata on the last chunk → the search and citations on the open text block, before its end', () => {
    const bytes = Buffer.from(fixture('gemini-google-search.chunks.txt').split('\n').filter(Boolean).map((line) => `data: ${line}\r\n\r\n`).join(''));
    const decoder = createGeminiStreamDecoder({ grounded: true });
    // Cut inside the multibyte characters too.
    const events: IrStreamEvent[] = [];
    for (let offset = 0; offset < bytes.length; offset += 37) events.push(...decoder.push(bytes.subarray(offset, offset + 37)));
    events.push(...decoder.end());
    assertEventOrder(events);
    const tail = events.slice(events.findIndex((event) => event.type === 'web-search-call'));
    expect(tail).toEqual([
      { type: 'web-search-call', id: 'ws_grounded-euro-2024-stream', queries: ['UEFA Euro 2024 winner', 'who won euro 2024'], sources: [ALJAZEERA, UEFA] },
      ...CITATIONS.map((citation) => ({ type: 'text-citation', id: 'text-0', citation })),
      { type: 'text-end', id: 'text-0' },
      { type: 'finish', finishReason: { unified: 'stop', raw: 'STOP', protocol: 'gemini' }, usage: expect.any(Object) },
    ]);
  });

  it('puts the citations on the text before a signed empty part of the last chunk closes it (Gemini 3)', () => {
    const lines = fixture('gemini-google-search.chunks.txt').split('\n').filter(Boolean);
    const last = JSON.parse(lines.at(-1)!);
    last.candidates[0].content.parts.push({ text: '', thoughtSignature: 'CiQBVKhc7signature' });
    lines[lines.length - 1] = JSON.stringify(last);
    const decoder = createGeminiStreamDecoder({ grounded: true });
    const events = [...decoder.push(Buffer.from(lines.map((line) => `data: ${line}\r\n\r\n`).join(''))), ...decoder.end()];
    assertEventOrder(events);
    expect(events.filter((event) => event.type === 'text-citation').map((event) => event.citation)).toEqual(CITATIONS);
    expect(events.filter((event) => event.type === 'web-search-call')).toHaveLength(1);
    expect(events.findIndex((event) => event.type === 'text-citation')).toBeLessThan(events.findIndex((event) => event.type === 'text-end'));
  });

  it('keeps no copy of the answer when no search was asked for: the search is reported, no spans are guessed', () => {
    const bytes = Buffer.from(fixture('gemini-google-search.chunks.txt').split('\n').filter(Boolean).map((line) => `data: ${line}\r\n\r\n`).join(''));
    const decoder = createGeminiStreamDecoder();
    const events = [...decoder.push(bytes), ...decoder.end()];
    assertEventOrder(events);
    expect(events.filter((event) => event.type === 'web-search-call')).toHaveLength(1);
    expect(events.filter((event) => event.type === 'text-citation')).toEqual([]);
  });

  it('places a citation of a later text part relative to that part', () => {
    const body = JSON.parse(fixture('gemini-google-search.json'));
    // Same answer in two parts (a thought signature often splits Gemini 3 text the same way).
    body.candidates[0].content.parts = [{ text: `${FIRST} ` }, { text: SECOND }];
    const response = decodeGeminiResponse(body);
    const texts = response.content.filter((part) => part.type === 'text');
    expect(texts.map((part) => part.citations?.map((citation) => part.text.slice(citation.startIndex, citation.endIndex)))).toEqual([[FIRST], [SECOND, SECOND]]);
  });
});

describe('Google Search: IR → a Gemini client', () => {
  const search = { id: 'srvtoolu_1', queries: ['euro 2024 winner'], sources: [UEFA, ALJAZEERA] };
  /** Anthropic-style: no span, the whole text part is cited. */
  const wholeBlock: IrCitation = { url: UEFA.url, title: UEFA.title, citedText: 'Spain beat England.' };

  it('writes groundingMetadata with byte spans over the whole answer text', () => {
    const response: IrResponse = {
      id: 'msg_1',
      model: 'claude-sonnet-4-5',
      created: 0,
      content: [
        { type: 'web-search-call', ...search },
        { type: 'text', text: 'Result – ' },
        { type: 'text', text: FIRST, citations: [wholeBlock] },
        { type: 'text', text: ` ${SECOND}`, citations: [{ ...ALJAZEERA, startIndex: 1, endIndex: 1 + SECOND.length }] },
      ],
      finishReason: { unified: 'stop' },
      usage: {},
      warnings: [],
    };
    const encoded = encodeGeminiResponse(response, request);
    const candidate = encoded.candidates![0]!;
    const metadata = candidate['groundingMetadata'] as { webSearchQueries: string[]; groundingChunks: unknown[]; groundingSupports: Array<{ segment: { startIndex: number; endIndex: number; text?: string }; groundingChunkIndices: number[] }> };
    expect(metadata.webSearchQueries).toEqual(['euro 2024 winner']);
    expect(metadata.groundingChunks).toEqual([{ web: { uri: UEFA.url, title: 'uefa.com' } }, { web: { uri: ALJAZEERA.url, title: 'aljazeera.com' } }]);
    const answer = Buffer.from(candidate.content!.parts!.map((part) => part.text ?? '').join(''));
    expect(metadata.groundingSupports.map((support) => [answer.subarray(support.segment.startIndex, support.segment.endIndex).toString(), support.segment.text, support.groundingChunkIndices])).toEqual([
      [FIRST, FIRST, [0]],
      [SECOND, SECOND, [1]],
    ]);
  });

  it('streams groundingMetadata on the last chunk only, and only when the client asked for search', () => {
    const events: IrStreamEvent[] = [
      { type: 'response-start', id: 'msg_1', model: 'claude-sonnet-4-5', created: 0 },
      { type: 'web-search-call', ...search },
      { type: 'text-start', id: 'a' },
      { type: 'text-delta', id: 'a', delta: 'Result – ' },
      { type: 'text-end', id: 'a' },
      { type: 'text-start', id: 'b' },
      { type: 'text-citation', id: 'b', citation: wholeBlock },
      { type: 'text-delta', id: 'b', delta: 'Spain won Euro 2024, ' },
      { type: 'text-delta', id: 'b', delta: 'defeating England 2–1 in the final.' },
      { type: 'text-end', id: 'b' },
      { type: 'finish', finishReason: { unified: 'stop' }, usage: {} },
    ];
    const run = (ir: IrRequest) => {
      const encoder = createGeminiStreamEncoder(ir, { sse: true });
      return events.map((event) => encoder.push(event)).join('').split('\r\n\r\n').filter(Boolean).map((frame) => JSON.parse(frame.slice('data: '.length)));
    };
    const chunks = run({ ...request, serverTools: [{ kind: 'web-search' }] });
    expect(chunks.slice(0, -1).every((chunk) => chunk.candidates[0].groundingMetadata === undefined)).toBe(true);
    const metadata = chunks.at(-1).candidates[0].groundingMetadata;
    const answer = Buffer.from(chunks.map((chunk) => chunk.candidates[0].content.parts.map((part: { text?: string }) => part.text ?? '').join('')).join(''));
    expect(metadata.groundingSupports).toHaveLength(1);
    const segment = metadata.groundingSupports[0].segment;
    expect(answer.subarray(segment.startIndex, segment.endIndex).toString()).toBe(FIRST);
    expect(run(request).at(-1).candidates[0].groundingMetadata).toBeUndefined();
  });
});
