import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { anthropicClientCodec, anthropicUpstreamCodec } from './index.js';
import { readJsonFixture } from './__fixtures__/fixtures.js';

/**
 * Anthropic as client and as upstream: decoding a request and encoding it again keeps everything
 * the protocol can express. Compared after normalising equivalent spellings (a string content is
 * one text block; `stream: false` is no stream; a single plain system block is a string).
 */
type Json = Record<string, any>;

function normalise(body: Json): Json {
  const result: Json = JSON.parse(JSON.stringify(body));
  if (result.stream === false) delete result.stream;
  if (Array.isArray(result.system) && result.system.length === 1 && !result.system[0].cache_control) result.system = result.system[0].text;
  if (result.system === '' || (Array.isArray(result.system) && result.system.length === 0)) delete result.system;
  for (const message of result.messages) {
    if (typeof message.content === 'string') message.content = [{ type: 'text', text: message.content }];
    for (const block of message.content) {
      if (block.type === 'tool_result' && typeof block.content === 'string') block.content = [{ type: 'text', text: block.content }];
    }
  }
  return result;
}

const text = fc.string({ minLength: 1, maxLength: 12, unit: fc.constantFrom('a', 'b', ' ', 'é', '日', '🙂', '"', '\n') });
const cacheControl = fc.option(fc.constantFrom({ type: 'ephemeral' }, { type: 'ephemeral', ttl: '1h' }), { nil: undefined });
const withCache = <T extends Json>(block: T, cc: Json | undefined): T => (cc ? { ...block, cache_control: cc } : block);
const textBlock = fc.tuple(text, cacheControl).map(([t, cc]) => withCache({ type: 'text', text: t }, cc));
const imageBlock = fc.oneof(
  fc.tuple(fc.base64String({ minLength: 4, maxLength: 16 }), fc.constantFrom('image/png', 'image/jpeg', 'image/webp'), cacheControl)
    .map(([data, mediaType, cc]) => withCache({ type: 'image', source: { type: 'base64', media_type: mediaType, data } }, cc)),
  fc.webUrl().map((url) => ({ type: 'image', source: { type: 'url', url } })),
);
const documentBlock = fc.base64String({ minLength: 4, maxLength: 16 }).map((data) => ({ type: 'document', source: { type: 'base64', media_type: 'application/pdf', data } }));
const userBlock = fc.oneof({ weight: 4, arbitrary: textBlock }, imageBlock, documentBlock);
const toolInput = fc.dictionary(fc.string({ minLength: 1, maxLength: 4 }), fc.jsonValue({ maxDepth: 2 })).map((value) => JSON.parse(JSON.stringify(value)));
const signature = fc.base64String({ minLength: 8, maxLength: 24 });

const assistantTurn = fc.record({
  thinking: fc.option(fc.tuple(text, signature), { nil: undefined }),
  redacted: fc.option(signature, { nil: undefined }),
  text: fc.option(text, { nil: undefined }),
  tools: fc.array(fc.tuple(text, toolInput), { maxLength: 2 }),
});
const toolResult = fc.record({
  content: fc.oneof(fc.constant(undefined), text, fc.array(fc.oneof(textBlock, imageBlock), { minLength: 1, maxLength: 2 })),
  isError: fc.boolean(),
  cc: cacheControl,
});

const conversation = fc
  .tuple(fc.array(assistantTurn, { maxLength: 3 }), fc.array(fc.array(userBlock, { maxLength: 2 }), { minLength: 4, maxLength: 4 }), fc.array(toolResult, { minLength: 6, maxLength: 6 }), fc.boolean())
  .map(([assistants, userExtras, results, stringContent]) => {
    const messages: Json[] = [];
    let toolId = 0;
    let pending: string[] = [];
    const pushUser = (turn: number) => {
      const blocks: Json[] = pending.map((id, index) => {
        const spec = results[index]!;
        const block: Json = { type: 'tool_result', tool_use_id: id };
        if (spec.content !== undefined) block.content = spec.content;
        if (spec.isError) block.is_error = true;
        return withCache(block, spec.cc);
      });
      blocks.push(...userExtras[turn]!);
      if (blocks.length === 0) blocks.push({ type: 'text', text: 'continue' });
      const only = blocks[0]!;
      messages.push({ role: 'user', content: blocks.length === 1 && only.type === 'text' && !only.cache_control && stringContent ? only.text : blocks });
    };
    pushUser(0);
    assistants.forEach((turn, index) => {
      const content: Json[] = [];
      if (turn.thinking) content.push({ type: 'thinking', thinking: turn.thinking[0], signature: turn.thinking[1] });
      if (turn.redacted) content.push({ type: 'redacted_thinking', data: turn.redacted });
      if (turn.text) content.push({ type: 'text', text: turn.text });
      pending = turn.tools.map(() => `toolu_${toolId++}`);
      turn.tools.forEach(([name, input], i) => content.push({ type: 'tool_use', id: pending[i], name, input }));
      if (content.length === 0) content.push({ type: 'text', text: 'ok' });
      messages.push({ role: 'assistant', content });
      pushUser(index + 1);
    });
    return messages;
  });

const tool = fc.record({ name: text, description: fc.option(text, { nil: undefined }), cc: cacheControl, props: fc.dictionary(fc.string({ minLength: 1, maxLength: 4 }), fc.constant({ type: 'string' }), { maxKeys: 3 }) })
  .map(({ name, description, cc, props }) => withCache({ name, ...(description === undefined ? {} : { description }), input_schema: { type: 'object', properties: props } }, cc));

const requestBody = fc
  .record({
    model: fc.constantFrom('claude-sonnet-4-5-20250929', 'claude-haiku-4-5', 'claude-opus-4-1'),
    max_tokens: fc.integer({ min: 2048, max: 64000 }),
    system: fc.option(fc.oneof(text, fc.array(textBlock, { minLength: 1, maxLength: 3 })), { nil: undefined }),
    messages: conversation,
    tools: fc.option(fc.array(tool, { minLength: 1, maxLength: 2 }), { nil: undefined }),
    tool_choice: fc.option(fc.oneof(
      fc.record({ type: fc.constantFrom('auto', 'any') as fc.Arbitrary<string> }),
      fc.record({ type: fc.constantFrom('auto', 'any') as fc.Arbitrary<string>, disable_parallel_tool_use: fc.boolean() }),
      fc.record({ type: fc.constant('tool') as fc.Arbitrary<string>, name: text }),
      fc.constant({ type: 'none' }),
    ), { nil: undefined }),
    thinking: fc.option(fc.oneof(fc.constant({ type: 'disabled' }), fc.integer({ min: 1024, max: 2047 }).map((budget) => ({ type: 'enabled', budget_tokens: budget }))), { nil: undefined }),
    temperature: fc.option(fc.double({ min: 0, max: 1, noNaN: true }), { nil: undefined }),
    top_p: fc.option(fc.double({ min: 0, max: 1, noNaN: true }), { nil: undefined }),
    top_k: fc.option(fc.integer({ min: 1, max: 500 }), { nil: undefined }),
    stop_sequences: fc.option(fc.array(text, { minLength: 1, maxLength: 3 }), { nil: undefined }),
    metadata: fc.option(fc.record({ user_id: text }), { nil: undefined }),
    stream: fc.option(fc.boolean(), { nil: undefined }),
  })
  .map((generated) => {
    const body = JSON.parse(JSON.stringify(generated)) as Json;
    if (!body.tools) delete body.tool_choice;
    // Only requests Anthropic itself accepts: thinking excludes temperature, top_k, a low top_p
    // and forced tool use.
    if (body.thinking?.type === 'enabled') {
      delete body.temperature;
      delete body.top_k;
      if (body.top_p !== undefined && body.top_p < 0.95) delete body.top_p;
      if (body.tool_choice?.type === 'any' || body.tool_choice?.type === 'tool') body.tool_choice = { type: 'auto' };
    }
    return body;
  })
  .filter((body) => {
    const breakpoints = JSON.stringify(body).match(/"cache_control"/g)?.length ?? 0;
    if (breakpoints > 4) return false;
    if (body.thinking?.type === 'enabled') {
      const last = body.messages.at(-1);
      const previous = body.messages.at(-2);
      if (Array.isArray(last.content) && last.content[0]?.type === 'tool_result' && !['thinking', 'redacted_thinking'].includes(previous?.content[0]?.type)) return false;
    }
    return true;
  });

describe('Anthropic request round trip (client decode → upstream encode)', () => {
  it('keeps the Claude Code capture', () => {
    const body = readJsonFixture('claude-code-request.json');
    const request = anthropicClientCodec.decodeRequest(body, { headers: {} });
    expect(normalise(anthropicUpstreamCodec.encodeRequest(request, body.model))).toEqual(normalise(body));
    expect(request.warnings).toEqual([]);
  });

  it('keeps everything the protocol can express, for any valid request', () => {
    fc.assert(
      fc.property(requestBody, (body) => {
        const request = anthropicClientCodec.decodeRequest(structuredClone(body), { headers: {} });
        const encoded = anthropicUpstreamCodec.encodeRequest(request, body.model);
        expect(normalise(encoded)).toEqual(normalise(body));
        expect(request.warnings).toEqual([]);
      }),
      { numRuns: 300 },
    );
  });
});
