import { createServer, type IncomingHttpHeaders, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { writeScripted, type ScriptedResponse } from './scripted-response.js';

/**
 * A local server that behaves like OpenAI's Chat Completions API as documented
 * (https://platform.openai.com/docs/api-reference/chat): JSON responses, SSE chunks of
 * `chat.completion.chunk` ending in `data: [DONE]`, usage in a final empty-choices chunk when
 * `stream_options.include_usage` is set, `{"error": {...}}` bodies and `x-ratelimit-*` /
 * `retry-after` headers on 429. It records every request so tests can assert on what was sent.
 */
export interface RecordedRequest {
  method: string;
  path: string;
  headers: IncomingHttpHeaders;
  body: any;
}

export type Behaviour =
  | { kind: 'ok'; text?: string; delayBetweenChunksMs?: number }
  | { kind: 'error'; status: number; type?: string; code?: string | null; message?: string; headers?: Record<string, string> }
  | ScriptedResponse
  | { kind: 'hang' }
  | { kind: 'reset' };

export interface FakeOpenAIUpstream {
  url: string;
  /** The base URL an account uses (ends in /v1, as the OpenAI SDK's convention). */
  baseUrl: string;
  apiKey: string;
  requests: RecordedRequest[];
  /** Behaviour for the next requests, consumed in order; when empty, `fallback` answers. */
  queue: Behaviour[];
  fallback: Behaviour;
  /** Resolves when the server sees a client disconnect mid-response. */
  disconnects: number;
  models: string[];
  close(): Promise<void>;
}

export async function startFakeOpenAIUpstream(options: { apiKey?: string; models?: string[] } = {}): Promise<FakeOpenAIUpstream> {
  const apiKey = options.apiKey ?? `sk-upstream-${Math.random().toString(36).slice(2)}`;
  const state: Omit<FakeOpenAIUpstream, 'url' | 'baseUrl' | 'close'> = {
    apiKey,
    requests: [],
    queue: [],
    fallback: { kind: 'ok' },
    disconnects: 0,
    models: options.models ?? ['gpt-4o-mini', 'gpt-4o'],
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
  const text = Buffer.concat(chunks).toString('utf8');
  return text ? JSON.parse(text) : undefined;
}

function sendJson(response: ServerResponse, status: number, body: unknown, headers: Record<string, string> = {}): void {
  response.writeHead(status, { 'content-type': 'application/json', 'x-request-id': `req_${Math.random().toString(36).slice(2)}`, ...headers });
  response.end(JSON.stringify(body));
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

async function handle(state: Omit<FakeOpenAIUpstream, 'url' | 'baseUrl' | 'close'>, request: IncomingMessage, response: ServerResponse): Promise<void> {
  const body = await readBody(request);
  state.requests.push({ method: request.method ?? '', path: request.url ?? '', headers: request.headers, body });
  if (request.headers.authorization !== `Bearer ${state.apiKey}`) {
    return sendJson(response, 401, {
      error: { message: 'Incorrect API key provided: sk-***. You can find your API key at https://platform.openai.com/account/api-keys.', type: 'invalid_request_error', param: null, code: 'invalid_api_key' },
    });
  }
  if (request.method === 'GET' && request.url === '/v1/models') {
    return sendJson(response, 200, { object: 'list', data: state.models.map((id) => ({ id, object: 'model', created: 1_700_000_000, owned_by: 'openai' })) });
  }
  if (request.method !== 'POST' || request.url !== '/v1/chat/completions') {
    return sendJson(response, 404, { error: { message: `Invalid URL (${request.method} ${request.url})`, type: 'invalid_request_error', param: null, code: null } });
  }
  const behaviour = state.queue.shift() ?? state.fallback;
  if (behaviour.kind === 'script') return writeScripted(response, behaviour);
  if (behaviour.kind === 'hang') return; // never answers: the client must time out or cancel
  if (behaviour.kind === 'reset') {
    request.socket.destroy();
    return;
  }
  if (behaviour.kind === 'error') {
    return sendJson(
      response,
      behaviour.status,
      { error: { message: behaviour.message ?? `Upstream error ${behaviour.status}`, type: behaviour.type ?? (behaviour.status === 429 ? 'requests' : 'server_error'), param: null, code: behaviour.code ?? (behaviour.status === 429 ? 'rate_limit_exceeded' : null) } },
      behaviour.headers,
    );
  }
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
  if (!body.stream) {
    return sendJson(
      response,
      200,
      {
        id, object: 'chat.completion', created, model, system_fingerprint: 'fp_fake',
        choices: [{ index: 0, message: { role: 'assistant', content: text, refusal: null }, logprobs: null, finish_reason: 'stop' }],
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
  const chunk = (delta: object, finish: string | null) =>
    `data: ${JSON.stringify({ id, object: 'chat.completion.chunk', created, model, system_fingerprint: 'fp_fake', choices: [{ index: 0, delta, logprobs: null, finish_reason: finish }] })}\n\n`;
  response.write(chunk({ role: 'assistant', content: '', refusal: null }, null));
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
