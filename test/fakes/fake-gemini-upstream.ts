import { randomBytes } from 'node:crypto';
import { createServer, type IncomingHttpHeaders, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { geminiImageResponse, imageModalityRejection, isImageModel } from './fake-gemini-images.js';
import { fakeEmbedding, fakeTokenCount } from './fake-embeddings.js';
import { modelListDefaults, sleep, type ModelListControl } from './model-list-control.js';
import { writeScripted, type ScriptedResponse } from './scripted-response.js';

/**
 * A local server that behaves like Google's Gemini REST API as documented
 * (https://ai.google.dev/api/generate-content, https://ai.google.dev/api/models):
 * - `POST /v1beta/models/{model}:generateContent` → a GenerateContentResponse;
 * - `POST /v1beta/models/{model}:streamGenerateContent?alt=sse` → `data: {chunk}\r\n\r\n` frames;
 *   without `alt=sse` → one JSON array written incrementally (`[{…}\n,\r\n{…}\n]`);
 * - `POST /v1beta/models/{model}:countTokens` → `{totalTokens}` (≈ 4 characters per token);
 * - `GET /v1beta/models` and `GET /v1beta/models/{model}`;
 * - the key in `x-goog-api-key` or `?key=`; a wrong key is Google's 400 INVALID_ARGUMENT with
 *   `ErrorInfo.reason = API_KEY_INVALID`; errors are `{"error": {code, message, status, details}}`,
 *   with `RetryInfo.retryDelay` on 429.
 * - Gemini 3 models (`gemini-3*`) sign their answers as Google does (a fresh signature on the
 *   first `functionCall` of an answer) and validate the current turn like Gemini 3: every model
 *   step in it must send its first `functionCall` back with the signature it was issued (or
 *   Google's documented `skip_thought_signature_validator`), else Google's 400 "Function call is
 *   missing a thought_signature…"; a signature it never issued is "Corrupted thought signature.".
 *   The current turn starts at the last user content that is not only function responses.
 * - Grounding with Google Search (https://ai.google.dev/gemini-api/docs/google-search): with a
 *   `googleSearch` tool, a plain answer carries `groundingMetadata` on its candidate (in a stream,
 *   on the last chunk): `webSearchQueries`, `searchEntryPoint`, `groundingChunks[].web` (a
 *   vertexaisearch redirect URI and the site's domain as title) and `groundingSupports` whose
 *   segments count UTF-8 bytes of the answer text (a 0 `startIndex` left out, as proto3 JSON does).
 *   Google Search next to function declarations is Google's 400 "Tool use with function calling
 *   is unsupported" (without `toolConfig.includeServerSideToolInvocations`), and a
 *   `functionCallingConfig` without declarations "Function calling config is set without
 *   function_declarations." (both as reported against the API in gemini-balance#17,
 *   bifrost#6065, claude-code-router#1207).
 * - Image models (`*-image*`) answer with images (fake-gemini-images.ts).
 * - Embeddings (https://ai.google.dev/api/embeddings): `:embedContent` → `{embedding: {values}}`,
 *   `:batchEmbedContents` → `{embeddings: [{values}]}` (at most 100 requests, Google's 400 past
 *   that), `outputDimensionality` truncating the vector; only the embedding models in
 *   `FAKE_GEMINI_EMBEDDING_MODELS` embed (others: Google's 404 "not supported for embedContent"),
 *   and only gemini-embedding-2 reports `usageMetadata.promptTokenCount` (as recorded in the
 *   Vercel AI SDK's fixture; gemini-embedding-001 answers carry no usage).
 * It records every request so tests can assert on what was sent.
 * @see https://ai.google.dev/gemini-api/docs/thought-signatures
 */
export interface RecordedRequest {
  method: string;
  /** Path including the query string. */
  path: string;
  headers: IncomingHttpHeaders;
  body: any;
}

export interface FakeFunctionCall {
  name: string;
  args: Record<string, unknown>;
  /** Gemini 3 may send an id; older models never do. */
  id?: string;
}

export type Behaviour =
  | { kind: 'ok'; text?: string; thoughts?: string; thoughtSignature?: string; delayBetweenChunksMs?: number; finishReason?: string }
  | { kind: 'function-call'; calls: FakeFunctionCall[]; text?: string; thoughtSignature?: string }
  /** `body` replaces the generated error body (see provider-errors.ts for Google's real ones). */
  | { kind: 'error'; status: number; rpcStatus?: string; message?: string; retryDelay?: string; reason?: string; headers?: Record<string, string>; body?: object }
  | { kind: 'blocked'; blockReason?: string }
  | ScriptedResponse
  | { kind: 'hang' }
  | { kind: 'reset' };

export interface FakeGeminiUpstream extends ModelListControl {
  url: string;
  /** The base URL an account uses: the bare origin (the SDKs append `/v1beta/...`). */
  baseUrl: string;
  apiKey: string;
  requests: RecordedRequest[];
  /** Behaviour for the next generate/stream requests, consumed in order; when empty, `fallback` answers. */
  queue: Behaviour[];
  fallback: Behaviour;
  /**
   * Chooses the behaviour from the request itself, before `queue` (undefined: queue, then fallback);
   * for clients whose number and order of requests is theirs to decide (coding agents).
   */
  answer?: (request: RecordedRequest) => Behaviour | undefined;
  /** Counts client disconnects seen mid-response. */
  disconnects: number;
  models: string[];
  /** Every thought signature this fake handed out (Gemini 3 validates against them). */
  issuedSignatures: Set<string>;
  close(): Promise<void>;
}

type State = Omit<FakeGeminiUpstream, 'url' | 'baseUrl' | 'close'>;

/** Embedding models and their native vector sizes. */
export const FAKE_GEMINI_EMBEDDING_MODELS: Record<string, number> = { 'gemini-embedding-001': 3072, 'gemini-embedding-2': 3072 };

export async function startFakeGeminiUpstream(options: { apiKey?: string; models?: string[] } = {}): Promise<FakeGeminiUpstream> {
  const state: State = {
    apiKey: options.apiKey ?? `AIzaFake${Math.random().toString(36).slice(2)}`,
    requests: [],
    queue: [],
    fallback: { kind: 'ok' },
    disconnects: 0,
    models: options.models ?? ['gemini-2.5-flash', 'gemini-2.5-pro', 'gemini-3-pro-preview'],
    issuedSignatures: new Set(),
    ...modelListDefaults(1000),
  };
  const server: Server = createServer((request, response) => {
    void handle(state, request, response).catch((error: unknown) => {
      if (!response.headersSent) sendError(response, 500, 'INTERNAL', String(error));
    });
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

// ---------------------------------------------------------------------------------------------
// Helpers to build Gemini answers (also usable with `{ kind: 'script' }` for exact byte streams).

const USAGE = { promptTokenCount: 11, candidatesTokenCount: 7, totalTokenCount: 18 };

/** A whole GenerateContentResponse with the given parts. */
export function geminiResponse(parts: object[], options: { model?: string; finishReason?: string; usage?: object; responseId?: string } = {}): object {
  return {
    candidates: [{ content: { parts, role: 'model' }, finishReason: options.finishReason ?? 'STOP', index: 0 }],
    usageMetadata: options.usage ?? USAGE,
    modelVersion: options.model ?? 'gemini-2.5-flash',
    responseId: options.responseId ?? `resp_${Math.random().toString(36).slice(2, 12)}`,
  };
}

/** The parts of a function-call answer: the first call carries the signature (as Gemini 3 does for a parallel batch). */
export function functionCallParts(calls: FakeFunctionCall[], thoughtSignature?: string): object[] {
  return calls.map((call, index) => ({
    functionCall: { ...(call.id ? { id: call.id } : {}), name: call.name, args: call.args },
    ...(index === 0 && thoughtSignature ? { thoughtSignature } : {}),
  }));
}

/** A non-streamed function-call answer. */
export function geminiFunctionCallResponse(calls: FakeFunctionCall[], options: { thoughtSignature?: string; text?: string; model?: string } = {}): object {
  const parts = [...(options.text ? [{ text: options.text }] : []), ...functionCallParts(calls, options.thoughtSignature)];
  return geminiResponse(parts, { model: options.model });
}

/** The chunks of a streamed function-call answer: optional text first, then the calls whole, then STOP + usage. */
export function geminiFunctionCallChunks(calls: FakeFunctionCall[], options: { thoughtSignature?: string; text?: string; model?: string } = {}): object[] {
  const model = options.model ?? 'gemini-2.5-flash';
  const responseId = `resp_${Math.random().toString(36).slice(2, 12)}`;
  const chunk = (parts: object[], last: boolean) => ({
    candidates: [{ content: { parts, role: 'model' }, ...(last ? { finishReason: 'STOP' } : {}), index: 0 }],
    usageMetadata: last ? USAGE : { promptTokenCount: 11, totalTokenCount: 11 },
    modelVersion: model,
    responseId,
  });
  const chunks: object[] = [];
  if (options.text) chunks.push(chunk([{ text: options.text }], false));
  chunks.push(chunk(functionCallParts(calls, options.thoughtSignature), false));
  chunks.push(chunk([{ text: '' }], true));
  return chunks;
}

/** The pages the fake's Google Search finds, and the answer text they ground (one sentence each). */
export const FAKE_GROUNDING_SOURCES = [
  { uri: 'https://vertexaisearch.cloud.google.com/grounding-api-redirect/AUZIYQFake0uefa', title: 'uefa.com', sentence: 'Spain won Euro 2024, beating England 2–1.' },
  { uri: 'https://vertexaisearch.cloud.google.com/grounding-api-redirect/AUZIYQFake1wiki', title: 'wikipedia.org', sentence: 'The final was played in Berlin’s Olympiastadion.' },
];
export const FAKE_GROUNDED_TEXT = FAKE_GROUNDING_SOURCES.map((source) => source.sentence).join(' ');

function hasGoogleSearch(body: any): boolean {
  return Array.isArray(body?.tools) && body.tools.some((tool: any) => tool && (tool.googleSearch !== undefined || tool.google_search !== undefined));
}

/** The `groundingMetadata` of FAKE_GROUNDED_TEXT searched for `query`. */
export function groundingMetadata(query: string): object {
  let offset = 0;
  const supports = FAKE_GROUNDING_SOURCES.map((source, index) => {
    const startIndex = offset;
    const endIndex = startIndex + Buffer.byteLength(source.sentence);
    offset = endIndex + 1;
    return { segment: { ...(startIndex > 0 ? { startIndex } : {}), endIndex, text: source.sentence }, groundingChunkIndices: [index] };
  });
  return {
    searchEntryPoint: { renderedContent: '<style>.container{display:flex}</style><div class="container"><a class="chip" href="https://www.google.com/search?q=euro">euro 2024</a></div>' },
    groundingChunks: FAKE_GROUNDING_SOURCES.map((source) => ({ web: { uri: source.uri, title: source.title } })),
    groundingSupports: supports,
    webSearchQueries: [query],
  };
}

/** Tool combinations Google refuses. */
function toolsRejection(body: any): string | undefined {
  const tools: any[] = Array.isArray(body?.tools) ? body.tools : [];
  const declarations = tools.some((tool) => Array.isArray(tool?.functionDeclarations ?? tool?.function_declarations) && (tool.functionDeclarations ?? tool.function_declarations).length > 0);
  if (declarations && hasGoogleSearch(body) && body?.toolConfig?.includeServerSideToolInvocations !== true) return 'Tool use with function calling is unsupported';
  if (!declarations && body?.toolConfig?.functionCallingConfig) return 'Function calling config is set without function_declarations.';
  return undefined;
}

function lastUserText(body: any): string {
  const last = Array.isArray(body?.contents) ? body.contents.at(-1) : undefined;
  return (last?.parts ?? []).map((part: any) => (typeof part?.text === 'string' ? part.text : '')).join(' ').slice(0, 60) || 'latest news';
}

/** SSE framing exactly as Google writes it with `alt=sse`. */
export function sseFrames(chunks: object[]): string[] {
  return chunks.map((chunk) => `data: ${JSON.stringify(chunk)}\r\n\r\n`);
}

/** The default (non-SSE) framing: one JSON array written piece by piece. */
export function jsonArrayFrames(chunks: object[]): string[] {
  const frames = chunks.map((chunk, index) => `${index === 0 ? '[' : '\n,\r\n'}${JSON.stringify(chunk, null, 2)}`);
  frames.push(chunks.length === 0 ? '[]' : '\n]');
  return frames;
}

/** Google's error body. */
export function geminiErrorBody(code: number, rpcStatus: string, message: string, details: object[] = []): object {
  return { error: { code, message, status: rpcStatus, ...(details.length > 0 ? { details } : {}) } };
}

// ---------------------------------------------------------------------------------------------

async function readBody(request: IncomingMessage): Promise<any> {
  const chunks: Buffer[] = [];
  for await (const chunk of request) chunks.push(chunk as Buffer);
  const text = Buffer.concat(chunks).toString('utf8');
  return text ? JSON.parse(text) : undefined;
}

function sendJson(response: ServerResponse, status: number, body: unknown, headers: Record<string, string> = {}): void {
  response.writeHead(status, { 'content-type': 'application/json; charset=UTF-8', vary: 'Origin, X-Origin, Referer', ...headers });
  response.end(JSON.stringify(body, null, 2));
}

function sendError(response: ServerResponse, code: number, rpcStatus: string, message: string, details: object[] = [], headers: Record<string, string> = {}): void {
  sendJson(response, code, geminiErrorBody(code, rpcStatus, message, details), headers);
}

const RPC_STATUS: Record<number, string> = {
  400: 'INVALID_ARGUMENT',
  401: 'UNAUTHENTICATED',
  403: 'PERMISSION_DENIED',
  404: 'NOT_FOUND',
  429: 'RESOURCE_EXHAUSTED',
  500: 'INTERNAL',
  503: 'UNAVAILABLE',
  504: 'DEADLINE_EXCEEDED',
};


/**
 * `GET /v1beta/models?pageSize&pageToken`: 50 a page unless asked, never more than 1000; a
 * `nextPageToken` (opaque) while models remain, absent on the last page.
 * @see https://ai.google.dev/api/models#method:-models.list
 */
async function listModels(state: State, query: URLSearchParams, response: ServerResponse): Promise<void> {
  if (state.modelListDelayMs) await sleep(state.modelListDelayMs);
  if (state.modelListError) return sendJson(response, state.modelListError.status, state.modelListError.body);
  const pageSize = Math.min(Number(query.get('pageSize') ?? 50) || 50, 1000, state.modelsPageLimit);
  const token = query.get('pageToken');
  const start = token ? Number(Buffer.from(token, 'base64url').toString('utf8').replace(/^offset:/, '')) : 0;
  if (!Number.isInteger(start) || start < 0 || start > state.models.length) return sendError(response, 400, 'INVALID_ARGUMENT', 'Invalid page token.');
  const end = Math.min(state.models.length, start + pageSize);
  const page: Record<string, unknown> = { models: state.models.slice(start, end).map(modelResource) };
  if (end < state.models.length) page.nextPageToken = Buffer.from(`offset:${end}`).toString('base64url');
  return sendJson(response, 200, page);
}

async function handle(state: State, request: IncomingMessage, response: ServerResponse): Promise<void> {
  const body = await readBody(request);
  const url = new URL(request.url ?? '/', 'http://fake');
  const isModelList = request.method === 'GET' && url.pathname === '/v1beta/models';
  if (isModelList) state.modelListRequests.push({ method: 'GET', path: `${url.pathname}${url.search}`, headers: request.headers });
  else state.requests.push({ method: request.method ?? '', path: `${url.pathname}${url.search}`, headers: request.headers, body });

  const key = request.headers['x-goog-api-key'] ?? url.searchParams.get('key');
  if (key !== state.apiKey) {
    return sendError(response, 400, 'INVALID_ARGUMENT', 'API key not valid. Please pass a valid API key.', [
      { '@type': 'type.googleapis.com/google.rpc.ErrorInfo', reason: 'API_KEY_INVALID', domain: 'googleapis.com', metadata: { service: 'generativelanguage.googleapis.com' } },
      { '@type': 'type.googleapis.com/google.rpc.LocalizedMessage', locale: 'en-US', message: 'API key not valid. Please pass a valid API key.' },
    ]);
  }

  if (isModelList) return listModels(state, url.searchParams, response);
  const getModel = /^\/v1beta\/models\/([^/:]+)$/.exec(url.pathname);
  if (request.method === 'GET' && getModel) {
    const model = decodeURIComponent(getModel[1]!);
    if (!state.models.includes(model)) return sendError(response, 404, 'NOT_FOUND', `models/${model} is not found for API version v1beta`);
    return sendJson(response, 200, modelResource(model));
  }

  const embed = /^\/v1beta\/models\/([^/:]+):(embedContent|batchEmbedContents)$/.exec(url.pathname);
  if (request.method === 'POST' && embed) return answerEmbeddings(decodeURIComponent(embed[1]!), embed[2] as 'embedContent' | 'batchEmbedContents', body, response);
  const method = /^\/v1beta\/models\/([^/:]+):(generateContent|streamGenerateContent|countTokens)$/.exec(url.pathname);
  if (request.method !== 'POST' || !method) {
    return sendError(response, 404, 'NOT_FOUND', `Method not found: ${request.method} ${url.pathname}`);
  }
  const model = decodeURIComponent(method[1]!);
  if (!state.models.includes(model)) {
    return sendError(
      response,
      404,
      'NOT_FOUND',
      `models/${model} is not found for API version v1beta, or is not supported for ${method[2]}. Call ListModels to see the list of available models and their supported methods.`,
    );
  }
  if (method[2] === 'countTokens') return sendJson(response, 200, { totalTokens: countTokens(body) });
  if (!body || !Array.isArray(body.contents)) {
    return sendError(response, 400, 'INVALID_ARGUMENT', '* GenerateContentRequest.contents: contents is not specified');
  }

  const stream = method[2] === 'streamGenerateContent';
  const sse = url.searchParams.get('alt') === 'sse';
  const gemini3 = /^gemini-([3-9]|\d{2,})/.test(model);
  if (gemini3) {
    const rejection = signatureRejection(body.contents, state.issuedSignatures);
    if (rejection) {
      const errorBody = geminiErrorBody(400, 'INVALID_ARGUMENT', rejection);
      return sendJson(response, 400, stream && !sse ? [errorBody] : errorBody);
    }
  }
  const toolRejection = toolsRejection(body) ?? imageModalityRejection(model, body);
  if (toolRejection) {
    const errorBody = geminiErrorBody(400, 'INVALID_ARGUMENT', toolRejection);
    return sendJson(response, 400, stream && !sse ? [errorBody] : errorBody);
  }
  const behaviour = state.answer?.(state.requests.at(-1)!) ?? state.queue.shift() ?? state.fallback;
  switch (behaviour.kind) {
    case 'script':
      return writeScripted(response, behaviour);
    case 'hang':
      return; // never answers: the client must time out or cancel
    case 'reset':
      request.socket.destroy();
      return;
    case 'error': {
      if (behaviour.body) return sendJson(response, behaviour.status, stream && !sse ? [behaviour.body] : behaviour.body, behaviour.headers);
      const rpcStatus = behaviour.rpcStatus ?? RPC_STATUS[behaviour.status] ?? 'UNKNOWN';
      const details: object[] = [];
      if (behaviour.reason) details.push({ '@type': 'type.googleapis.com/google.rpc.ErrorInfo', reason: behaviour.reason, domain: 'googleapis.com' });
      if (behaviour.status === 429) {
        details.push(
          {
            '@type': 'type.googleapis.com/google.rpc.QuotaFailure',
            violations: [{ quotaMetric: 'generativelanguage.googleapis.com/generate_content_free_tier_requests', quotaId: 'GenerateRequestsPerMinutePerProjectPerModel-FreeTier' }],
          },
          { '@type': 'type.googleapis.com/google.rpc.RetryInfo', retryDelay: behaviour.retryDelay ?? '30s' },
        );
      }
      const message = behaviour.message ?? (behaviour.status === 429 ? 'You exceeded your current quota, please check your plan and billing details.' : `Upstream error ${behaviour.status}`);
      const errorBody = geminiErrorBody(behaviour.status, rpcStatus, message, details);
      // A failing non-SSE stream call answers with the error inside an array, as Google does.
      return sendJson(response, behaviour.status, stream && !sse ? [errorBody] : errorBody, behaviour.headers);
    }
    case 'blocked': {
      const blocked = { promptFeedback: { blockReason: behaviour.blockReason ?? 'PROHIBITED_CONTENT' }, usageMetadata: { promptTokenCount: 11, totalTokenCount: 11 }, modelVersion: model };
      return stream ? writeStream(state, response, [blocked], sse, 0) : sendJson(response, 200, blocked);
    }
    case 'function-call': {
      // Gemini 3 always signs the first call of an answer.
      const thoughtSignature = behaviour.thoughtSignature ?? (gemini3 ? newThoughtSignature() : undefined);
      if (thoughtSignature) state.issuedSignatures.add(thoughtSignature);
      const options = { thoughtSignature, text: behaviour.text, model };
      if (!stream) return sendJson(response, 200, geminiFunctionCallResponse(behaviour.calls, options));
      return writeStream(state, response, geminiFunctionCallChunks(behaviour.calls, options), sse, 0);
    }
    case 'ok': {
      if (isImageModel(model) && !stream) {
        const index = state.requests.filter((recorded) => isImageModel(recorded.path)).length - 1;
        return sendJson(response, 200, geminiImageResponse(model, body, index, behaviour.finishReason));
      }
      // A plain answer to a request offering Google Search is grounded, as Gemini's are.
      const grounding = !behaviour.text && hasGoogleSearch(body) ? groundingMetadata(lastUserText(body)) : undefined;
      const text = behaviour.text ?? (grounding ? FAKE_GROUNDED_TEXT : 'Hello from the fake Gemini upstream!');
      const responseId = `resp_${Math.random().toString(36).slice(2, 12)}`;
      const thoughtParts = behaviour.thoughts ? [{ text: behaviour.thoughts, thought: true }] : [];
      if (behaviour.thoughtSignature) state.issuedSignatures.add(behaviour.thoughtSignature);
      const signed = (parts: object[]) => (behaviour.thoughtSignature ? [...parts, { text: '', thoughtSignature: behaviour.thoughtSignature }] : parts);
      const finishReason = behaviour.finishReason ?? 'STOP';
      if (!stream) {
        const answer: any = geminiResponse(signed([...thoughtParts, { text }]), { model, responseId, finishReason });
        if (grounding) answer.candidates[0].groundingMetadata = grounding;
        return sendJson(response, 200, answer);
      }
      const pieces = text.split(/(?<= )/);
      const chunks: object[] = [];
      const chunk = (parts: object[], last: boolean) => ({
        candidates: [{ content: { parts, role: 'model' }, ...(last ? { finishReason, ...(grounding ? { groundingMetadata: grounding } : {}) } : {}), index: 0 }],
        usageMetadata: last ? USAGE : { promptTokenCount: 11, totalTokenCount: 11 },
        modelVersion: model,
        responseId,
      });
      if (thoughtParts.length > 0) chunks.push(chunk(thoughtParts, false));
      pieces.forEach((piece, index) => {
        const last = index === pieces.length - 1;
        chunks.push(chunk(last ? signed([{ text: piece }]) : [{ text: piece }], last));
      });
      return writeStream(state, response, chunks, sse, behaviour.delayBetweenChunksMs ?? 0);
    }
  }
}

/** A signature shaped like Google's (opaque base64); random, so only this fake knows it. */
function newThoughtSignature(): string {
  return randomBytes(48).toString('base64');
}

const SKIP_VALIDATOR = 'skip_thought_signature_validator';

/**
 * Gemini 3's check of the current turn, with Google's own messages: the first `functionCall` of
 * each model step must carry the signature issued for it (any other signature is corrupted).
 * `position` is the 1-based index of the content, as in Google's message.
 */
function signatureRejection(contents: unknown[], issued: ReadonlySet<string>): string | undefined {
  const isRecord = (value: unknown): value is Record<string, any> => typeof value === 'object' && value !== null;
  const partsOf = (content: unknown): Array<Record<string, any>> => (isRecord(content) && Array.isArray(content.parts) ? content.parts.filter(isRecord) : []);
  let turnStart = 0;
  contents.forEach((content, index) => {
    const parts = partsOf(content);
    if (isRecord(content) && content.role !== 'model' && parts.some((part) => !part.functionResponse && !part.function_response)) turnStart = index;
  });
  for (let index = turnStart; index < contents.length; index++) {
    const content = contents[index];
    if (!isRecord(content) || content.role !== 'model') continue;
    const parts = partsOf(content);
    for (const part of parts) {
      const signature = part.thoughtSignature ?? part.thought_signature;
      if (signature !== undefined && signature !== SKIP_VALIDATOR && !issued.has(signature)) return 'Corrupted thought signature.';
    }
    const firstCall = parts.find((part) => part.functionCall ?? part.function_call);
    if (firstCall && (firstCall.thoughtSignature ?? firstCall.thought_signature) === undefined) {
      const name = (firstCall.functionCall ?? firstCall.function_call).name;
      return `Function call is missing a thought_signature in functionCall parts. This is required for tools to work correctly, and missing thought_signature may lead to degraded model performance. Additional data, function call \`default_api:${name}\` , position ${index + 1}. Please refer to https://ai.google.dev/gemini-api/docs/thought-signatures for more details.`;
    }
  }
  return undefined;
}

async function writeStream(state: State, response: ServerResponse, chunks: object[], sse: boolean, delayMs: number): Promise<void> {
  response.writeHead(200, sse ? { 'content-type': 'text/event-stream', 'cache-control': 'no-cache' } : { 'content-type': 'application/json; charset=UTF-8' });
  let closed = false;
  response.on('close', () => {
    if (!response.writableFinished) {
      closed = true;
      state.disconnects += 1;
    }
  });
  const frames = sse ? sseFrames(chunks) : jsonArrayFrames(chunks);
  for (const frame of frames) {
    if (delayMs) await sleep(delayMs);
    if (closed) return;
    response.write(frame);
  }
  response.end();
}

function modelResource(model: string): object {
  return {
    name: `models/${model}`,
    version: '001',
    displayName: model
      .split('-')
      .map((word) => word.charAt(0).toUpperCase() + word.slice(1))
      .join(' '),
    description: `Fake ${model}`,
    inputTokenLimit: 1_048_576,
    outputTokenLimit: 65_536,
    supportedGenerationMethods: ['generateContent', 'countTokens', 'createCachedContent', 'batchGenerateContent'],
    temperature: 1,
    topP: 0.95,
    topK: 64,
    maxTemperature: 2,
    thinking: true,
  };
}

/** Roughly 4 characters per token over every string in the request (contents, system instruction, tools), roles aside. */
function countTokens(body: any): number {
  const request = body?.generateContentRequest ?? body ?? {};
  let characters = 0;
  const visit = (value: unknown): void => {
    if (typeof value === 'string') characters += value.length;
    else if (Array.isArray(value)) value.forEach(visit);
    else if (value && typeof value === 'object') for (const [key, child] of Object.entries(value)) if (key !== 'role') visit(child);
  };
  visit(request.contents);
  visit(request.systemInstruction ?? request.system_instruction);
  visit(request.tools);
  return Math.max(1, Math.ceil(characters / 4));
}

function answerEmbeddings(model: string, method: 'embedContent' | 'batchEmbedContents', body: any, response: ServerResponse): void {
  const native = FAKE_GEMINI_EMBEDDING_MODELS[model];
  if (native === undefined) {
    return sendError(response, 404, 'NOT_FOUND', `models/${model} is not found for API version v1beta, or is not supported for ${method}. Call ListModels to see the list of available models and their supported methods.`);
  }
  const requests: any[] | undefined = method === 'embedContent' ? [body] : body?.requests;
  if (!Array.isArray(requests) || requests.length === 0) return sendError(response, 400, 'INVALID_ARGUMENT', '* BatchEmbedContentsRequest.requests: requests is not specified\n');
  if (requests.length > 100) return sendError(response, 400, 'INVALID_ARGUMENT', '* BatchEmbedContentsRequest.requests: at most 100 requests can be in one batch\n');
  const texts: string[] = [];
  for (const item of requests) {
    const parts = item?.content?.parts;
    if (!Array.isArray(parts) || parts.length === 0) return sendError(response, 400, 'INVALID_ARGUMENT', '* EmbedContentRequest.content: contents is not specified\n');
    texts.push(parts.map((part: any) => String(part?.text ?? '')).join(' '));
  }
  const embeddings = requests.map((item, index) => ({ values: fakeEmbedding(texts[index]!, native).slice(0, item.outputDimensionality ?? native) }));
  const usage = model.startsWith('gemini-embedding-2') ? { usageMetadata: { promptTokenCount: fakeTokenCount(texts), promptTokenDetails: [{ modality: 'TEXT', tokenCount: fakeTokenCount(texts) }] } } : {};
  return sendJson(response, 200, method === 'embedContent' ? { embedding: embeddings[0], ...usage } : { embeddings, ...usage });
}
