import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { IrPart } from '../../ir/ir-part.js';
import type { IrMessage, IrRequest } from '../../ir/ir-request.js';
import { decodeOpenAIChatRequest } from './decode-request.js';
import { encodeOpenAIChatRequest } from './encode-request.js';

/**
 * Property tests: the codec keeps everything Chat Completions can express.
 * 1. As a client protocol: a request body decoded to IR and encoded back is the same body.
 * 2. As an upstream protocol: an IR request within what Chat Completions can say, encoded and
 *    decoded again, is the same IR (extras aside, which only record the wire layout).
 */

const text = fc.string({ maxLength: 12 });
const nonEmpty = fc.string({ minLength: 1, maxLength: 12 });
const base64 = fc.base64String({ minLength: 4, maxLength: 16 });
const cacheControl = fc.constantFrom(undefined, { type: 'ephemeral' }, { type: 'ephemeral', ttl: '1h' });
const withOptional = <T extends Record<string, unknown>>(value: T): T => Object.fromEntries(Object.entries(value).filter(([, field]) => field !== undefined)) as T;

const textPart = fc.record({ text, cache: cacheControl }).map(({ text, cache }) => withOptional({ type: 'text', text, cache_control: cache }));
const imagePart = fc
  .record({
    url: fc.oneof(base64.map((data) => `data:image/png;base64,${data}`), fc.constantFrom('https://example.com/a.png', 'https://example.com/b.jpg?x=1', 'https://example.com/raw')),
    detail: fc.constantFrom(undefined, 'low', 'high', 'auto'),
  })
  .map(({ url, detail }) => ({ type: 'image_url', image_url: withOptional({ url, detail }) }));
const userMessage = fc
  .record({
    content: fc.oneof(text, fc.array(fc.oneof(textPart, imagePart), { minLength: 1, maxLength: 3 })),
    name: fc.constantFrom(undefined, 'alice'),
  })
  .map(({ content, name }) => withOptional({ role: 'user', content, name }));
const systemMessage = fc.record({ role: fc.constantFrom('system', 'developer'), content: text });
const instructionMessage = fc.record({
  role: fc.constantFrom('system', 'developer'),
  content: fc.oneof(text, fc.array(textPart, { minLength: 1, maxLength: 2 })),
});

/** A conversation whose tool messages answer the assistant's calls, with unique call ids. */
const conversation = fc
  .array(
    fc.oneof(
      { arbitrary: userMessage.map((message) => ({ kind: 'user' as const, message })), weight: 3 },
      { arbitrary: systemMessage.map((message) => ({ kind: 'system' as const, message })), weight: 1 },
      {
        arbitrary: fc.record({
          content: fc.option(nonEmpty, { nil: null }),
          reasoning: fc.constantFrom(undefined, '', 'thinking'),
          calls: fc.array(fc.record({ name: fc.constantFrom('get_weather', 'search'), arguments: fc.json() }), { maxLength: 2 }),
          results: fc.array(fc.oneof(text, fc.array(textPart.map(({ text }) => ({ type: 'text', text })), { minLength: 1, maxLength: 2 })), { maxLength: 2 }),
        }),
        weight: 2,
      },
    ),
    { minLength: 1, maxLength: 6 },
  )
  .map((turns) => {
    const messages: Array<Record<string, unknown>> = [];
    turns.forEach((turn, i) => {
      if (!('content' in turn) || !('calls' in turn)) {
        messages.push(turn.message);
        return;
      }
      const calls = turn.calls.map((call, j) => ({ id: `call_${i}_${j}`, type: 'function', function: { name: call.name, arguments: call.arguments } }));
      const content = turn.content === null && calls.length === 0 ? 'x' : turn.content;
      messages.push(withOptional({ role: 'assistant', content, reasoning_content: turn.reasoning, tool_calls: calls.length > 0 ? calls : undefined }));
      calls.forEach((call, j) => messages.push({ role: 'tool', tool_call_id: call.id, content: turn.results[j] ?? 'ok' }));
    });
    return messages;
  });

const tool = fc
  .record({
    name: fc.constantFrom('get_weather', 'search', 'run'),
    description: fc.constantFrom(undefined, 'does things'),
    parameters: fc.constantFrom({ type: 'object', properties: {} }, { type: 'object', properties: { q: { type: 'string' } }, required: ['q'] }),
    strict: fc.constantFrom(undefined, true, false),
  })
  .map((fn) => ({ type: 'function', function: withOptional(fn) }));

const chatBody = fc
  .record({
    model: fc.constantFrom('gpt-4o', 'gpt-5', 'deepseek-chat'),
    instructions: fc.array(instructionMessage, { maxLength: 2 }),
    conversation,
    tools: fc.option(fc.array(tool, { minLength: 1, maxLength: 2 }), { nil: undefined }),
    tool_choice: fc.constantFrom(undefined, 'auto', 'none', 'required', { type: 'function', function: { name: 'search' } }),
    parallel_tool_calls: fc.constantFrom(undefined, true, false),
    maxTokens: fc.option(fc.record({ field: fc.constantFrom('max_tokens', 'max_completion_tokens'), value: fc.nat({ max: 100_000 }) }), { nil: undefined }),
    temperature: fc.option(fc.double({ min: 0, max: 2, noNaN: true }), { nil: undefined }),
    top_p: fc.option(fc.double({ min: 0, max: 1, noNaN: true }), { nil: undefined }),
    top_k: fc.option(fc.nat({ max: 100 }), { nil: undefined }),
    stop: fc.option(fc.oneof(nonEmpty, fc.array(nonEmpty, { minLength: 1, maxLength: 3 })), { nil: undefined }),
    seed: fc.option(fc.integer(), { nil: undefined }),
    presence_penalty: fc.option(fc.double({ min: -2, max: 2, noNaN: true }), { nil: undefined }),
    frequency_penalty: fc.option(fc.double({ min: -2, max: 2, noNaN: true }), { nil: undefined }),
    reasoning_effort: fc.constantFrom(undefined, 'minimal', 'low', 'medium', 'high'),
    response_format: fc.constantFrom(
      undefined,
      { type: 'text' },
      { type: 'json_object' },
      { type: 'json_schema', json_schema: { name: 'out', description: 'the answer', schema: { type: 'object' }, strict: true } },
    ),
    stream: fc.constantFrom(undefined, true),
    user: fc.option(text, { nil: undefined }),
    metadata: fc.constantFrom(undefined, { tag: 'x' }),
    logprobs: fc.constantFrom(undefined, true),
    top_logprobs: fc.constantFrom(undefined, 2),
    prompt_cache_key: fc.constantFrom(undefined, 'key-1'),
    store: fc.constantFrom(undefined, false),
  })
  .map(({ instructions, conversation, maxTokens, tools, tool_choice, parallel_tool_calls, stream, ...rest }) =>
    withOptional({
      ...rest,
      messages: [...instructions, ...conversation],
      tools,
      tool_choice: tools ? tool_choice : undefined,
      parallel_tool_calls: tools ? parallel_tool_calls : undefined,
      ...(maxTokens ? { [maxTokens.field]: maxTokens.value } : {}),
      stream,
      stream_options: stream ? { include_usage: true } : undefined,
    }),
  );

describe('Chat Completions request round trips', () => {
  it('decode → encode gives back the client body', () => {
    fc.assert(
      fc.property(chatBody, (body) => {
        const ir = decodeOpenAIChatRequest(body, { headers: {} });
        expect(encodeOpenAIChatRequest(ir, body.model as string)).toEqual(body);
      }),
      { numRuns: 300 },
    );
  });

  const irText = nonEmpty.map((value) => ({ type: 'text' as const, text: value }));
  const irFile = fc.oneof(
    base64.map((data) => ({ type: 'file' as const, mediaType: 'image/png', source: { kind: 'base64' as const, data } })),
    fc.constant({ type: 'file' as const, mediaType: 'image/jpeg', source: { kind: 'url' as const, url: 'https://example.com/p.jpg' } }),
    base64.map((data) => ({ type: 'file' as const, mediaType: 'audio/wav', source: { kind: 'base64' as const, data } })),
    base64.map((data) => ({ type: 'file' as const, mediaType: 'application/pdf', source: { kind: 'base64' as const, data } })),
  );
  const irRequest = fc
    .record({
      instructions: fc.array(irText, { maxLength: 3 }),
      turns: fc.array(
        fc.oneof(
          fc.array(fc.oneof(irText, irFile), { minLength: 1, maxLength: 3 }).map((parts) => ({ role: 'user' as const, parts: parts as IrPart[] })),
          fc.array(irText, { minLength: 1, maxLength: 1 }).map((parts) => ({ role: 'system' as const, parts: parts as IrPart[] })),
          fc.record({ texts: fc.array(irText, { maxLength: 2 }), calls: fc.array(fc.record({ name: fc.constantFrom('f', 'g'), args: fc.json() }), { maxLength: 2 }) }).map(({ texts, calls }) => ({ texts, calls })),
        ),
        { minLength: 1, maxLength: 5 },
      ),
      maxOutputTokens: fc.option(fc.nat(), { nil: undefined }),
      temperature: fc.option(fc.double({ min: 0, max: 2, noNaN: true }), { nil: undefined }),
      stop: fc.option(fc.array(nonEmpty, { minLength: 1, maxLength: 2 }), { nil: undefined }),
      toolChoice: fc.constantFrom(undefined, { type: 'auto' as const }, { type: 'tool' as const, name: 'f' }),
      effort: fc.constantFrom(undefined, 'low' as const, 'high' as const),
      responseFormat: fc.constantFrom(undefined, { type: 'json' as const }, { type: 'json-schema' as const, name: 'x', schema: { type: 'object' } }),
      stream: fc.boolean(),
    })
    .map((input): IrRequest => {
      const messages: IrMessage[] = [];
      input.turns.forEach((turn, i) => {
        if ('role' in turn) {
          messages.push(turn);
          return;
        }
        const calls = turn.calls.map((call, j) => ({ type: 'tool-call' as const, toolCallId: `call_${i}_${j}`, toolName: call.name, argumentsText: call.args }));
        if (turn.texts.length === 0 && calls.length === 0) turn.texts.push({ type: 'text', text: 'ok' });
        messages.push({ role: 'assistant', parts: [...turn.texts, ...calls] });
        for (const call of calls) {
          messages.push({ role: 'tool', parts: [{ type: 'tool-result', toolCallId: call.toolCallId, toolName: call.toolName, content: [{ type: 'text', text: `result ${call.toolCallId}` }] }] });
        }
      });
      // A system turn before any other is indistinguishable from instructions on the wire.
      while (messages[0]?.role === 'system') messages.shift();
      if (messages.length === 0) messages.push({ role: 'user', parts: [{ type: 'text', text: 'hi' }] });
      const request: IrRequest = {
        model: 'client-model',
        instructions: input.instructions,
        messages,
        tools: [
          { name: 'f', parameters: { type: 'object', properties: {} } },
          { name: 'g', description: 'G', parameters: { type: 'object', properties: { a: { type: 'number' } } }, strict: true },
        ],
        sampling: withOptional({ maxOutputTokens: input.maxOutputTokens, temperature: input.temperature, stop: input.stop }),
        stream: input.stream,
        extras: {},
        warnings: [],
      };
      if (input.toolChoice) request.toolChoice = input.toolChoice;
      if (input.effort) request.reasoning = { effort: input.effort };
      if (input.responseFormat) request.responseFormat = input.responseFormat;
      if (input.stream) request.includeUsage = true;
      return request;
    });

  it('encode → decode keeps an IR request that Chat Completions can express', () => {
    fc.assert(
      fc.property(irRequest, (request) => {
        const body = encodeOpenAIChatRequest(request, 'upstream-model');
        const again = decodeOpenAIChatRequest(body, { headers: {} });
        // Several system or assistant text blocks travel as one string joined by a blank line (see encode-request.ts).
        expect(request.warnings.every((warning) => warning.feature === 'text blocks')).toBe(true);
        expect(withoutExtras(again)).toEqual(withoutExtras({ ...joinTextBlocks(request), model: 'upstream-model' }));
      }),
      { numRuns: 300 },
    );
  });
});

function withoutExtras(request: IrRequest): unknown {
  const { extras: _extras, warnings: _warnings, ...rest } = request;
  return { ...rest, messages: request.messages.map(({ extras: _messageExtras, ...message }) => message) };
}

function joinTextBlocks(request: IrRequest): IrRequest {
  const join = (parts: IrPart[]): IrPart[] => {
    const texts = parts.filter((part) => part.type === 'text');
    if (texts.length < 2) return parts;
    return [{ type: 'text', text: texts.map((part) => part.text).join('\n\n') }, ...parts.filter((part) => part.type !== 'text')];
  };
  return {
    ...request,
    instructions: join(request.instructions) as IrRequest['instructions'],
    messages: request.messages.map((message) => (message.role === 'assistant' || message.role === 'system' ? { ...message, parts: join(message.parts) } : message)),
  };
}
