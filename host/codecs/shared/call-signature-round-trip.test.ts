import { describe, expect, it } from 'vitest';
import type { IrRequest } from '../../ir/ir-request.js';
import type { IrResponse } from '../../ir/ir-response.js';
import type { IrStreamEvent } from '../../ir/ir-stream-event.js';
import type { ClientCodec } from '../codec-types.js';
import { anthropicClientCodec } from '../anthropic-messages/index.js';
import { geminiClientCodec } from '../gemini/index.js';
import { openAIChatClientCodec } from '../openai-chat/index.js';
import { openAIResponsesClientCodec } from '../openai-responses/index.js';
import { geminiUpstreamCodec } from '../gemini/index.js';

/**
 * A Gemini function call's signature handed to each client protocol and echoed back the way its
 * SDK returns it comes back on that same call (not on another call, not as a thought part).
 * Streams are covered end to end with the SDKs in test/signatures.test.ts.
 */
const request: IrRequest = { model: 'm', instructions: [], messages: [{ role: 'user', parts: [{ type: 'text', text: 'Weather?' }] }], tools: [], sampling: {}, stream: false, extras: {}, warnings: [] };

const response: IrResponse = {
  id: 'resp_1',
  model: 'gemini-3-pro-preview',
  created: 1,
  content: [
    { type: 'reasoning', text: 'Two cities.' },
    { type: 'text', text: 'Checking both.' },
    { type: 'tool-call', toolCallId: 'call_a', toolName: 'weather', argumentsText: '{"city":"Oslo"}', signature: { family: 'gemini', value: 'SIG_A' } },
    { type: 'tool-call', toolCallId: 'call_b', toolName: 'weather', argumentsText: '{"city":"Bergen"}' },
  ],
  finishReason: { unified: 'tool-calls' },
  usage: {},
  warnings: [],
};

/** The next request a client sends with the answer as its SDK returned it. */
const echoes: Array<[string, ClientCodec, (answer: any) => unknown]> = [
  ['anthropic', anthropicClientCodec, (answer) => ({ model: 'm', max_tokens: 100, messages: [{ role: 'user', content: 'Weather?' }, { role: 'assistant', content: answer.content }] })],
  ['openai-responses', openAIResponsesClientCodec, (answer) => ({ model: 'm', input: [{ role: 'user', content: 'Weather?' }, ...answer.output] })],
  ['openai-chat', openAIChatClientCodec, (answer) => ({ model: 'm', messages: [{ role: 'user', content: 'Weather?' }, answer.choices[0].message] })],
  ['gemini', geminiClientCodec, (answer) => ({ contents: [{ role: 'user', parts: [{ text: 'Weather?' }] }, answer.candidates[0].content] })],
];

describe('a function call signature through every client protocol and back', () => {
  for (const [name, codec, echo] of echoes) {
    it(name, () => {
      const next = codec.decodeRequest(echo(codec.encodeResponse(response, request)), { headers: {}, model: 'm' });
      const assistant = next.messages.find((message) => message.role === 'assistant')!;
      const calls = assistant.parts.filter((part) => part.type === 'tool-call');
      expect(calls.map((call) => [call.toolCallId, call.signature])).toEqual([
        [expect.any(String), { family: 'gemini', value: 'SIG_A' }],
        [expect.any(String), undefined],
      ]);
      // No reasoning part holds the call's signature.
      expect(assistant.parts.filter((part) => part.type === 'reasoning' && part.signature)).toEqual([]);
      expect(next.warnings.filter((warning) => warning.feature === 'thoughtSignature')).toEqual([]);
    });
  }

  it('a Gemini text signature goes back on its text part to Gemini (the protocols that can carry one)', () => {
    const signedText: IrResponse = { ...response, content: [{ type: 'text', text: 'Oslo: 3 °C.' }, { type: 'reasoning', text: '', signature: { family: 'gemini', value: 'SIG_T' } }], finishReason: { unified: 'stop' } };
    for (const [name, codec, echo] of echoes.filter(([name]) => name !== 'openai-chat')) {
      const next = codec.decodeRequest(echo(codec.encodeResponse(signedText, request)), { headers: {}, model: 'm' });
      const body = geminiUpstreamCodec.encodeRequest(next, 'gemini-3-pro-preview') as { contents: Array<{ role: string; parts: object[] }> };
      expect([name, body.contents[1]]).toEqual([name, { role: 'model', parts: [{ text: 'Oslo: 3 °C.', thoughtSignature: 'SIG_T' }] }]);
    }
  });

  it('a carrier that follows no call is dropped with a warning (Anthropic and Responses)', () => {
    const anthropic = anthropicClientCodec.decodeRequest(
      { model: 'm', max_tokens: 10, messages: [{ role: 'user', content: 'x' }, { role: 'assistant', content: [{ type: 'thinking', thinking: '', signature: 'localgate.gemini-call.S' }, { type: 'text', text: 'y' }] }] },
      { headers: {} },
    );
    expect(anthropic.messages[1]!.parts).toEqual([{ type: 'text', text: 'y' }]);
    expect(anthropic.warnings).toContainEqual(expect.objectContaining({ type: 'dropped', feature: 'thoughtSignature' }));
    const responses = openAIResponsesClientCodec.decodeRequest({ model: 'm', input: [{ type: 'reasoning', summary: [], encrypted_content: 'localgate.gemini-call.S' }] }, { headers: {} });
    expect(responses.messages).toEqual([]);
    expect(responses.warnings).toContainEqual(expect.objectContaining({ type: 'dropped', feature: 'thoughtSignature' }));
  });

  it('streams put the carrier (or extra_content) right after its call', () => {
    const events: IrStreamEvent[] = [
      { type: 'response-start', id: 'r', model: 'm', created: 1 },
      { type: 'tool-input-start', id: 't1', toolCallId: 'call_a', toolName: 'weather' },
      { type: 'tool-input-delta', id: 't1', delta: '{"city":"Oslo"}' },
      { type: 'tool-input-end', id: 't1' },
      { type: 'tool-call', id: 't1', toolCallId: 'call_a', toolName: 'weather', argumentsText: '{"city":"Oslo"}', signature: { family: 'gemini', value: 'SIG_A' } },
      { type: 'finish', finishReason: { unified: 'tool-calls' }, usage: {} },
    ];
    const encode = (codec: ClientCodec) => {
      const encoder = codec.createStreamEncoder({ ...request, stream: true });
      return events.map((event) => encoder.push(event)).join('') + encoder.end();
    };
    const anthropic = encode(anthropicClientCodec);
    expect(anthropic.indexOf('"signature_delta","signature":"localgate.gemini-call.SIG_A"')).toBeGreaterThan(anthropic.indexOf('"tool_use"'));
    const responses = encode(openAIResponsesClientCodec);
    expect(responses.indexOf('"encrypted_content":"localgate.gemini-call.SIG_A"')).toBeGreaterThan(responses.indexOf('response.function_call_arguments.done'));
    expect(encode(openAIChatClientCodec)).toContain('"tool_calls":[{"index":0,"extra_content":{"google":{"thought_signature":"SIG_A"}}}]');
  });

  it('Anthropic: a carrier queued behind a block still open is written right after its call', () => {
    const encoder = anthropicClientCodec.createStreamEncoder({ ...request, stream: true });
    const events: IrStreamEvent[] = [
      { type: 'response-start', id: 'r', model: 'm', created: 1 },
      { type: 'text-start', id: 'x' },
      { type: 'text-delta', id: 'x', delta: 'Checking' },
      { type: 'tool-input-start', id: 't1', toolCallId: 'call_a', toolName: 'weather' },
      { type: 'tool-input-end', id: 't1' },
      { type: 'tool-call', id: 't1', toolCallId: 'call_a', toolName: 'weather', argumentsText: '{}', signature: { family: 'gemini', value: 'SIG_A' } },
      { type: 'text-delta', id: 'x', delta: ' both.' },
      { type: 'text-end', id: 'x' },
      { type: 'finish', finishReason: { unified: 'tool-calls' }, usage: {} },
    ];
    const sse = events.map((event) => encoder.push(event)).join('') + encoder.end();
    const starts = [...sse.matchAll(/"content_block_start","index":(\d+),"content_block":\{"type":"(\w+)"/g)].map((match) => [Number(match[1]), match[2]]);
    expect(starts).toEqual([[0, 'text'], [1, 'tool_use'], [2, 'thinking']]);
    expect(sse).toContain('{"type":"content_block_delta","index":2,"delta":{"type":"signature_delta","signature":"localgate.gemini-call.SIG_A"}}');
    expect(sse.indexOf('"content_block_stop","index":2')).toBeLessThan(sse.indexOf('"message_delta"'));
  });
});
