import type { buildConnector as BuildConnector, Dispatcher } from 'undici';
import { Agent, buildConnector } from './undici-core.js';
import { withTopLevelString } from './json-text-edit.js';
import type { PassThroughBody } from './upstream-provider.js';
import type { CancelSignal } from '../core/cancel-signal.js';

/** Connect timeout when the caller gives none (config `connect_timeout_s` default). */
const DEFAULT_CONNECT_TIMEOUT_MS = 10_000;

/**
 * One keep-alive connection pool for every upstream (undici's Agent keeps a Pool per origin).
 * Requests go through `dispatcher.request`, which hands back a Node Readable body: no fetch, no
 * web streams on the hot path.
 *
 * undici fixes a connect timeout when a Client is built, and the Agent keeps its Clients; so the
 * connector asks `connectTimeoutMs()` on every new connection instead, and a config change applies
 * to the next connection without rebuilding the Agent (and dropping its warm sockets). One
 * connector is built per distinct timeout value (TLS session cache included).
 */
export function createUpstreamAgent(connectTimeoutMs: () => number = () => DEFAULT_CONNECT_TIMEOUT_MS): Agent {
  const connectors = new Map<number, BuildConnector.connector>();
  const connect: BuildConnector.connector = (options, callback) => {
    const timeout = connectTimeoutMs();
    let connector = connectors.get(timeout);
    if (!connector) {
      connector = buildConnector({ timeout });
      connectors.set(timeout, connector);
    }
    connector(options, callback);
  };
  return new Agent({
    keepAliveTimeout: 30_000,
    keepAliveMaxTimeout: 600_000,
    connections: 256,
    pipelining: 1,
    connect,
  });
}

export interface UpstreamRequest {
  url: URL;
  method: Dispatcher.HttpMethod;
  headers: Record<string, string>;
  body?: string | Buffer;
  signal?: CancelSignal;
  /** Time to the response headers (`request_timeout_s`). */
  timeoutMs: number;
  /** The longest quiet gap between two body chunks (`stream_idle_timeout_s`); `timeoutMs` when absent. */
  idleTimeoutMs?: number;
}

export type UpstreamResponse = Dispatcher.ResponseData;

/**
 * Whether an upstream answered with server-sent events: the one test for the streams that are
 * peeked (serve-generation.ts), relayed event by event (relay-stream.ts) and given SSE headers.
 */
export function isEventStream(response: UpstreamResponse): boolean {
  return String(response.headers['content-type'] ?? '').startsWith('text/event-stream');
}

/** undici's error codes for its three timeouts, and the config key each one stands for. */
export const TIMEOUT_CODES = {
  UND_ERR_CONNECT_TIMEOUT: 'connect_timeout_s',
  UND_ERR_HEADERS_TIMEOUT: 'request_timeout_s',
  UND_ERR_BODY_TIMEOUT: 'stream_idle_timeout_s',
} as const;

export function sendUpstream(dispatcher: Dispatcher, request: UpstreamRequest): Promise<UpstreamResponse> {
  return dispatcher.request({
    origin: request.url.origin,
    path: `${request.url.pathname}${request.url.search}`,
    method: request.method,
    headers: request.headers,
    body: request.body ?? null,
    // undici reads `aborted`, `reason` and 'abort' listeners of whatever EventTarget it is given.
    signal: (request.signal ?? null) as AbortSignal | null,
    headersTimeout: request.timeoutMs,
    bodyTimeout: request.idleTimeoutMs ?? request.timeoutMs,
  });
}

const MAX_JSON_RESPONSE_BYTES = 64 * 1024 * 1024;

/** Reads a whole JSON answer (bounded: a translated or counted answer must be whole to be read). */
export async function readJsonBody(response: UpstreamResponse): Promise<unknown> {
  return JSON.parse(await readBodyText(response));
}

/** Reads a whole answer as text, at most `maxBytes` of it (more is an error). */
export async function readBodyText(response: UpstreamResponse, maxBytes = MAX_JSON_RESPONSE_BYTES): Promise<string> {
  return (await collectBody(response.body, maxBytes, 'throw')).toString('utf8');
}

/**
 * Collects a body into one Buffer with plain 'data'/'end' events: an async iterator over the
 * stream (`for await`) costs a promise and an iterator step per chunk, on every translated answer.
 * Past `maxBytes`, 'throw' fails (and destroys the body); 'truncate' keeps the first `maxBytes`
 * and reads the rest away, so the connection can be reused.
 */
export function collectBody(body: NodeJS.ReadableStream & { destroy(error?: Error): void }, maxBytes: number, overflow: 'throw' | 'truncate'): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let kept = 0;
    body.on('data', (chunk: Buffer) => {
      if (kept + chunk.length <= maxBytes) {
        chunks.push(chunk);
        kept += chunk.length;
      } else if (overflow === 'throw') {
        body.destroy(new Error('upstream response too large'));
      } else if (kept < maxBytes) {
        chunks.push(chunk.subarray(0, maxBytes - kept));
        kept = maxBytes;
      }
    });
    body.once('end', () => resolve(chunks.length === 1 ? chunks[0]! : Buffer.concat(chunks, kept)));
    body.once('error', reject);
  });
}

/**
 * The client's body with only `model` changed, for families that name the model in the body.
 * The client's own bytes go on as they came, the model edited in place when it is mapped: nothing
 * re-serialised (a 400 KB history costs a scan of its strings, not a parse and a stringify),
 * numbers and unknown fields byte-exact. Without the text (the route rewrote the body), the body
 * is serialised.
 */
export function bodyWithModel(request: PassThroughBody, model: string): string | Buffer {
  const sent = request.body.model;
  if (request.rawText !== undefined) {
    if (sent === model) return request.rawBytes ?? request.rawText;
    const edited = typeof sent === 'string' ? withTopLevelString(request.rawText, 'model', sent, model, request.rawBytes) : undefined;
    if (edited !== undefined) return edited;
  }
  return JSON.stringify({ ...request.body, model });
}

/**
 * Endpoint URLs already parsed, by base URL and endpoint: every attempt asks for one of the same
 * few (per account and endpoint, Gemini's per model), so none is parsed twice. Bounded, as the
 * Gemini model comes from clients. The URLs are shared: read them, never change them.
 */
const parsedUrls = new Map<string, URL>();
const MAX_PARSED_URLS = 512;

/** `url` with these query parameters added: a copy, since the URLs `joinUrl` hands out are shared. */
export function withQuery(url: URL, params: Record<string, string | undefined>): URL {
  const copy = new URL(url);
  for (const [name, value] of Object.entries(params)) if (value !== undefined) copy.searchParams.set(name, value);
  return copy;
}

/** Appends an endpoint path to a base URL that may carry its own path (`https://host/v1`). */
export function joinUrl(baseUrl: string, endpoint: string): URL {
  const key = `${baseUrl} ${endpoint}`;
  let url = parsedUrls.get(key);
  if (!url) {
    url = new URL(`${baseUrl.replace(/\/+$/, '')}${endpoint}`);
    if (parsedUrls.size >= MAX_PARSED_URLS) parsedUrls.clear();
    parsedUrls.set(key, url);
  }
  return url;
}

/** The `id` of every entry of a list answer's `data` (OpenAI's and Anthropic's model lists). */
export function modelIds(body: unknown): string[] {
  const data = (body as { data?: Array<{ id?: unknown }> } | null)?.data;
  return Array.isArray(data) ? data.map((model) => (typeof model?.id === 'string' ? model.id : '')).filter(Boolean) : [];
}
