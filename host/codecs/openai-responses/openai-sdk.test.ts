import { createServer, type IncomingMessage, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import OpenAI, { APIError, BadRequestError } from 'openai';
import type { ResponseInputItem } from 'openai/resources/responses/responses';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type { IrRequest } from '../../ir/ir-request.js';
import type { IrResponse } from '../../ir/ir-response.js';
import type { IrStreamEvent } from '../../ir/ir-stream-event.js';
import { proxyError } from '../../core/proxy-error.js';
import { CodecError } from '../codec-types.js';
import { openAIResponsesClientCodec as codec } from './index.js';

/**
 * The real `openai` SDK against this codec, without a network: a local node:http server decodes
 * the SDK's request with the codec and answers with scripted IR run through the codec's encoders.
 * What the SDK reconstructs (`finalResponse()`, `output_text`, function calls) is what Codex and
 * SDK users will see.
 */
let server: Server;
let client: OpenAI;
let received: IrRequest[];
let script: { events?: IrStreamEvent[]; response?: IrResponse };

beforeAll(async () => {
  server = createServer(async (request, reply) => {
    const body = JSON.parse(await readBody(request));
    let decoded: IrRequest;
    try {
      decoded = codec.decodeRequest(body, { headers: request.headers });
    } catch (error) {
      if (!(error instanceof CodecError)) throw error;
      reply.writeHead(400, { 'content-type': 'application/json' });
      reply.end(JSON.stringify(codec.encodeError(proxyError('invalid-request', error.message))));
      return;
    }
    received.push(decoded);
    if (decoded.stream) {
      const encoder = codec.createStreamEncoder(decoded);
      reply.writeHead(200, { 'content-type': encoder.contentType });
      // One write per event, as the pipeline does.
      for (const event of script.events ?? []) {
        const text = encoder.push(event);
        if (text !== '') reply.write(text);
      }
      reply.end(encoder.end());
    } else {
      reply.writeHead(200, { 'content-type': 'application/json' });
      reply.end(JSON.stringify(codec.encodeResponse(script.response!, decoded)));
    }
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  client = new OpenAI({ apiKey: 'sk-local', baseURL: `http://127.0.0.1:${port}/v1`, maxRetries: 0 });
});

afterAll(async () => {
  await new Promise<void>((resolve) => server.close(() => resolve()));
});

beforeEach(() => {
  received = [];
  script = {};
});

async function readBody(request: IncomingMessage): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const chunk of request) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks).toString('utf8');
}

const weatherTool = {
  type: 'function' as const,
  name: 'get_weather',
  description: 'Current weather',
  parameters: { type: 'object', properties: { city: { type: 'string' } }, required: ['city'], additionalProperties: false },
  strict: true,
};

const toolTurn: IrStreamEvent[] = [
  { type: 'response-start', id: 'msg_01', model: 'claude-sonnet-4-5', created: 1735689600 },
  { type: 'reasoning-start', id: 'r' },
  { type: 'reasoning-delta', id: 'r', delta: 'Two cities, ' },
  { type: 'reasoning-delta', id: 'r', delta: 'two calls.' },
  { type: 'reasoning-signature', id: 'r', signature: { family: 'anthropic', value: 'EqQBsig==' } },
  { type: 'reasoning-end', id: 'r' },
  { type: 'text-start', id: 't' },
  { type: 'text-delta', id: 't', delta: 'Looking up ' },
  { type: 'tool-input-start', id: 'a', toolCallId: 'toolu_A', toolName: 'get_weather' },
  { type: 'tool-input-delta', id: 'a', delta: '{"city":' },
  { type: 'text-delta', id: 't', delta: 'both… ✓' },
  { type: 'tool-input-start', id: 'b', toolCallId: 'toolu_B', toolName: 'get_weather' },
  { type: 'tool-input-delta', id: 'b', delta: '{"city":"Os' },
  { type: 'tool-input-delta', id: 'a', delta: '"Paris"}' },
  { type: 'text-end', id: 't' },
  { type: 'tool-input-end', id: 'a' },
  { type: 'tool-call', id: 'a', toolCallId: 'toolu_A', toolName: 'get_weather', argumentsText: '{"city":"Paris"}' },
  { type: 'tool-input-delta', id: 'b', delta: 'lo"}' },
  { type: 'tool-input-end', id: 'b' },
  { type: 'tool-call', id: 'b', toolCallId: 'toolu_B', toolName: 'get_weather', argumentsText: '{"city":"Oslo"}' },
  { type: 'usage', usage: { inputTokens: 50, cacheReadTokens: 20 } },
  { type: 'finish', finishReason: { unified: 'tool-calls', raw: 'tool_use', protocol: 'anthropic' }, usage: { outputTokens: 30, reasoningTokens: 8 } },
];

describe('the openai SDK reading this codec', () => {
  it('responses.stream(): finalResponse() rebuilds reasoning, interleaved text and parallel function calls', async () => {
    script.events = toolTurn;
    const stream = client.responses.stream({ model: 'gpt-5', input: 'Weather in Paris and Oslo?', tools: [weatherTool], reasoning: { effort: 'low', summary: 'auto' } });
    const textSnapshots: string[] = [];
    const argumentSnapshots: string[] = [];
    stream.on('response.output_text.delta', (event) => textSnapshots.push(event.snapshot));
    stream.on('response.function_call_arguments.delta', (event) => argumentSnapshots.push(event.snapshot));
    const response = await stream.finalResponse();

    expect(received[0]).toMatchObject({ model: 'gpt-5', stream: true, reasoning: { effort: 'low', includeThoughts: true }, tools: [{ name: 'get_weather', strict: true }] });
    expect(response.status).toBe('completed');
    expect(response.output_text).toBe('Looking up both… ✓');
    expect(textSnapshots).toEqual(['Looking up ', 'Looking up both… ✓']);
    expect(argumentSnapshots).toEqual(['{"city":', '{"city":"Os', '{"city":"Paris"}', '{"city":"Oslo"}']);
    expect(response.output.map((item) => item.type)).toEqual(['reasoning', 'message', 'function_call', 'function_call']);
    const calls = response.output.filter((item) => item.type === 'function_call');
    expect(calls.map((call) => [call.call_id, call.name, JSON.parse(call.arguments)])).toEqual([
      ['toolu_A', 'get_weather', { city: 'Paris' }],
      ['toolu_B', 'get_weather', { city: 'Oslo' }],
    ]);
    const reasoning = response.output[0]!;
    expect(reasoning).toMatchObject({ type: 'reasoning', summary: [{ type: 'summary_text', text: 'Two cities, two calls.' }], encrypted_content: 'localgate.anthropic.EqQBsig==' });
    expect(response.usage).toEqual({
      input_tokens: 50,
      input_tokens_details: { cached_tokens: 20 },
      output_tokens: 30,
      output_tokens_details: { reasoning_tokens: 8 },
      total_tokens: 80,
    });

    // Next turn, as an SDK user writes it: the output items echoed back plus the results.
    script.events = [
      { type: 'response-start', id: 'msg_02', model: 'claude-sonnet-4-5', created: 1735689601 },
      { type: 'text-start', id: 't' },
      { type: 'text-delta', id: 't', delta: 'Paris 18°C, Oslo 3°C.' },
      { type: 'text-end', id: 't' },
      { type: 'finish', finishReason: { unified: 'stop' }, usage: { inputTokens: 90, outputTokens: 9 } },
    ];
    const input: ResponseInputItem[] = [
      { role: 'user', content: 'Weather in Paris and Oslo?' },
      ...(response.output as ResponseInputItem[]),
      { type: 'function_call_output', call_id: 'toolu_A', output: '18°C' },
      { type: 'function_call_output', call_id: 'toolu_B', output: '3°C' },
    ];
    const second = await client.responses.stream({ model: 'gpt-5', input, tools: [weatherTool] }).finalResponse();
    expect(second.output_text).toBe('Paris 18°C, Oslo 3°C.');
    expect(received[1]!.messages.map((message) => message.role)).toEqual(['user', 'assistant', 'tool']);
    expect(received[1]!.messages[1]!.parts).toEqual([
      { type: 'reasoning', text: 'Two cities, two calls.', signature: { family: 'anthropic', value: 'EqQBsig==' } },
      { type: 'text', text: 'Looking up both… ✓' },
      { type: 'tool-call', toolCallId: 'toolu_A', toolName: 'get_weather', argumentsText: '{"city":"Paris"}' },
      { type: 'tool-call', toolCallId: 'toolu_B', toolName: 'get_weather', argumentsText: '{"city":"Oslo"}' },
    ]);
    expect(received[1]!.messages[2]!.parts.map((part) => part.type === 'tool-result' && [part.toolCallId, part.toolName])).toEqual([
      ['toolu_A', 'get_weather'],
      ['toolu_B', 'get_weather'],
    ]);
  });

  it('responses.create({stream: true}): yields every event in sequence and ends on response.completed', async () => {
    script.events = toolTurn;
    const stream = await client.responses.create({ model: 'gpt-5', input: 'hi', stream: true });
    const events = [];
    for await (const event of stream) events.push(event);
    expect(events.map((event) => event.sequence_number)).toEqual(events.map((_, index) => index));
    expect(events[0]!.type).toBe('response.created');
    expect(events.at(-1)!.type).toBe('response.completed');
  });

  it('an error after the first bytes makes the SDK throw, with the message and code', async () => {
    script.events = [
      { type: 'response-start', id: 'msg_03', model: 'm', created: 1 },
      { type: 'text-start', id: 't' },
      { type: 'text-delta', id: 't', delta: 'Half an ans' },
      { type: 'error', error: proxyError('overloaded', 'The upstream is overloaded.') },
    ];
    const failure = await client.responses.stream({ model: 'gpt-5', input: 'hi' }).finalResponse().catch((error: unknown) => error);
    expect(failure).toBeInstanceOf(APIError);
    expect((failure as APIError).message).toContain('The upstream is overloaded.');
    expect((failure as APIError).code).toBe('server_error');

    const iterate = async (): Promise<void> => {
      for await (const _event of await client.responses.create({ model: 'gpt-5', input: 'hi', stream: true })) void _event;
    };
    await expect(iterate()).rejects.toBeInstanceOf(APIError);
  });

  it('a stream that ends without a finish makes the SDK throw instead of returning a truncated answer', async () => {
    script.events = [
      { type: 'response-start', id: 'msg_04', model: 'm', created: 1 },
      { type: 'text-start', id: 't' },
      { type: 'text-delta', id: 't', delta: 'cut off' },
    ];
    await expect(client.responses.stream({ model: 'gpt-5', input: 'hi' }).finalResponse()).rejects.toThrow(/ended before the response was complete/);
  });

  it('responses.create() without streaming: output_text, function call and usage', async () => {
    script.response = {
      id: 'chatcmpl-9',
      model: 'gpt-4.1-mini',
      created: 1735689600,
      content: [
        { type: 'text', text: 'Checking.' },
        { type: 'tool-call', toolCallId: 'call_9', toolName: 'get_weather', argumentsText: '{"city":"Rome"}' },
      ],
      finishReason: { unified: 'tool-calls', raw: 'tool_calls', protocol: 'openai-chat' },
      usage: { inputTokens: 12, outputTokens: 7 },
      warnings: [],
    };
    const response = await client.responses.create({ model: 'gpt-5', input: 'Rome?', tools: [weatherTool], max_output_tokens: 256 });
    expect(received[0]!.sampling.maxOutputTokens).toBe(256);
    expect(response.id).toBe('resp_chatcmpl-9');
    expect(response.output_text).toBe('Checking.');
    expect(response.output[1]).toMatchObject({ type: 'function_call', call_id: 'call_9', name: 'get_weather', arguments: '{"city":"Rome"}' });
    expect(response.usage?.total_tokens).toBe(19);
    expect(response.max_output_tokens).toBe(256);
  });

  it('previous_response_id the route did not expand is refused with a 400 that explains why', async () => {
    const failure = await client.responses.create({ model: 'gpt-5', input: 'and then?', previous_response_id: 'resp_old' }).catch((error: unknown) => error);
    expect(failure).toBeInstanceOf(BadRequestError);
    expect((failure as BadRequestError).message).toMatch(/needs the earlier conversation/);
    expect(received).toEqual([]);
  });
});
