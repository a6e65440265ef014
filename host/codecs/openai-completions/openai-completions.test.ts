import OpenAI from 'openai';
import { describe, expect, it } from 'vitest';
import type { IrRequest } from '../../ir/ir-request.js';
import type { IrStreamEvent } from '../../ir/ir-stream-event.js';
import { proxyError } from '../../core/proxy-error.js';
import { decodeStream, sseBytes } from '../anthropic-messages/__fixtures__/fixtures.js';
import { CodecError } from '../codec-types.js';
import { CONTINUE_INSTRUCTION, FILL_IN_THE_MIDDLE_INSTRUCTION, decodeOpenAICompletionsRequest } from './decode-request.js';
import { encodeOpenAICompletionsResponse } from './encode-response.js';
import { createOpenAICompletionsStreamEncoder } from './encode-stream.js';

const context = { headers: {} };

function encode(events: IrStreamEvent[], request: IrRequest): string {
  const encoder = createOpenAICompletionsStreamEncoder(request);
  return events.map((event) => encoder.push(event)).join('') + encoder.end();
}

/** What the openai SDK makes of a stream: it is the judge of the wire format. */
async function readWithSdk(sse: string): Promise<OpenAI.Completion[]> {
  const client = new OpenAI({
    apiKey: 'sk-test',
    baseURL: 'http://localhost.invalid/v1',
    maxRetries: 0,
    fetch: async () => new Response(sse, { status: 200, headers: { 'content-type': 'text/event-stream' } }),
  });
  const chunks: OpenAI.Completion[] = [];
  for await (const chunk of await client.completions.create({ model: 'm', prompt: 'p', stream: true })) chunks.push(chunk);
  return chunks;
}

describe('legacy completions request → IR', () => {
  it('a prompt becomes one user message after the continuation instruction, with the sampling fields', () => {
    const request = decodeOpenAICompletionsRequest(
      { model: 'gpt-3.5-turbo-instruct', prompt: 'Once upon', max_tokens: 16, temperature: 0.5, top_p: 0.9, stop: '\n', seed: 3, presence_penalty: 0.1, frequency_penalty: 0.2, user: 'u1', stream: true, stream_options: { include_usage: true } },
      context,
    );
    expect(request.instructions).toEqual([{ type: 'text', text: CONTINUE_INSTRUCTION }]);
    expect(request.messages).toEqual([{ role: 'user', parts: [{ type: 'text', text: 'Once upon' }] }]);
    expect(request.sampling).toEqual({ maxOutputTokens: 16, temperature: 0.5, topP: 0.9, stop: ['\n'], seed: 3, presencePenalty: 0.1, frequencyPenalty: 0.2 });
    expect(request).toMatchObject({ stream: true, includeUsage: true, user: 'u1' });
    expect(request.warnings.map((warning) => `${warning.type}-${warning.feature}`)).toEqual(['coerced-prompt']);
  });

  it('a suffix asks for the middle, prefix and suffix marked', () => {
    const request = decodeOpenAICompletionsRequest({ model: 'm', prompt: ['def f(x):\n    '], suffix: '\n    return y' }, context);
    expect(request.instructions[0]!.text).toBe(FILL_IN_THE_MIDDLE_INSTRUCTION);
    expect(request.messages[0]!.parts).toEqual([{ type: 'text', text: '<prefix>def f(x):\n    </prefix>\n<suffix>\n    return y</suffix>' }]);
    expect(request.warnings.map((warning) => warning.feature)).toEqual(['prompt', 'suffix']);
  });

  it('says what a chat model cannot do: echo, logprobs, best_of, logit_bias, n', () => {
    const request = decodeOpenAICompletionsRequest({ model: 'm', prompt: 'p', echo: true, logprobs: 2, best_of: 3, logit_bias: { '50256': -100 }, n: 2 }, context);
    expect(request.warnings.map((warning) => `${warning.type}-${warning.feature}`)).toEqual(['coerced-prompt', 'dropped-echo', 'dropped-logprobs', 'dropped-best_of', 'dropped-logit_bias', 'unsupported-n']);
  });

  it('refuses what cannot be translated: several prompts, token ids, no prompt', () => {
    expect(() => decodeOpenAICompletionsRequest({ model: 'm', prompt: ['a', 'b'] }, context)).toThrow(CodecError);
    expect(() => decodeOpenAICompletionsRequest({ model: 'm', prompt: [1, 2, 3] }, context)).toThrow(/token ids/);
    expect(() => decodeOpenAICompletionsRequest({ model: 'm' }, context)).toThrow(/prompt/);
    expect(() => decodeOpenAICompletionsRequest({ model: 'm', prompt: 'p', stop: 5 }, context)).toThrow(/stop/);
  });
});

describe('IR → text_completion', () => {
  const request = (): IrRequest => decodeOpenAICompletionsRequest({ model: 'claude-sonnet-4-5', prompt: 'p', stream: true, stream_options: { include_usage: true } }, context);

  it('a recorded Anthropic stream → one text_completion chunk per text delta, finish, usage, [DONE]; the SDK reads it', async () => {
    const events = decodeStream(sseBytes('text.chunks.txt'));
    const sse = encode(events, request());
    expect(sse.endsWith('data: [DONE]\n\n')).toBe(true);
    const deltas = events.filter((event): event is Extract<IrStreamEvent, { type: 'text-delta' }> => event.type === 'text-delta' && event.delta !== '');
    const chunks = await readWithSdk(sse);
    const textChunks = chunks.filter((chunk) => chunk.choices[0]?.text);
    expect(textChunks.map((chunk) => chunk.choices[0]!.text)).toEqual(deltas.map((event) => event.delta));
    expect(chunks.every((chunk) => chunk.object === 'text_completion' && chunk.id === chunks[0]!.id)).toBe(true);
    expect(chunks.at(-2)!.choices[0]).toMatchObject({ text: '', finish_reason: 'stop' });
    expect(chunks.at(-1)!.choices).toEqual([]);
    expect(chunks.at(-1)!.usage!.completion_tokens).toBeGreaterThan(0);
  });

  it('leaves reasoning out (with a warning) and ends an upstream error as an error the SDK throws', async () => {
    const ir = request();
    const sse = encode(
      [
        { type: 'response-start', id: 'msg_1', model: 'claude-sonnet-4-5', created: 1 },
        { type: 'reasoning-start', id: 'r' },
        { type: 'reasoning-delta', id: 'r', delta: 'thinking…' },
        { type: 'reasoning-end', id: 'r' },
        { type: 'text-start', id: 't' },
        { type: 'text-delta', id: 't', delta: 'partial' },
        { type: 'error', error: proxyError('overloaded', 'Overloaded', 529) },
      ],
      ir,
    );
    expect(sse).not.toContain('thinking');
    expect(sse).not.toContain('[DONE]');
    expect(ir.warnings.map((warning) => `${warning.type}-${warning.feature}`)).toContain('dropped-reasoning');
    await expect(readWithSdk(sse)).rejects.toThrow(/Overloaded/);
  });

  it('a stream that stops with no finish ends with an error, never silently', () => {
    const sse = encode([{ type: 'text-start', id: 't' }, { type: 'text-delta', id: 't', delta: 'cut' }], request());
    expect(sse.trim().split('\n\n').at(-1)).toMatch(/^data: \{"error":/);
  });

  it('a JSON answer → a text_completion object', () => {
    const body = encodeOpenAICompletionsResponse(
      {
        id: 'msg_1',
        model: 'claude-sonnet-4-5-20250929',
        created: 5,
        content: [{ type: 'text', text: 'Hello' }, { type: 'text', text: ' there' }],
        finishReason: { unified: 'length', raw: 'max_tokens', protocol: 'anthropic' },
        usage: { inputTokens: 3, outputTokens: 2 },
        warnings: [],
      },
      request(),
    );
    expect(body).toEqual({
      id: 'msg_1',
      object: 'text_completion',
      created: 5,
      model: 'claude-sonnet-4-5-20250929',
      choices: [{ text: 'Hello there', index: 0, logprobs: null, finish_reason: 'length' }],
      usage: expect.objectContaining({ prompt_tokens: 3, completion_tokens: 2, total_tokens: 5 }),
    });
  });
});
