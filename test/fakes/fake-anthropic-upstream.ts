import { randomBytes } from 'node:crypto';
import { createServer, type IncomingHttpHeaders, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { modelListDefaults, sleep, type ModelListControl } from './model-list-control.js';
import { anthropicModelNotFound } from './provider-errors.js';
import { writeScripted, type ScriptedResponse } from './scripted-response.js';

/**
 * A local server that behaves like Anthropic's Messages API as documented
 * (https://docs.anthropic.com/en/api/messages, /en/docs/build-with-claude/streaming,
 * /en/api/errors, /en/api/rate-limits): `POST /v1/messages` as JSON or as SSE with the exact
 * event sequence (message_start, content_block_start, ping, content_block_delta…,
 * content_block_stop, message_delta, message_stop), `POST /v1/messages/count_tokens`,
 * `GET /v1/models`; `x-api-key` (or an OAuth `Authorization: Bearer`) and `anthropic-version`
 * required; `{"type":"error","error":{…},"request_id"}` bodies with a `request-id` header; 429
 * with `retry-after` and `anthropic-ratelimit-requests-*` headers; 529 `overloaded_error`.
 * Extended thinking as Anthropic enforces it: with `thinking` on, every answer opens with a signed
 * thinking block (its signature issued by this fake for exactly that text); a thinking block sent
 * back with an altered or unknown signature is `messages.N.content.M: Invalid \`signature\` in
 * \`thinking\` block`, one without a signature `…thinking.signature: Field required`, and with
 * thinking on, a final assistant tool-use turn that does not open with a thinking block gets
 * Anthropic's "Expected `thinking` or `redacted_thinking`…" 400. Web search as Anthropic runs it
 * (https://docs.anthropic.com/en/docs/agents-and-tools/tool-use/web-search-tool): with a
 * `web_search_2025…` tool in the request, a plain answer searches first — `server_tool_use`
 * (the query streamed as input_json_delta), a whole `web_search_tool_result`, then text blocks
 * whose cited ones carry `web_search_result_location` citations (`citations: []` in the start,
 * then `citations_delta` before the text), shaped as recorded in vercel/ai's
 * anthropic-web-search-tool fixtures. It records every request so tests can assert on what was
 * sent.
 * @see https://docs.anthropic.com/en/docs/build-with-claude/extended-thinking
 */
export interface RecordedRequest {
  method: string;
  path: string;
  headers: IncomingHttpHeaders;
  body: any;
}

export interface ToolUseAnswer {
  kind: 'tool-use';
  /** One or more calls (parallel tool use), each streamed as its own tool_use block. */
  calls: Array<{ id?: string; name: string; input: Record<string, unknown> }>;
  /** Text before the calls ("I'll look that up."). */
  text?: string;
  /** Thinking before everything (set by the fake when the request turns thinking on). */
  thinking?: { text: string; signature: string };
  /** How many input_json_delta pieces each call's arguments are split into (default 3). */
  pieces?: number;
  delayBetweenChunksMs?: number;
}

export type Behaviour =
  | { kind: 'ok'; text?: string; thinking?: { text: string; signature: string }; delayBetweenChunksMs?: number; stopReason?: string }
  | ToolUseAnswer
  /** `body` replaces the generated error body (see provider-errors.ts for Anthropic's real ones). */
  | { kind: 'error'; status: number; type?: string; message?: string; headers?: Record<string, string>; body?: object }
  /** This account has no access to the requested model: Anthropic's 404 `not_found_error` "model: …". */
  | { kind: 'model-not-found' }
  | ScriptedResponse
  | { kind: 'hang' }
  | { kind: 'reset' };

export interface FakeAnthropicUpstream extends ModelListControl {
  url: string;
  /** The base URL an account uses: the bare origin, as the Anthropic SDK's `baseURL` convention. */
  baseUrl: string;
  apiKey: string;
  requests: RecordedRequest[];
  /** Behaviour for the next `POST /v1/messages`, consumed in order; when empty, `fallback` answers. */
  queue: Behaviour[];
  fallback: Behaviour;
  /**
   * Chooses the behaviour from the request itself, before `queue` (undefined: queue, then fallback);
   * for clients whose number and order of requests is theirs to decide (coding agents).
   */
  answer?: (request: RecordedRequest) => Behaviour | undefined;
  /** Client disconnects seen mid-response. */
  disconnects: number;
  models: string[];
  /** Signature → the thinking text it was issued for (what the validation checks). */
  issuedThinking: Map<string, string>;
  close(): Promise<void>;
}

type State = Omit<FakeAnthropicUpstream, 'url' | 'baseUrl' | 'close'>;

export async function startFakeAnthropicUpstream(options: { apiKey?: string; models?: string[] } = {}): Promise<FakeAnthropicUpstream> {
  const apiKey = options.apiKey ?? `sk-ant-api03-upstream-${Math.random().toString(36).slice(2)}`;
  const state: State = {
    apiKey,
    requests: [],
    queue: [],
    fallback: { kind: 'ok' },
    disconnects: 0,
    models: options.models ?? ['claude-sonnet-4-5-20250929', 'claude-haiku-4-5-20251001'],
    issuedThinking: new Map(),
    ...modelListDefaults(1000),
  };
  const server: Server = createServer((request, response) => {
    void handle(state, request, response);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', () => resolve()));
  const { port } = server.address() as AddressInfo;
  const url = `http://127.0.0.1:${port}`;
  return Object.assign(state, {
    url,
    baseUrl: url,
    close: async () => {
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  });
}

/** A behaviour answering with tool calls (streamed with input_json_delta split into pieces). */
export function toolUseAnswer(calls: ToolUseAnswer['calls'], options: Omit<ToolUseAnswer, 'kind' | 'calls'> = {}): ToolUseAnswer {
  return { kind: 'tool-use', calls, ...options };
}

const newId = (prefix: string) => `${prefix}_01${Math.random().toString(36).slice(2, 12)}${Math.random().toString(36).slice(2, 12)}`;
const USAGE = { input_tokens: 12, cache_creation_input_tokens: 0, cache_read_input_tokens: 0, output_tokens: 8 };

/** The non-streamed `message` for a tool-use answer. */
export function toolUseMessage(answer: ToolUseAnswer, model: string, id = newId('msg')): Record<string, unknown> {
  const content: unknown[] = [];
  if (answer.thinking) content.push({ type: 'thinking', thinking: answer.thinking.text, signature: answer.thinking.signature });
  if (answer.text) content.push({ type: 'text', text: answer.text });
  for (const call of answer.calls) content.push({ type: 'tool_use', id: call.id ?? newId('toolu'), name: call.name, input: call.input });
  return { id, type: 'message', role: 'assistant', model, content, stop_reason: 'tool_use', stop_sequence: null, usage: USAGE };
}

/**
 * The SSE frames of a tool-use answer: each call starts with `input: {}`, its arguments follow as
 * `pieces` input_json_delta events (plus the empty first piece Anthropic sends), then stop.
 */
export function toolUseStreamFrames(answer: ToolUseAnswer, model: string, id = newId('msg')): string[] {
  const frames = [messageStartFrame(id, model), sse('ping', { type: 'ping' })];
  let index = 0;
  if (answer.thinking) frames.push(...thinkingBlockFrames(index++, answer.thinking));
  if (answer.text) frames.push(...textBlockFrames(index++, answer.text));
  for (const call of answer.calls) {
    frames.push(sse('content_block_start', { type: 'content_block_start', index, content_block: { type: 'tool_use', id: call.id ?? newId('toolu'), name: call.name, input: {} } }));
    frames.push(sse('content_block_delta', { type: 'content_block_delta', index, delta: { type: 'input_json_delta', partial_json: '' } }));
    for (const piece of splitInto(JSON.stringify(call.input), answer.pieces ?? 3)) {
      frames.push(sse('content_block_delta', { type: 'content_block_delta', index, delta: { type: 'input_json_delta', partial_json: piece } }));
    }
    frames.push(sse('content_block_stop', { type: 'content_block_stop', index }));
    index++;
  }
  frames.push(...messageEndFrames('tool_use'));
  return frames;
}

/** The pages the fake's web search finds (a plain answer to a request with the web search tool). */
export const FAKE_SEARCH_RESULTS = [
  { url: 'https://www.uefa.com/euro2024/news/final-report', title: 'Spain 2-1 England: Euro 2024 final report | UEFA', cited: 'Spain beat England 2-1 in Berlin to win a record fourth European title.' },
  { url: 'https://en.wikipedia.org/wiki/UEFA_Euro_2024_final', title: 'UEFA Euro 2024 final - Wikipedia', cited: 'The final was played on 14 July 2024 at the Olympiastadion in Berlin.' },
];

interface WebSearchAnswer {
  query: string;
  /** The answer: an uncited lead-in, then one cited sentence per result. */
  blocks: Array<{ text: string; citation?: (typeof FAKE_SEARCH_RESULTS)[number] }>;
}

function webSearchTool(body: any): any {
  return Array.isArray(body?.tools) ? body.tools.find((tool: any) => typeof tool?.type === 'string' && /^web_search_\d{8}$/.test(tool.type)) : undefined;
}

function webSearchAnswer(body: any): WebSearchAnswer {
  const last = body.messages.at(-1);
  const text = typeof last?.content === 'string' ? last.content : (last?.content ?? []).filter((block: any) => block?.type === 'text').map((block: any) => block.text).join(' ');
  return {
    query: text.slice(0, 60) || 'latest news',
    blocks: [
      { text: 'Here is what I found. ' },
      { text: 'Spain won Euro 2024, beating England 2–1.', citation: FAKE_SEARCH_RESULTS[0] },
      { text: ' ' },
      { text: 'The final was played in Berlin’s Olympiastadion.', citation: FAKE_SEARCH_RESULTS[1] },
    ],
  };
}

const searchResultBlock = (toolUseId: string) => ({
  type: 'web_search_tool_result',
  tool_use_id: toolUseId,
  content: FAKE_SEARCH_RESULTS.map((result) => ({ type: 'web_search_result', title: result.title, url: result.url, encrypted_content: randomBytes(48).toString('base64'), page_age: null })),
});

const citationOf = (result: (typeof FAKE_SEARCH_RESULTS)[number]) => ({
  type: 'web_search_result_location',
  cited_text: result.cited,
  url: result.url,
  title: result.title,
  encrypted_index: randomBytes(24).toString('base64'),
});

const SEARCH_USAGE = { ...USAGE, server_tool_use: { web_search_requests: 1 } };

function webSearchMessage(answer: WebSearchAnswer, model: string, id: string): Record<string, unknown> {
  const toolUseId = newId('srvtoolu');
  const content: unknown[] = [
    { type: 'server_tool_use', id: toolUseId, name: 'web_search', input: { query: answer.query } },
    searchResultBlock(toolUseId),
    ...answer.blocks.map((block) => (block.citation ? { type: 'text', text: block.text, citations: [citationOf(block.citation)] } : { type: 'text', text: block.text })),
  ];
  return { id, type: 'message', role: 'assistant', model, content, stop_reason: 'end_turn', stop_sequence: null, usage: SEARCH_USAGE };
}

function webSearchFrames(answer: WebSearchAnswer, model: string, id: string): string[] {
  const toolUseId = newId('srvtoolu');
  const frames = [messageStartFrame(id, model), sse('ping', { type: 'ping' })];
  frames.push(sse('content_block_start', { type: 'content_block_start', index: 0, content_block: { type: 'server_tool_use', id: toolUseId, name: 'web_search', input: {} } }));
  frames.push(sse('content_block_delta', { type: 'content_block_delta', index: 0, delta: { type: 'input_json_delta', partial_json: '' } }));
  for (const piece of splitInto(JSON.stringify({ query: answer.query }), 3)) {
    frames.push(sse('content_block_delta', { type: 'content_block_delta', index: 0, delta: { type: 'input_json_delta', partial_json: piece } }));
  }
  frames.push(sse('content_block_stop', { type: 'content_block_stop', index: 0 }));
  frames.push(sse('content_block_start', { type: 'content_block_start', index: 1, content_block: searchResultBlock(toolUseId) }));
  frames.push(sse('content_block_stop', { type: 'content_block_stop', index: 1 }));
  answer.blocks.forEach((block, offset) => {
    const index = offset + 2;
    if (!block.citation) {
      frames.push(...textBlockFrames(index, block.text));
      return;
    }
    frames.push(sse('content_block_start', { type: 'content_block_start', index, content_block: { citations: [], type: 'text', text: '' } }));
    frames.push(sse('content_block_delta', { type: 'content_block_delta', index, delta: { type: 'citations_delta', citation: citationOf(block.citation) } }));
    frames.push(...textBlockFrames(index, block.text).slice(1));
  });
  frames.push(
    sse('message_delta', { type: 'message_delta', delta: { stop_reason: 'end_turn', stop_sequence: null }, usage: { output_tokens: USAGE.output_tokens, server_tool_use: { web_search_requests: 1 } } }),
    sse('message_stop', { type: 'message_stop' }),
  );
  return frames;
}

function sse(event: string, data: unknown): string {
  return `event: ${event}\ndata: ${JSON.stringify(data)}\n\n`;
}

function messageStartFrame(id: string, model: string): string {
  return sse('message_start', {
    type: 'message_start',
    message: { id, type: 'message', role: 'assistant', model, content: [], stop_reason: null, stop_sequence: null, usage: { ...USAGE, output_tokens: 1 } },
  });
}

function thinkingBlockFrames(index: number, thinking: { text: string; signature: string }): string[] {
  return [
    sse('content_block_start', { type: 'content_block_start', index, content_block: { type: 'thinking', thinking: '', signature: '' } }),
    sse('content_block_delta', { type: 'content_block_delta', index, delta: { type: 'thinking_delta', thinking: thinking.text } }),
    sse('content_block_delta', { type: 'content_block_delta', index, delta: { type: 'signature_delta', signature: thinking.signature } }),
    sse('content_block_stop', { type: 'content_block_stop', index }),
  ];
}

function textBlockFrames(index: number, text: string): string[] {
  return [
    sse('content_block_start', { type: 'content_block_start', index, content_block: { type: 'text', text: '' } }),
    ...text.split(/(?<= )/).map((piece) => sse('content_block_delta', { type: 'content_block_delta', index, delta: { type: 'text_delta', text: piece } })),
    sse('content_block_stop', { type: 'content_block_stop', index }),
  ];
}

function messageEndFrames(stopReason: string): string[] {
  return [
    sse('message_delta', { type: 'message_delta', delta: { stop_reason: stopReason, stop_sequence: null }, usage: { output_tokens: USAGE.output_tokens } }),
    sse('message_stop', { type: 'message_stop' }),
  ];
}

function splitInto(text: string, pieces: number): string[] {
  const size = Math.max(1, Math.ceil(text.length / Math.max(1, pieces)));
  const result: string[] = [];
  for (let offset = 0; offset < text.length; offset += size) result.push(text.slice(offset, offset + size));
  return result;
}

async function readBody(request: IncomingMessage): Promise<any> {
  const chunks: Buffer[] = [];
  for await (const chunk of request) chunks.push(chunk as Buffer);
  const text = Buffer.concat(chunks).toString('utf8');
  if (!text) return undefined;
  try {
    return JSON.parse(text);
  } catch {
    return text;
  }
}

function sendJson(response: ServerResponse, status: number, body: unknown, headers: Record<string, string> = {}): void {
  response.writeHead(status, { 'content-type': 'application/json', 'request-id': newId('req'), ...headers });
  response.end(JSON.stringify(body));
}

function sendError(response: ServerResponse, status: number, type: string, message: string, headers: Record<string, string> = {}): void {
  const requestId = newId('req');
  response.writeHead(status, { 'content-type': 'application/json', 'request-id': requestId, ...headers });
  response.end(JSON.stringify({ type: 'error', error: { type, message }, request_id: requestId }));
}

function defaultErrorType(status: number): string {
  switch (status) {
    case 400: return 'invalid_request_error';
    case 401: return 'authentication_error';
    case 403: return 'permission_error';
    case 404: return 'not_found_error';
    case 413: return 'request_too_large';
    case 429: return 'rate_limit_error';
    case 529: return 'overloaded_error';
    default: return 'api_error';
  }
}

/**
 * `GET /v1/models?limit&after_id&before_id`: newest first, `limit` 20 unless asked (1 to 1000),
 * the page after `after_id` (or before `before_id`), with `has_more`, `first_id` and `last_id`.
 * @see https://docs.anthropic.com/en/api/models-list
 */
async function listModels(state: State, query: URLSearchParams, response: ServerResponse): Promise<void> {
  if (state.modelListDelayMs) await sleep(state.modelListDelayMs);
  if (state.modelListError) return sendJson(response, state.modelListError.status, state.modelListError.body);
  const limit = Number(query.get('limit') ?? 20);
  if (!Number.isInteger(limit) || limit < 1 || limit > 1000) return sendError(response, 400, 'invalid_request_error', 'limit: Input should be less than or equal to 1000');
  const ids = state.models;
  const afterId = query.get('after_id');
  const beforeId = query.get('before_id');
  const cursor = afterId ?? beforeId;
  const at = cursor === null ? -1 : ids.indexOf(cursor);
  if (cursor !== null && at === -1) return sendError(response, 400, 'invalid_request_error', `${afterId !== null ? 'after_id' : 'before_id'}: no model with id ${cursor}`);
  const size = Math.min(limit, state.modelsPageLimit);
  const [start, end] = beforeId !== null ? [Math.max(0, at - size), at] : [at + 1, Math.min(ids.length, at + 1 + size)];
  const data = ids.slice(start, end).map((id) => ({ type: 'model', id, display_name: displayName(id), created_at: '2025-09-29T00:00:00Z' }));
  const hasMore = beforeId !== null ? start > 0 : end < ids.length;
  return sendJson(response, 200, { data, has_more: hasMore, first_id: data[0]?.id ?? null, last_id: data.at(-1)?.id ?? null });
}

async function handle(state: State, request: IncomingMessage, response: ServerResponse): Promise<void> {
  const body = await readBody(request);
  const path = (request.url ?? '').split('?')[0] ?? '';
  const isModelList = request.method === 'GET' && path === '/v1/models';
  if (isModelList) state.modelListRequests.push({ method: 'GET', path: request.url ?? '', headers: request.headers });
  else state.requests.push({ method: request.method ?? '', path: request.url ?? '', headers: request.headers, body });
  const bearer = request.headers.authorization?.startsWith('Bearer ') ? request.headers.authorization.slice(7) : undefined;
  if (request.headers['x-api-key'] !== state.apiKey && bearer !== state.apiKey) {
    return sendError(response, 401, 'authentication_error', 'invalid x-api-key');
  }
  if (!request.headers['anthropic-version']) {
    return sendError(response, 400, 'invalid_request_error', 'anthropic-version: header is required');
  }
  if (isModelList) return listModels(state, new URL(request.url ?? '/', 'http://fake').searchParams, response);
  if (request.method === 'POST' && path === '/v1/messages/count_tokens') {
    const invalid = validate(body, false);
    if (invalid) return sendError(response, 400, 'invalid_request_error', invalid);
    // A rough count (about four characters a token), enough for a client to see a number.
    const text = JSON.stringify([body.system ?? '', body.messages, body.tools ?? []]);
    return sendJson(response, 200, { input_tokens: Math.max(1, Math.ceil(text.length / 4)) });
  }
  if (request.method !== 'POST' || path !== '/v1/messages') {
    return sendError(response, 404, 'not_found_error', `Not found: ${request.method} ${path}`);
  }
  const invalid = validate(body, true) ?? validateThinking(body, state.issuedThinking);
  if (invalid) return sendError(response, 400, 'invalid_request_error', invalid);

  let behaviour = state.answer?.(state.requests.at(-1)!) ?? state.queue.shift() ?? state.fallback;
  const thinkingOn = body.thinking?.type === 'enabled' || body.thinking?.type === 'adaptive';
  if (thinkingOn && (behaviour.kind === 'ok' || behaviour.kind === 'tool-use') && !behaviour.thinking) {
    // With thinking on, Claude always thinks first.
    behaviour = { ...behaviour, thinking: { text: 'Let me think about what the user needs.', signature: randomBytes(64).toString('base64') } };
  }
  if ((behaviour.kind === 'ok' || behaviour.kind === 'tool-use') && behaviour.thinking) state.issuedThinking.set(behaviour.thinking.signature, behaviour.thinking.text);
  if (behaviour.kind === 'script') return writeScripted(response, behaviour);
  if (behaviour.kind === 'hang') return; // never answers: the client must time out or cancel
  if (behaviour.kind === 'reset') {
    request.socket.destroy();
    return;
  }
  if (behaviour.kind === 'model-not-found') return sendJson(response, 404, anthropicModelNotFound(String(body.model)));
  if (behaviour.kind === 'error') {
    if (behaviour.body) return sendJson(response, behaviour.status, behaviour.body, behaviour.headers);
    const headers: Record<string, string> = {};
    if (behaviour.status === 429) {
      headers['retry-after'] = '7';
      headers['anthropic-ratelimit-requests-limit'] = '50';
      headers['anthropic-ratelimit-requests-remaining'] = '0';
      headers['anthropic-ratelimit-requests-reset'] = new Date(Date.now() + 7_000).toISOString();
    }
    const type = behaviour.type ?? defaultErrorType(behaviour.status);
    const message = behaviour.message ?? (behaviour.status === 529 ? 'Overloaded' : `Upstream error ${behaviour.status}`);
    return sendError(response, behaviour.status, type, message, { ...headers, ...behaviour.headers });
  }

  const model: string = body.model;
  const id = newId('msg');
  const rateHeaders = {
    'anthropic-ratelimit-requests-limit': '50',
    'anthropic-ratelimit-requests-remaining': '49',
    'anthropic-ratelimit-requests-reset': new Date(Date.now() + 1_200).toISOString(),
  };
  // A plain answer to a request offering web search searches first, as Claude does.
  const search = behaviour.kind === 'ok' && !behaviour.text && webSearchTool(body) ? webSearchAnswer(body) : undefined;
  if (!body.stream) {
    if (behaviour.kind === 'tool-use') return sendJson(response, 200, toolUseMessage(behaviour, model, id), rateHeaders);
    if (search) return sendJson(response, 200, webSearchMessage(search, model, id), rateHeaders);
    const content: unknown[] = [];
    if (behaviour.thinking) content.push({ type: 'thinking', thinking: behaviour.thinking.text, signature: behaviour.thinking.signature });
    content.push({ type: 'text', text: behaviour.text ?? 'Hello from the fake Anthropic upstream!' });
    return sendJson(response, 200, { id, type: 'message', role: 'assistant', model, content, stop_reason: behaviour.stopReason ?? 'end_turn', stop_sequence: null, usage: USAGE }, rateHeaders);
  }

  response.writeHead(200, { 'content-type': 'text/event-stream; charset=utf-8', 'cache-control': 'no-cache', 'request-id': newId('req'), ...rateHeaders });
  let closed = false;
  response.on('close', () => {
    if (!response.writableFinished) {
      closed = true;
      state.disconnects += 1;
    }
  });
  let frames: string[];
  if (behaviour.kind === 'tool-use') {
    frames = toolUseStreamFrames(behaviour, model, id);
  } else if (search) {
    frames = webSearchFrames(search, model, id);
  } else {
    frames = [messageStartFrame(id, model), sse('ping', { type: 'ping' })];
    let index = 0;
    if (behaviour.thinking) frames.push(...thinkingBlockFrames(index++, behaviour.thinking));
    frames.push(...textBlockFrames(index, behaviour.text ?? 'Hello from the fake Anthropic upstream!'));
    frames.push(...messageEndFrames(behaviour.stopReason ?? 'end_turn'));
  }
  for (const frame of frames) {
    if (behaviour.delayBetweenChunksMs) await sleep(behaviour.delayBetweenChunksMs);
    if (closed) return;
    response.write(frame);
  }
  response.end();
}

/** The checks Anthropic makes before answering, as 400 invalid_request_error messages. */
function validate(body: any, needsMaxTokens: boolean): string | undefined {
  if (typeof body !== 'object' || body === null) return 'The request body is not valid JSON.';
  if (typeof body.model !== 'string') return 'model: Field required';
  if (needsMaxTokens && typeof body.max_tokens !== 'number') return 'max_tokens: Field required';
  if (!Array.isArray(body.messages)) return 'messages: Field required';
  return undefined;
}

/**
 * Anthropic's thinking checks: every thinking block comes back with the signature issued for its
 * text, and with thinking on, the final assistant turn of a tool loop opens with thinking.
 */
function validateThinking(body: any, issued: ReadonlyMap<string, string>): string | undefined {
  const messages: any[] = body.messages;
  for (const [m, message] of messages.entries()) {
    if (message?.role !== 'assistant' || !Array.isArray(message.content)) continue;
    for (const [b, block] of message.content.entries()) {
      if (block?.type === 'thinking') {
        if (typeof block.signature !== 'string') return `messages.${m}.content.${b}.thinking.signature: Field required`;
        if (issued.get(block.signature) !== block.thinking) return `messages.${m}.content.${b}: Invalid \`signature\` in \`thinking\` block`;
      }
      if (block?.type === 'redacted_thinking' && !issued.has(block.data)) return `messages.${m}.content.${b}: Invalid \`data\` in \`redacted_thinking\` block`;
    }
  }
  const thinkingOn = body.thinking?.type === 'enabled' || body.thinking?.type === 'adaptive';
  const last = messages.at(-1);
  const assistantIndex = messages.length - 2;
  const assistant = messages[assistantIndex];
  const inToolLoop = last?.role === 'user' && Array.isArray(last.content) && last.content.some((block: any) => block?.type === 'tool_result');
  if (thinkingOn && inToolLoop && assistant?.role === 'assistant' && Array.isArray(assistant.content)) {
    const first = assistant.content[0];
    if (first?.type !== 'thinking' && first?.type !== 'redacted_thinking') {
      return `messages.${assistantIndex}.content.0.type: Expected \`thinking\` or \`redacted_thinking\`, but found \`${first?.type ?? 'nothing'}\`. When \`thinking\` is enabled, a final \`assistant\` message must start with a thinking block (preceeding the lastmost set of \`tool_use\` and \`tool_result\` blocks). We recommend you include thinking blocks from previous turns. To avoid this requirement, disable \`thinking\`. Please consult our documentation at https://docs.claude.com/en/docs/build-with-claude/extended-thinking`;
    }
  }
  return undefined;
}

function displayName(id: string): string {
  const match = /^claude-(\w+)-(\d+)-(\d+)/.exec(id);
  if (!match) return id;
  return `Claude ${match[1]![0]!.toUpperCase()}${match[1]!.slice(1)} ${match[2]}.${match[3]}`;
}
