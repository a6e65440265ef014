import { createServer, type IncomingHttpHeaders, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { IMAGE_PATHS, imagesAnswer } from './fake-openai-images.js';
import { fakeEmbedding, fakeTokenCount } from './fake-embeddings.js';
import { modelListDefaults, sleep, type ModelListControl } from './model-list-control.js';
import { openaiModelNotFound } from './provider-errors.js';
import { writeScripted, type ScriptedResponse } from './scripted-response.js';

/**
 * A local server that behaves like OpenAI's Chat Completions API as documented
 * (https://platform.openai.com/docs/api-reference/chat): JSON responses, SSE chunks of
 * `chat.completion.chunk` ending in `data: [DONE]`, usage in a final empty-choices chunk when
 * `stream_options.include_usage` is set, `{"error": {...}}` bodies and `x-ratelimit-*` /
 * `retry-after` headers on 429. It records every request so tests can assert on what was sent.
 * Also, as OpenAI documents them (the behaviours' errors, hangs and resets apply to these too):
 * - `POST /v1/embeddings` (https://platform.openai.com/docs/api-reference/embeddings/create):
 *   `input` string or array of strings, `dimensions` (text-embedding-3 models only; ada-002
 *   refuses it), `encoding_format` float or base64 (float32 little-endian), `usage`;
 * - `POST /v1/completions` (legacy, https://platform.openai.com/docs/api-reference/completions),
 *   only when `legacyCompletions` is on (many OpenAI-compatible servers have none: 404, like any
 *   unknown path) and only for instruct models (a chat model gets OpenAI's 404 "This is a chat
 *   model and not supported in the v1/completions endpoint"): a `text_completion` object, or
 *   `text_completion` chunks whose last text chunk carries `finish_reason`, usage in a final
 *   `choices: []` chunk with `stream_options.include_usage`, then `data: [DONE]` (as recorded
 *   from gpt-3.5-turbo-instruct).
 * - the Images API (fake-openai-images.ts).
 */
export interface RecordedRequest {
  method: string;
  path: string;
  headers: IncomingHttpHeaders;
  body: any;
}

export type Behaviour =
  | { kind: 'ok'; text?: string; delayBetweenChunksMs?: number; /** Streamed first as `delta.reasoning_content`, or `message.reasoning_content`. */ reasoning?: string }
  | ({ kind: 'tool-calls'; delayBetweenChunksMs?: number } & ToolCallAnswer & ToolCallStreamOptions)
  /** `body` replaces the generated error body (see provider-errors.ts for OpenAI's real ones). */
  | { kind: 'error'; status: number; type?: string; code?: string | null; message?: string; headers?: Record<string, string>; body?: object }
  /** This account has no access to the requested model: OpenAI's 404 `model_not_found` naming it. */
  | { kind: 'model-not-found' }
  | ScriptedResponse
  | { kind: 'hang' }
  | { kind: 'reset' };

export interface FakeOpenAIUpstream extends ModelListControl {
  url: string;
  /** The base URL an account uses (ends in /v1, as the OpenAI SDK's convention). */
  baseUrl: string;
  apiKey: string;
  requests: RecordedRequest[];
  /** Behaviour for the next requests, consumed in order; when empty, `fallback` answers. */
  queue: Behaviour[];
  fallback: Behaviour;
  /**
   * Chooses the behaviour from the request itself, before `queue` (undefined: queue, then fallback);
   * for clients whose number and order of requests is theirs to decide (coding agents).
   */
  answer?: (request: RecordedRequest) => Behaviour | undefined;
  /** Resolves when the server sees a client disconnect mid-response. */
  disconnects: number;
  models: string[];
  /** Whether `POST /v1/completions` exists (legacy completions); off by default. */
  legacyCompletions: boolean;
  close(): Promise<void>;
}

/** The models OpenAI serves at /v1/completions; chat models get a 404 there. */
export const LEGACY_COMPLETION_MODELS = ['gpt-3.5-turbo-instruct', 'davinci-002', 'babbage-002'];

/** Embedding models and their native vector sizes. */
export const FAKE_OPENAI_EMBEDDING_MODELS: Record<string, { dimensions: number; shortens: boolean }> = {
  'text-embedding-3-small': { dimensions: 1536, shortens: true },
  'text-embedding-3-large': { dimensions: 3072, shortens: true },
  'text-embedding-ada-002': { dimensions: 1536, shortens: false },
};

export async function startFakeOpenAIUpstream(options: { apiKey?: string; models?: string[] } = {}): Promise<FakeOpenAIUpstream> {
  const apiKey = options.apiKey ?? `sk-upstream-${Math.random().toString(36).slice(2)}`;
  const state: Omit<FakeOpenAIUpstream, 'url' | 'baseUrl' | 'close'> = {
    apiKey,
    requests: [],
    queue: [],
    fallback: { kind: 'ok' },
    disconnects: 0,
    models: options.models ?? ['gpt-4o-mini', 'gpt-4o'],
    legacyCompletions: false,
    // OpenAI's list has no pages: the limit is never reached.
    ...modelListDefaults(Number.POSITIVE_INFINITY),
  };
  const server: Server = createServer((request, response) => {
    void handle(state, request, response);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', () => resolve()));
  const { port } = server.address() as AddressInfo;
  const url = `http://127.0.0.1:${port}`;
  return Object.assign(state, {
    url,
    baseUrl: `${url}/v1`,
    close: async () => {
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  });
}

async function readBody(request: IncomingMessage): Promise<any> {
  const chunks: Buffer[] = [];
  for await (const chunk of request) chunks.push(chunk as Buffer);
  // Image edits are uploads: recorded as the FormData the server would read.
  const contentType = request.headers['content-type'] ?? '';
  if (contentType.startsWith('multipart/form-data')) return new Response(Buffer.concat(chunks), { headers: { 'content-type': contentType } }).formData();
  const text = Buffer.concat(chunks).toString('utf8');
  return text ? JSON.parse(text) : undefined;
}

function sendJson(response: ServerResponse, status: number, body: unknown, headers: Record<string, string> = {}): void {
  response.writeHead(status, { 'content-type': 'application/json', 'x-request-id': `req_${Math.random().toString(36).slice(2)}`, ...headers });
  response.end(JSON.stringify(body));
}

async function handle(state: Omit<FakeOpenAIUpstream, 'url' | 'baseUrl' | 'close'>, request: IncomingMessage, response: ServerResponse): Promise<void> {
  const body = await readBody(request);
  const isModelList = request.method === 'GET' && request.url === '/v1/models';
  if (isModelList) state.modelListRequests.push({ method: 'GET', path: request.url ?? '', headers: request.headers });
  else state.requests.push({ method: request.method ?? '', path: request.url ?? '', headers: request.headers, body });
  if (request.headers.authorization !== `Bearer ${state.apiKey}`) {
    return sendJson(response, 401, {
      error: { message: 'Incorrect API key provided: sk-***. You can find your API key at https://platform.openai.com/account/api-keys.', type: 'invalid_request_error', param: null, code: 'invalid_api_key' },
    });
  }
  if (isModelList) {
    // https://platform.openai.com/docs/api-reference/models/list: the whole list, no pages.
    if (state.modelListDelayMs) await sleep(state.modelListDelayMs);
    if (state.modelListError) return sendJson(response, state.modelListError.status, state.modelListError.body);
    return sendJson(response, 200, { object: 'list', data: state.models.map((id) => ({ id, object: 'model', created: 1_700_000_000, owned_by: 'openai' })) });
  }
  const images = request.method === 'POST' && IMAGE_PATHS.has(request.url ?? '');
  const embeddings = request.method === 'POST' && request.url === '/v1/embeddings';
  const legacy = request.method === 'POST' && request.url === '/v1/completions' && state.legacyCompletions;
  if (!embeddings && !legacy && !images && (request.method !== 'POST' || request.url !== '/v1/chat/completions')) {
    return sendJson(response, 404, { error: { message: `Invalid URL (${request.method} ${request.url})`, type: 'invalid_request_error', param: null, code: null } });
  }
  const behaviour = state.answer?.(state.requests.at(-1)!) ?? state.queue.shift() ?? state.fallback;
  if (behaviour.kind === 'script') return writeScripted(response, behaviour);
  if (behaviour.kind === 'hang') return; // never answers: the client must time out or cancel
  if (behaviour.kind === 'reset') {
    request.socket.destroy();
    return;
  }
  if (behaviour.kind === 'model-not-found') return sendJson(response, 404, openaiModelNotFound(String(body?.model)));
  if (behaviour.kind === 'error') {
    return sendJson(
      response,
      behaviour.status,
      behaviour.body ?? { error: { message: behaviour.message ?? `Upstream error ${behaviour.status}`, type: behaviour.type ?? (behaviour.status === 429 ? 'requests' : 'server_error'), param: null, code: behaviour.code ?? (behaviour.status === 429 ? 'rate_limit_exceeded' : null) } },
      behaviour.headers,
    );
  }
  if (images) {
    const answer = imagesAnswer(request.url!, body);
    if (!answer.sse) return sendJson(response, answer.status, answer.body);
    response.writeHead(200, { 'content-type': 'text/event-stream; charset=utf-8' });
    for (const frame of answer.sse) response.write(frame);
    response.end();
    return;
  }
  if (embeddings) return answerEmbeddings(body, response);
  if (legacy && !LEGACY_COMPLETION_MODELS.includes(String(body?.model))) {
    // OpenAI's answer to a chat model there (as quoted in go-openai#126, code-gpt-docs#172).
    return sendJson(response, 404, {
      error: { message: 'This is a chat model and not supported in the v1/completions endpoint. Did you mean to use v1/chat/completions?', type: 'invalid_request_error', param: 'model', code: null },
    });
  }
  if (legacy) return answerLegacyCompletion(state, behaviour, body, response);
  const text = behaviour.text ?? 'Hello from the fake upstream!';
  const id = `chatcmpl-${Math.random().toString(36).slice(2)}`;
  const created = Math.floor(Date.now() / 1000);
  const model = body.model;
  const usage = { prompt_tokens: 11, completion_tokens: 7, total_tokens: 18 };
  const rateHeaders = {
    'x-ratelimit-limit-requests': '5000',
    'x-ratelimit-remaining-requests': '4999',
    'x-ratelimit-reset-requests': '12ms',
  };
  if (behaviour.kind === 'tool-calls' && !body.stream) return sendJson(response, 200, toolCallCompletion(behaviour, { id, created, model, usage }), rateHeaders);
  if (!body.stream) {
    return sendJson(
      response,
      200,
      {
        id, object: 'chat.completion', created, model, system_fingerprint: 'fp_fake',
        choices: [{ index: 0, message: { role: 'assistant', content: text, refusal: null, ...(behaviour.kind === 'ok' && behaviour.reasoning ? { reasoning_content: behaviour.reasoning } : {}) }, logprobs: null, finish_reason: 'stop' }],
        usage,
      },
      rateHeaders,
    );
  }
  response.writeHead(200, { 'content-type': 'text/event-stream; charset=utf-8', 'cache-control': 'no-cache', ...rateHeaders });
  let closed = false;
  response.on('close', () => {
    if (!response.writableFinished) {
      closed = true;
      state.disconnects += 1;
    }
  });
  if (behaviour.kind === 'tool-calls') {
    for (const frame of toolCallChunks(behaviour, behaviour, { id, created, model, includeUsage: body.stream_options?.include_usage === true, usage })) {
      if (behaviour.delayBetweenChunksMs) await sleep(behaviour.delayBetweenChunksMs);
      if (closed) return;
      response.write(frame);
    }
    response.end();
    return;
  }
  const chunk = (delta: object, finish: string | null) =>
    `data: ${JSON.stringify({ id, object: 'chat.completion.chunk', created, model, system_fingerprint: 'fp_fake', choices: [{ index: 0, delta, logprobs: null, finish_reason: finish }] })}\n\n`;
  response.write(chunk({ role: 'assistant', content: '', refusal: null }, null));
  for (const piece of behaviour.kind === 'ok' && behaviour.reasoning ? behaviour.reasoning.split(/(?<= )/) : []) {
    if (behaviour.delayBetweenChunksMs) await sleep(behaviour.delayBetweenChunksMs);
    if (closed) return;
    response.write(chunk({ reasoning_content: piece }, null));
  }
  for (const piece of text.split(/(?<= )/)) {
    if (behaviour.delayBetweenChunksMs) await sleep(behaviour.delayBetweenChunksMs);
    if (closed) return;
    response.write(chunk({ content: piece }, null));
  }
  response.write(chunk({}, 'stop'));
  if (body.stream_options?.include_usage) {
    response.write(`data: ${JSON.stringify({ id, object: 'chat.completion.chunk', created, model, system_fingerprint: 'fp_fake', choices: [], usage })}\n\n`);
  }
  response.end('data: [DONE]\n\n');
}

/** One call in a tool-call answer. `arguments` is the JSON text exactly as the model would send it. */
export interface FakeToolCall {
  id: string;
  name: string;
  arguments: string;
}

export interface ToolCallAnswer {
  toolCalls: FakeToolCall[];
  /** Text before the calls (`message.content`); none by default (a tool-only answer). */
  text?: string;
  /** Reasoning before everything else, as `reasoning_content`. */
  reasoning?: string;
  /** Text streamed after the calls (some compatible servers do this). Streamed answers only. */
  textAfter?: string;
  /** Defaults to `tool_calls`. */
  finishReason?: string;
}

export interface ToolCallStreamOptions {
  /** How many pieces each call's arguments are split into (default 3). */
  pieces?: number;
  /** Send each call's first arguments piece in a chunk BEFORE the one carrying its id and name. */
  argumentsBeforeId?: boolean;
  /** Interleave parallel calls by index: headers first, then piece 1 of every call, piece 2… */
  interleave?: boolean;
}

interface ChunkContext {
  id: string;
  created: number;
  model: string;
  includeUsage?: boolean;
  usage?: object;
}

/** A non-streamed `chat.completion` whose message carries `tool_calls`. */
export function toolCallCompletion(answer: ToolCallAnswer, context: Omit<ChunkContext, 'includeUsage'>): object {
  const message: Record<string, unknown> = {
    role: 'assistant',
    content: answer.text ?? null,
    refusal: null,
    tool_calls: answer.toolCalls.map((call) => ({ id: call.id, type: 'function', function: { name: call.name, arguments: call.arguments } })),
  };
  if (answer.reasoning) message.reasoning_content = answer.reasoning;
  return {
    id: context.id, object: 'chat.completion', created: context.created, model: context.model, system_fingerprint: 'fp_fake',
    choices: [{ index: 0, message, logprobs: null, finish_reason: answer.finishReason ?? 'tool_calls' }],
    usage: context.usage ?? { prompt_tokens: 11, completion_tokens: 7, total_tokens: 18 },
  };
}

/**
 * The SSE frames of a streamed tool-call answer, ending in `data: [DONE]`: role chunk, reasoning
 * and text deltas, then each call as a header chunk (index, id, type, name, `arguments: ''`)
 * followed by its arguments in `pieces` parts — optionally with the first part sent before the
 * header, and parallel calls interleaved by index — then the finish chunk and, with
 * `includeUsage`, the usage chunk with `choices: []`.
 * @see https://platform.openai.com/docs/api-reference/chat-streaming/streaming
 */
export function toolCallChunks(answer: ToolCallAnswer, options: ToolCallStreamOptions, context: ChunkContext): string[] {
  const frame = (payload: object) => `data: ${JSON.stringify(payload)}\n\n`;
  const chunk = (delta: object, finish: string | null = null) =>
    frame({ id: context.id, object: 'chat.completion.chunk', created: context.created, model: context.model, system_fingerprint: 'fp_fake', choices: [{ index: 0, delta, logprobs: null, finish_reason: finish }] });
  const frames = [chunk({ role: 'assistant', content: '', refusal: null })];
  for (const piece of answer.reasoning ? answer.reasoning.split(/(?<= )/) : []) frames.push(chunk({ reasoning_content: piece }));
  for (const piece of answer.text ? answer.text.split(/(?<= )/) : []) frames.push(chunk({ content: piece }));

  const pieces = answer.toolCalls.map((call) => splitText(call.arguments, options.pieces ?? 3));
  const header = (call: FakeToolCall, index: number) => chunk({ tool_calls: [{ index, id: call.id, type: 'function', function: { name: call.name, arguments: '' } }] });
  const argumentsChunk = (index: number, piece: string) => chunk({ tool_calls: [{ index, function: { arguments: piece } }] });
  const early = (index: number): string | undefined => (options.argumentsBeforeId ? pieces[index]?.shift() : undefined);
  if (options.interleave) {
    answer.toolCalls.forEach((call, index) => {
      const first = early(index);
      if (first !== undefined) frames.push(argumentsChunk(index, first));
      frames.push(header(call, index));
    });
    const rounds = Math.max(0, ...pieces.map((list) => list.length));
    for (let round = 0; round < rounds; round += 1) {
      pieces.forEach((list, index) => {
        const piece = list[round];
        if (piece !== undefined) frames.push(argumentsChunk(index, piece));
      });
    }
  } else {
    answer.toolCalls.forEach((call, index) => {
      const first = early(index);
      if (first !== undefined) frames.push(argumentsChunk(index, first));
      frames.push(header(call, index));
      for (const piece of pieces[index] ?? []) frames.push(argumentsChunk(index, piece));
    });
  }
  for (const piece of answer.textAfter ? answer.textAfter.split(/(?<= )/) : []) frames.push(chunk({ content: piece }));
  frames.push(chunk({}, answer.finishReason ?? 'tool_calls'));
  if (context.includeUsage) {
    frames.push(frame({ id: context.id, object: 'chat.completion.chunk', created: context.created, model: context.model, system_fingerprint: 'fp_fake', choices: [], usage: context.usage ?? { prompt_tokens: 11, completion_tokens: 7, total_tokens: 18 } }));
  }
  frames.push('data: [DONE]\n\n');
  return frames;
}

/** `text` in `count` pieces of about equal length, never cutting a character in two. */
function splitText(text: string, count: number): string[] {
  const characters = [...text];
  if (characters.length === 0) return [];
  const size = Math.max(1, Math.ceil(characters.length / Math.max(1, count)));
  const out: string[] = [];
  for (let start = 0; start < characters.length; start += size) out.push(characters.slice(start, start + size).join(''));
  return out;
}

function invalidRequest(response: ServerResponse, message: string, param: string | null = null): void {
  sendJson(response, 400, { error: { message, type: 'invalid_request_error', param, code: null } });
}

function answerEmbeddings(body: any, response: ServerResponse): void {
  const model = FAKE_OPENAI_EMBEDDING_MODELS[String(body?.model)];
  if (!model) return sendJson(response, 404, openaiModelNotFound(String(body?.model)));
  const input = body.input;
  if (input === undefined) return invalidRequest(response, "'input' is a required property");
  const texts: string[] | undefined = typeof input === 'string' ? [input] : Array.isArray(input) && input.every((item: unknown) => typeof item === 'string') ? input : undefined;
  if (!texts) return invalidRequest(response, "'$.input' is invalid. Please check the API reference: https://platform.openai.com/docs/api-reference.");
  if (texts.length > 2048) return invalidRequest(response, `'$.input' is too long. Maximum length is 2048, but was ${texts.length}.`);
  if (body.dimensions !== undefined && !model.shortens) return invalidRequest(response, 'This model does not support specifying dimensions.');
  const dimensions = body.dimensions ?? model.dimensions;
  const base64 = body.encoding_format === 'base64';
  const tokens = fakeTokenCount(texts);
  return sendJson(response, 200, {
    object: 'list',
    data: texts.map((text, index) => {
      const vector = fakeEmbedding(text, dimensions);
      return { object: 'embedding', index, embedding: base64 ? Buffer.from(new Float32Array(vector).buffer).toString('base64') : vector };
    }),
    model: body.model,
    usage: { prompt_tokens: tokens, total_tokens: tokens },
  });
}

/** A legacy completion: the prompt continued with the behaviour's text. */
async function answerLegacyCompletion(state: { disconnects: number }, behaviour: Behaviour, body: any, response: ServerResponse): Promise<void> {
  if (behaviour.kind !== 'ok') return invalidRequest(response, 'This fake answers legacy completions with plain text only.');
  if (typeof body?.prompt !== 'string' && !Array.isArray(body?.prompt)) return invalidRequest(response, "'prompt' is a required property", 'prompt');
  const text = behaviour.text ?? ' world!';
  const id = `cmpl-${Math.random().toString(36).slice(2)}`;
  const created = Math.floor(Date.now() / 1000);
  const model = `${body.model}:20230824-v2`;
  const promptTokens = fakeTokenCount([String(body.prompt)]);
  const completionTokens = fakeTokenCount([text]);
  const usage = { prompt_tokens: promptTokens, completion_tokens: completionTokens, total_tokens: promptTokens + completionTokens };
  if (!body.stream) {
    return sendJson(response, 200, { id, object: 'text_completion', created, model, choices: [{ text, index: 0, logprobs: null, finish_reason: 'stop' }], usage });
  }
  const includeUsage = body.stream_options?.include_usage === true;
  response.writeHead(200, { 'content-type': 'text/event-stream; charset=utf-8', 'cache-control': 'no-cache' });
  let closed = false;
  response.on('close', () => {
    if (!response.writableFinished) {
      closed = true;
      state.disconnects += 1;
    }
  });
  const pieces = text.split(/(?=[ ])/);
  for (const [index, piece] of pieces.entries()) {
    if (behaviour.delayBetweenChunksMs) await sleep(behaviour.delayBetweenChunksMs);
    if (closed) return;
    const finish = index === pieces.length - 1 ? 'stop' : null;
    response.write(`data: ${JSON.stringify({ id, object: 'text_completion', created, choices: [{ text: piece, index: 0, logprobs: null, finish_reason: finish }], model, ...(includeUsage ? { usage: null } : {}) })}\n\n`);
  }
  if (includeUsage) response.write(`data: ${JSON.stringify({ id, object: 'text_completion', created, model, usage, choices: [] })}\n\n`);
  response.end('data: [DONE]\n\n');
}
