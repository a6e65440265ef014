import { jsonArrayFrames } from '../../fakes/fake-gemini-upstream.js';
import { dataFrames, type StreamFixture, type WireForm } from './stream-fixture.js';
import type { StreamMeaning } from './stream-meaning.js';

/**
 * Gemini `streamGenerateContent` answers. Each chunk is a whole GenerateContentResponse; Google
 * repeats the cumulative `usageMetadata` on every chunk and puts `finishReason` on the last one,
 * often in the same chunk as the last content (a short answer is ONE chunk). With `?alt=sse` it
 * writes `data: {…}\r\n\r\n` (some Gemini-compatible servers use LF); without, one pretty-printed
 * JSON array written piece by piece (`[{…}\n,\r\n{…}\n]`). Gemini 3 signs function calls and puts
 * a signature on a last, often empty, text part; thought parts carry `thought: true`.
 * @see https://ai.google.dev/api/generate-content#method:-models.streamgeneratecontent
 * @see https://ai.google.dev/gemini-api/docs/thought-signatures
 */
type Part = Record<string, unknown>;

interface Usage {
  promptTokenCount: number;
  candidatesTokenCount?: number;
  thoughtsTokenCount?: number;
  cachedContentTokenCount?: number;
}

function chunk(parts: Part[], usage: Usage, options: { finishReason?: string; model: string; responseId: string }): object {
  // promptTokenCount already includes cachedContentTokenCount.
  const total = usage.promptTokenCount + (usage.candidatesTokenCount ?? 0) + (usage.thoughtsTokenCount ?? 0);
  return {
    candidates: [{ content: { parts, role: 'model' }, ...(options.finishReason ? { finishReason: options.finishReason } : {}), index: 0 }],
    usageMetadata: {
      ...usage,
      totalTokenCount: total,
      promptTokensDetails: [{ modality: 'TEXT', tokenCount: usage.promptTokenCount }],
    },
    modelVersion: options.model,
    responseId: options.responseId,
  };
}

function geminiFixture(name: string, chunks: object[], sseLineEnd: '\n' | '\r\n', expected: StreamMeaning): StreamFixture {
  return {
    name,
    family: 'gemini',
    wire: (form: WireForm) =>
      form === 'sse'
        ? { status: 200, headers: { 'content-type': 'text/event-stream' }, chunks: dataFrames(chunks, sseLineEnd) }
        : { status: 200, headers: { 'content-type': 'application/json; charset=UTF-8' }, chunks: jsonArrayFrames(chunks) },
    expected,
  };
}

/** A file a coding agent writes: about 120 KB, larger than the proxy's 64 KB first-event peek, multibyte throughout. */
const BIG_FILE = Array.from({ length: 2_000 }, (_, line) => `${line}: héllo 世界 🙂 — the quick brown fox\n`).join('');

const FLASH = { model: 'gemini-2.5-flash', responseId: 'gEmInI25fLaSh0nE' };
const PRO3 = { model: 'gemini-3-pro-preview', responseId: 'gEmInI3pRoSiGnEd' };
// Made-up signatures in the shape Gemini sends (base64 of an opaque blob).
const SIGNATURE_A = 'CiQBjz1rX3N0cmVhbS1jb3JwdXMtc2lnbmF0dXJlLWFhYWFhYWFhYQ==';
const SIGNATURE_B = 'CiQBjz1rX3N0cmVhbS1jb3JwdXMtc2lnbmF0dXJlLWJiYmJiYmJiYg==';

export const GEMINI_FIXTURES: StreamFixture[] = [
  geminiFixture(
    'gemini: one event with content, finishReason and usage (CRLF)',
    [chunk([{ text: 'héllo 世界 🙂' }], { promptTokenCount: 5, candidatesTokenCount: 6 }, { ...FLASH, finishReason: 'STOP' })],
    '\r\n',
    { text: 'héllo 世界 🙂', reasoning: '', toolCalls: [], finish: 'stop', usage: { input: 5, output: 6 } },
  ),
  geminiFixture(
    'gemini: one event with content, finishReason and usage (LF)',
    [chunk([{ text: 'OK' }], { promptTokenCount: 3, candidatesTokenCount: 1 }, { ...FLASH, finishReason: 'STOP' })],
    '\n',
    { text: 'OK', reasoning: '', toolCalls: [], finish: 'stop', usage: { input: 3, output: 1 } },
  ),
  geminiFixture(
    'gemini: a functionCall part alone, finished in the same event',
    [chunk([{ functionCall: { name: 'get_weather', args: { city: 'Zürich', unit: 'celsius' } } }], { promptTokenCount: 40, candidatesTokenCount: 9 }, { ...FLASH, finishReason: 'STOP' })],
    '\r\n',
    { text: '', reasoning: '', toolCalls: [{ name: 'get_weather', args: { city: 'Zürich', unit: 'celsius' } }], finish: 'tool-calls', usage: { input: 40, output: 9 } },
  ),
  geminiFixture(
    'gemini: text, then several functionCall parts in one event',
    [
      chunk([{ text: 'Checking both cities.' }], { promptTokenCount: 52, candidatesTokenCount: 4 }, FLASH),
      chunk(
        [
          { functionCall: { name: 'get_weather', args: { city: 'Paris' } } },
          { functionCall: { name: 'get_weather', args: { city: '東京', unit: 'celsius' } } },
          { functionCall: { name: 'get_time', args: { timezone: 'Asia/Tokyo' } } },
        ],
        { promptTokenCount: 52, candidatesTokenCount: 31 },
        { ...FLASH, finishReason: 'STOP' },
      ),
    ],
    '\r\n',
    {
      text: 'Checking both cities.',
      reasoning: '',
      toolCalls: [
        { name: 'get_weather', args: { city: 'Paris' } },
        { name: 'get_weather', args: { city: '東京', unit: 'celsius' } },
        { name: 'get_time', args: { timezone: 'Asia/Tokyo' } },
      ],
      finish: 'tool-calls',
      usage: { input: 52, output: 31 },
    },
  ),
  geminiFixture(
    'gemini 3: a signed functionCall, then a closing event with an empty text part',
    [
      chunk([{ functionCall: { name: 'get_weather', args: { city: 'San Francisco' } }, thoughtSignature: SIGNATURE_A }], { promptTokenCount: 29, candidatesTokenCount: 15, thoughtsTokenCount: 804 }, PRO3),
      chunk([{ text: '' }], { promptTokenCount: 29, candidatesTokenCount: 15, thoughtsTokenCount: 804 }, { ...PRO3, finishReason: 'STOP' }),
    ],
    '\r\n',
    { text: '', reasoning: '', toolCalls: [{ name: 'get_weather', args: { city: 'San Francisco' } }], finish: 'tool-calls', usage: { input: 29, output: 819 } },
  ),
  geminiFixture(
    'gemini 3: text, then a final empty text part carrying a thoughtSignature',
    [
      chunk([{ text: 'There are **3** "r"s in ' }], { promptTokenCount: 9, candidatesTokenCount: 8, thoughtsTokenCount: 185 }, PRO3),
      chunk([{ text: 'strawberry — ストロベリー 🍓.' }], { promptTokenCount: 9, candidatesTokenCount: 19, thoughtsTokenCount: 185 }, PRO3),
      chunk([{ text: '', thoughtSignature: SIGNATURE_B }], { promptTokenCount: 9, candidatesTokenCount: 19, thoughtsTokenCount: 185 }, { ...PRO3, finishReason: 'STOP' }),
    ],
    '\r\n',
    { text: 'There are **3** "r"s in strawberry — ストロベリー 🍓.', reasoning: '', toolCalls: [], finish: 'stop', usage: { input: 9, output: 204 } },
  ),
  geminiFixture(
    'gemini: thought parts (thought: true), then the answer',
    [
      chunk([{ text: '**Counting letters**\nThe user asks about ', thought: true }], { promptTokenCount: 12 }, { ...FLASH, model: 'gemini-2.5-pro' }),
      chunk([{ text: 'the word « café ».', thought: true }], { promptTokenCount: 12 }, { ...FLASH, model: 'gemini-2.5-pro' }),
      chunk([{ text: '« café » has 4 letters' }], { promptTokenCount: 12, candidatesTokenCount: 6, thoughtsTokenCount: 48 }, { ...FLASH, model: 'gemini-2.5-pro' }),
      chunk([{ text: ' (é counts as one).' }], { promptTokenCount: 12, candidatesTokenCount: 13, thoughtsTokenCount: 48, cachedContentTokenCount: 8 }, { ...FLASH, model: 'gemini-2.5-pro', finishReason: 'STOP' }),
    ],
    '\n',
    {
      text: '« café » has 4 letters (é counts as one).',
      reasoning: '**Counting letters**\nThe user asks about the word « café ».',
      toolCalls: [],
      finish: 'stop',
      usage: { input: 12, output: 61 },
    },
  ),
  geminiFixture(
    'gemini: cut off at MAX_TOKENS',
    [
      chunk([{ text: 'Once upon a time, ' }], { promptTokenCount: 7, candidatesTokenCount: 5 }, FLASH),
      chunk([{ text: 'in a land far' }], { promptTokenCount: 7, candidatesTokenCount: 10 }, { ...FLASH, finishReason: 'MAX_TOKENS' }),
    ],
    '\r\n',
    { text: 'Once upon a time, in a land far', reasoning: '', toolCalls: [], finish: 'length', usage: { input: 7, output: 10 } },
  ),
  geminiFixture(
    'gemini 3: a thought, a signed functionCall without args, a closing empty text part',
    [
      chunk([{ text: '**Listing cities**\nI should read the saved cities first.', thought: true }], { promptTokenCount: 249 }, { ...PRO3, model: 'gemini-3-flash-preview' }),
      chunk([{ functionCall: { name: 'list_cities' }, thoughtSignature: SIGNATURE_A }], { promptTokenCount: 249 }, { ...PRO3, model: 'gemini-3-flash-preview' }),
      chunk([{ text: '' }], { promptTokenCount: 249, candidatesTokenCount: 58, thoughtsTokenCount: 183 }, { ...PRO3, model: 'gemini-3-flash-preview', finishReason: 'STOP' }),
    ],
    '\r\n',
    { text: '', reasoning: '**Listing cities**\nI should read the saved cities first.', toolCalls: [{ name: 'list_cities', args: {} }], finish: 'tool-calls', usage: { input: 249, output: 241 } },
  ),
  geminiFixture(
    'gemini: text and a functionCall part in one finishing event',
    [
      chunk(
        [{ text: 'Sure — looking it up.' }, { functionCall: { name: 'get_time', args: { timezone: 'Europe/Paris' } } }],
        { promptTokenCount: 33, candidatesTokenCount: 14 },
        { ...FLASH, finishReason: 'STOP' },
      ),
    ],
    '\r\n',
    { text: 'Sure — looking it up.', reasoning: '', toolCalls: [{ name: 'get_time', args: { timezone: 'Europe/Paris' } }], finish: 'tool-calls', usage: { input: 33, output: 14 } },
  ),
  geminiFixture(
    'gemini 2.5: thinking used up the budget, one event whose content has no parts (MAX_TOKENS)',
    [
      {
        candidates: [{ content: { role: 'model' }, finishReason: 'MAX_TOKENS', index: 0 }],
        usageMetadata: { promptTokenCount: 8, totalTokenCount: 72, promptTokensDetails: [{ modality: 'TEXT', tokenCount: 8 }], thoughtsTokenCount: 64 },
        modelVersion: 'gemini-2.5-flash',
        responseId: 'gEmInI25nOpArTs',
      },
    ],
    '\r\n',
    { text: '', reasoning: '', toolCalls: [], finish: 'length', usage: { input: 8, output: 64 } },
  ),
  geminiFixture(
    'gemini: the prompt is blocked, one event with promptFeedback and no candidates',
    [
      {
        promptFeedback: { blockReason: 'PROHIBITED_CONTENT' },
        usageMetadata: { promptTokenCount: 9, totalTokenCount: 9, promptTokensDetails: [{ modality: 'TEXT', tokenCount: 9 }] },
        modelVersion: 'gemini-2.5-flash',
        responseId: 'gEmInI25bLoCkEd',
      },
    ],
    '\r\n',
    { text: '', reasoning: '', toolCalls: [], finish: 'content-filter', usage: { input: 9, output: 0 } },
  ),
  geminiFixture(
    'gemini: stopped for SAFETY mid-answer, a last candidate without content',
    [
      chunk([{ text: 'Here is how ' }], { promptTokenCount: 21, candidatesTokenCount: 3 }, FLASH),
      {
        candidates: [
          {
            finishReason: 'SAFETY',
            index: 0,
            safetyRatings: [
              { category: 'HARM_CATEGORY_DANGEROUS_CONTENT', probability: 'HIGH', blocked: true },
              { category: 'HARM_CATEGORY_HARASSMENT', probability: 'NEGLIGIBLE' },
            ],
          },
        ],
        usageMetadata: { promptTokenCount: 21, candidatesTokenCount: 3, totalTokenCount: 24 },
        modelVersion: FLASH.model,
        responseId: FLASH.responseId,
      },
    ],
    '\r\n',
    { text: 'Here is how ', reasoning: '', toolCalls: [], finish: 'content-filter', usage: { input: 21, output: 3 } },
  ),
  geminiFixture(
    'gemini: one event holding a 120 KB function call (larger than the first-event peek)',
    [chunk([{ functionCall: { name: 'write_file', args: { path: 'notes/big.txt', content: BIG_FILE } } }], { promptTokenCount: 300, candidatesTokenCount: 41_000 }, { ...FLASH, finishReason: 'STOP' })],
    '\r\n',
    { text: '', reasoning: '', toolCalls: [{ name: 'write_file', args: { path: 'notes/big.txt', content: BIG_FILE } }], finish: 'tool-calls', usage: { input: 300, output: 41_000 } },
  ),
  geminiFixture(
    'gemini 2.5: a thought, text, a functionCall, then more text after the call',
    [
      chunk([{ text: '**Planning**\nRead the file first.', thought: true }], { promptTokenCount: 40 }, { ...FLASH, model: 'gemini-2.5-pro' }),
      chunk([{ text: 'Let me read it. ' }], { promptTokenCount: 40 }, { ...FLASH, model: 'gemini-2.5-pro' }),
      chunk([{ functionCall: { name: 'get_time', args: { timezone: 'UTC' } } }], { promptTokenCount: 40 }, { ...FLASH, model: 'gemini-2.5-pro' }),
      chunk([{ text: 'Reading now.' }], { promptTokenCount: 40, candidatesTokenCount: 30, thoughtsTokenCount: 120 }, { ...FLASH, model: 'gemini-2.5-pro', finishReason: 'STOP' }),
    ],
    '\r\n',
    {
      text: 'Let me read it. Reading now.',
      reasoning: '**Planning**\nRead the file first.',
      toolCalls: [{ name: 'get_time', args: { timezone: 'UTC' } }],
      finish: 'tool-calls',
      usage: { input: 40, output: 150 },
      order: ['reasoning', 'text', 'tool-calls', 'text'],
    },
  ),
];
