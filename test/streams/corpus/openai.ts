import { dataFrames, type StreamFixture } from './stream-fixture.js';
import type { StreamMeaning } from './stream-meaning.js';

/**
 * OpenAI Chat Completions streams (`chat.completion.chunk`): a first chunk carrying the role,
 * content deltas, tool calls whose first delta has `id`/`type`/`name` and whose `arguments` then
 * come in many small pieces keyed by `index` (parallel calls interleave), a chunk with
 * `finish_reason` and an empty delta, and with `stream_options.include_usage` a last chunk with
 * `choices: []` and the usage (every other chunk then says `"usage": null`), then `data: [DONE]`.
 * OpenAI-compatible servers (OpenRouter, vLLM…) may send a role-only first chunk, put usage on the
 * finish chunk, and close the stream without `[DONE]`.
 * @see https://platform.openai.com/docs/api-reference/chat-streaming/streaming
 */
const BASE = { id: 'chatcmpl-CoRpUs0000000000000000001', object: 'chat.completion.chunk', created: 1_767_225_600, model: 'gpt-4.1-2025-04-14', service_tier: 'default', system_fingerprint: 'fp_c0rpu5' };

type Delta = Record<string, unknown>;

function choiceChunk(delta: Delta, finishReason: string | null = null, extra: Record<string, unknown> = { usage: null }): object {
  return { ...BASE, choices: [{ index: 0, delta, logprobs: null, finish_reason: finishReason }], ...extra };
}

function usageChunk(prompt: number, completion: number, cached = 0): object {
  return {
    ...BASE,
    choices: [],
    usage: {
      prompt_tokens: prompt,
      completion_tokens: completion,
      total_tokens: prompt + completion,
      prompt_tokens_details: { cached_tokens: cached, audio_tokens: 0 },
      completion_tokens_details: { reasoning_tokens: 0, audio_tokens: 0, accepted_prediction_tokens: 0, rejected_prediction_tokens: 0 },
    },
  };
}

function argumentsDelta(index: number, piece: string): Delta {
  return { tool_calls: [{ index, function: { arguments: piece } }] };
}

/** `comments`: SSE comment lines sent before the first chunk (OpenRouter's keep-alives). */
function openAIFixture(name: string, payloads: Array<object | string>, expected: StreamMeaning, comments: string[] = []): StreamFixture {
  const frames = [...comments.map((comment) => `: ${comment}\n\n`), ...dataFrames(payloads, '\n')];
  return { name, family: 'openai', wire: () => ({ status: 200, headers: { 'content-type': 'text/event-stream; charset=utf-8' }, chunks: frames }), expected };
}

export const OPENAI_FIXTURES: StreamFixture[] = [
  openAIFixture(
    'openai: role-only first chunk, text, usage-only last chunk with choices: []',
    [
      choiceChunk({ role: 'assistant' }),
      choiceChunk({ content: 'héllo' }),
      choiceChunk({ content: ' 世界' }),
      choiceChunk({ content: ' 🙂' }),
      choiceChunk({}, 'stop'),
      usageChunk(14, 5),
      '[DONE]',
    ],
    { text: 'héllo 世界 🙂', reasoning: '', toolCalls: [], finish: 'stop', usage: { input: 14, output: 5 } },
  ),
  openAIFixture(
    'openai: two tool calls, arguments split over many chunks and interleaved',
    [
      choiceChunk({ role: 'assistant', content: null, refusal: null }),
      choiceChunk({ tool_calls: [{ index: 0, id: 'call_CoRpUsPaRiS0001', type: 'function', function: { name: 'get_weather', arguments: '' } }] }),
      choiceChunk(argumentsDelta(0, '{"')),
      choiceChunk(argumentsDelta(0, 'city')),
      choiceChunk({ tool_calls: [{ index: 1, id: 'call_CoRpUsToKyO0002', type: 'function', function: { name: 'get_time', arguments: '' } }] }),
      choiceChunk(argumentsDelta(1, '{"time')),
      choiceChunk(argumentsDelta(0, '": "Pa')),
      choiceChunk(argumentsDelta(1, 'zone": "Asia/')),
      choiceChunk(argumentsDelta(0, 'ris", "unit": "cel')),
      choiceChunk(argumentsDelta(1, 'Tokyo", "label": "東京')),
      choiceChunk(argumentsDelta(0, 'sius"}')),
      choiceChunk(argumentsDelta(1, '"}')),
      choiceChunk({}, 'tool_calls'),
      usageChunk(96, 58, 64),
      '[DONE]',
    ],
    {
      text: '',
      reasoning: '',
      toolCalls: [
        { name: 'get_weather', args: { city: 'Paris', unit: 'celsius' } },
        { name: 'get_time', args: { timezone: 'Asia/Tokyo', label: '東京' } },
      ],
      finish: 'tool-calls',
      usage: { input: 96, output: 58 },
    },
  ),
  openAIFixture(
    'openai-compatible: usage on the finish chunk, stream closed without [DONE]',
    [
      choiceChunk({ role: 'assistant', content: '' }, null, {}),
      choiceChunk({ content: 'Grüße aus ' }, null, {}),
      choiceChunk({ content: 'Zürich.' }, null, {}),
      choiceChunk({}, 'stop', { usage: { prompt_tokens: 8, completion_tokens: 4, total_tokens: 12 } }),
    ],
    { text: 'Grüße aus Zürich.', reasoning: '', toolCalls: [], finish: 'stop', usage: { input: 8, output: 4 } },
  ),
  openAIFixture(
    'openai: cut off at max tokens (finish_reason length)',
    [choiceChunk({ role: 'assistant', content: '', refusal: null }), choiceChunk({ content: 'One, two, ' }), choiceChunk({ content: 'three' }), choiceChunk({}, 'length'), usageChunk(6, 5), '[DONE]'],
    { text: 'One, two, three', reasoning: '', toolCalls: [], finish: 'length', usage: { input: 6, output: 5 } },
  ),
  openAIFixture(
    'openrouter: keep-alive comments before the first chunk, reasoning deltas, then text',
    [
      choiceChunk({ role: 'assistant', content: '', reasoning_content: 'The user greets; ' }, null, {}),
      choiceChunk({ content: null, reasoning_content: 'answer warmly.' }, null, {}),
      choiceChunk({ content: 'Hi there 👋' }, null, {}),
      choiceChunk({}, 'stop', {}),
      { ...BASE, choices: [{ index: 0, delta: {}, logprobs: null, finish_reason: null }], usage: { prompt_tokens: 10, completion_tokens: 12, total_tokens: 22, completion_tokens_details: { reasoning_tokens: 8 } } },
      '[DONE]',
    ],
    { text: 'Hi there 👋', reasoning: 'The user greets; answer warmly.', toolCalls: [], finish: 'stop', usage: { input: 10, output: 12 } },
    ['OPENROUTER PROCESSING', 'OPENROUTER PROCESSING'],
  ),
  openAIFixture(
    'openai-compatible: one chunk with a whole tool call and its finish_reason',
    [
      choiceChunk({ role: 'assistant', tool_calls: [{ index: 0, id: 'call_CoRpUsWhOlE0003', type: 'function', function: { name: 'get_weather', arguments: '{"city":"Paris","unit":"celsius"}' } }] }, 'tool_calls', {
        usage: { prompt_tokens: 31, completion_tokens: 18, total_tokens: 49 },
      }),
      '[DONE]',
    ],
    { text: '', reasoning: '', toolCalls: [{ name: 'get_weather', args: { city: 'Paris', unit: 'celsius' } }], finish: 'tool-calls', usage: { input: 31, output: 18 } },
  ),
  openAIFixture(
    "openai-compatible (Gemini's OpenAI endpoint): the whole answer in one chunk with its finish_reason, then [DONE]",
    [choiceChunk({ role: 'assistant', content: 'Grüezi 🙂' }, 'stop', { usage: { prompt_tokens: 4, completion_tokens: 3, total_tokens: 7 } }), '[DONE]'],
    { text: 'Grüezi 🙂', reasoning: '', toolCalls: [], finish: 'stop', usage: { input: 4, output: 3 } },
  ),
  openAIFixture(
    'azure openai: prompt filter results first (empty id and model), then stopped by the content filter',
    [
      // Azure opens with the prompt's filter verdicts: no choices, and empty id/model/object.
      {
        choices: [],
        created: 0,
        id: '',
        model: '',
        object: '',
        prompt_filter_results: [{ prompt_index: 0, content_filter_results: { hate: { filtered: false, severity: 'safe' }, violence: { filtered: false, severity: 'safe' } } }],
      },
      choiceChunk({ role: 'assistant', content: '', refusal: null }),
      choiceChunk({ content: 'Here is how ' }),
      choiceChunk({}, 'content_filter'),
      usageChunk(21, 3),
      '[DONE]',
    ],
    { text: 'Here is how ', reasoning: '', toolCalls: [], finish: 'content-filter', usage: { input: 21, output: 3 } },
  ),
];
