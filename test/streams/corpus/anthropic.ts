import type { StreamFixture } from './stream-fixture.js';
import type { StreamMeaning } from './stream-meaning.js';

/**
 * Anthropic Messages streams: `message_start` (input tokens, output_tokens 1–3), then per block
 * `content_block_start` / `content_block_delta`* / `content_block_stop`, `ping`s anywhere (after
 * message_start and between blocks), `message_delta` with `stop_reason` and the usage (output
 * tokens; recent API versions repeat input and cache counts there), `message_stop`. A thinking
 * block ends with a `signature_delta`; a tool_use block starts with `input: {}` and streams its
 * JSON as `input_json_delta` pieces cut anywhere (the first one often empty).
 * @see https://docs.anthropic.com/en/docs/build-with-claude/streaming
 */
type Event = Record<string, unknown> & { type: string };

function frames(events: Event[]): string[] {
  return events.map((event) => `event: ${event.type}\ndata: ${JSON.stringify(event)}\n\n`);
}

function messageStart(id: string, inputTokens: number, cacheReadTokens = 0): Event {
  return {
    type: 'message_start',
    message: {
      model: 'claude-sonnet-4-5-20250929',
      id,
      type: 'message',
      role: 'assistant',
      content: [],
      stop_reason: null,
      stop_sequence: null,
      usage: { input_tokens: inputTokens, cache_creation_input_tokens: 0, cache_read_input_tokens: cacheReadTokens, cache_creation: { ephemeral_5m_input_tokens: 0, ephemeral_1h_input_tokens: 0 }, output_tokens: 1, service_tier: 'standard' },
    },
  };
}

const PING: Event = { type: 'ping' };
const start = (index: number, block: Record<string, unknown>): Event => ({ type: 'content_block_start', index, content_block: block });
const delta = (index: number, value: Record<string, unknown>): Event => ({ type: 'content_block_delta', index, delta: value });
const text = (index: number, value: string) => delta(index, { type: 'text_delta', text: value });
const stop = (index: number): Event => ({ type: 'content_block_stop', index });
/** A whole tool_use block: its start (`input: {}`), the JSON pieces as cut, its stop. */
const toolUse = (index: number, id: string, name: string, pieces: string[]): Event[] => [
  start(index, { type: 'tool_use', id, name, input: {} }),
  ...pieces.map((piece) => delta(index, { type: 'input_json_delta', partial_json: piece })),
  stop(index),
];
const messageDelta = (stopReason: string, usage: Record<string, number>): Event => ({ type: 'message_delta', delta: { stop_reason: stopReason, stop_sequence: null }, usage });
const MESSAGE_STOP: Event = { type: 'message_stop' };

function anthropicFixture(name: string, events: Event[], expected: StreamMeaning): StreamFixture {
  return {
    name,
    family: 'anthropic',
    wire: () => ({ status: 200, headers: { 'content-type': 'text/event-stream; charset=utf-8', 'cache-control': 'no-cache' }, chunks: frames(events) }),
    expected,
  };
}

export const ANTHROPIC_FIXTURES: StreamFixture[] = [
  anthropicFixture(
    'anthropic: thinking with signature_delta, text and tool_use in one message, pings between blocks',
    [
      messageStart('msg_01CoRpUsThInKtOoL0001', 412),
      PING,
      start(0, { type: 'thinking', thinking: '', signature: '' }),
      delta(0, { type: 'thinking_delta', thinking: 'The user wants the weather; ' }),
      delta(0, { type: 'thinking_delta', thinking: 'I will call get_weather for Paris.' }),
      delta(0, { type: 'signature_delta', signature: 'EqQBCkgIARABGAIiQCoRpUsMaDeUpSiGnAtUrEfOrThEcOrPuStEsTsOnLy' }),
      stop(0),
      PING,
      start(1, { type: 'text', text: '' }),
      text(1, 'Let me check — '),
      text(1, 'un instant 🙂.'),
      stop(1),
      ...toolUse(2, 'toolu_01CoRpUsWeAtHeR000001', 'get_weather', ['', '{"ci', 'ty": "Pa', 'ris", "un', 'it": "celsi', 'us"}']),
      messageDelta('tool_use', { output_tokens: 87 }),
      MESSAGE_STOP,
    ],
    {
      text: 'Let me check — un instant 🙂.',
      reasoning: 'The user wants the weather; I will call get_weather for Paris.',
      toolCalls: [{ name: 'get_weather', args: { city: 'Paris', unit: 'celsius' } }],
      finish: 'tool-calls',
      usage: { input: 412, output: 87 },
    },
  ),
  anthropicFixture(
    'anthropic: text after a ping, usage repeated in message_delta',
    [
      messageStart('msg_01CoRpUsTeXt00000000002', 12),
      start(0, { type: 'text', text: '' }),
      PING,
      text(0, 'héllo'),
      text(0, ' 世界 🙂'),
      stop(0),
      messageDelta('end_turn', { input_tokens: 12, cache_creation_input_tokens: 0, cache_read_input_tokens: 0, output_tokens: 9 }),
      MESSAGE_STOP,
    ],
    { text: 'héllo 世界 🙂', reasoning: '', toolCalls: [], finish: 'stop', usage: { input: 12, output: 9 } },
  ),
  anthropicFixture(
    'anthropic: two tool_use blocks, the second with no input delta at all',
    [
      messageStart('msg_01CoRpUsTwOtOoLs0000003', 230),
      ...toolUse(0, 'toolu_01CoRpUsTiMe00000000001', 'get_time', ['', '{"timezone": "Europe/Z', 'urich"}']),
      ...toolUse(1, 'toolu_01CoRpUsLiSt00000000002', 'list_cities', []),
      messageDelta('tool_use', { output_tokens: 64 }),
      MESSAGE_STOP,
    ],
    {
      text: '',
      reasoning: '',
      toolCalls: [
        { name: 'get_time', args: { timezone: 'Europe/Zurich' } },
        { name: 'list_cities', args: {} },
      ],
      finish: 'tool-calls',
      usage: { input: 230, output: 64 },
    },
  ),
  anthropicFixture(
    'anthropic: cut off at max_tokens',
    [messageStart('msg_01CoRpUsMaXtOkEnS000004', 9), start(0, { type: 'text', text: '' }), text(0, 'Once upon a '), text(0, 'time'), stop(0), messageDelta('max_tokens', { output_tokens: 4 }), MESSAGE_STOP],
    { text: 'Once upon a time', reasoning: '', toolCalls: [], finish: 'length', usage: { input: 9, output: 4 } },
  ),
  anthropicFixture(
    'anthropic: a refusal with no content block at all',
    [
      messageStart('msg_01CoRpUsReFuSaL00000005', 18),
      PING,
      {
        type: 'message_delta',
        delta: { stop_reason: 'refusal', stop_sequence: null, stop_details: { type: 'refusal', category: 'cyber', explanation: 'This request was blocked under the Usage Policy.' } },
        usage: { input_tokens: 18, cache_creation_input_tokens: 0, cache_read_input_tokens: 0, output_tokens: 5 },
      },
      MESSAGE_STOP,
    ],
    { text: '', reasoning: '', toolCalls: [], finish: 'content-filter', usage: { input: 18, output: 5 } },
  ),
  anthropicFixture(
    'anthropic: a prompt-cache hit counted in message_start only, output in message_delta',
    [messageStart('msg_01CoRpUsCaChEhIt0000006', 6, 1_800), start(0, { type: 'text', text: '' }), text(0, 'Cached — déjà vu.'), stop(0), messageDelta('end_turn', { output_tokens: 7 }), MESSAGE_STOP],
    { text: 'Cached — déjà vu.', reasoning: '', toolCalls: [], finish: 'stop', usage: { input: 1_806, output: 7 } },
  ),
];
