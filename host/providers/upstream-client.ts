import { Agent, type Dispatcher } from 'undici';

/**
 * One keep-alive connection pool for every upstream (undici's Agent keeps a Pool per origin).
 * Requests go through `dispatcher.request`, which hands back a Node Readable body: no fetch, no
 * web streams on the hot path.
 */
export function createUpstreamAgent(): Agent {
  return new Agent({
    keepAliveTimeout: 30_000,
    keepAliveMaxTimeout: 600_000,
    connections: 256,
    pipelining: 1,
  });
}

export interface UpstreamRequest {
  url: URL;
  method: Dispatcher.HttpMethod;
  headers: Record<string, string>;
  body?: string | Buffer;
  signal?: AbortSignal;
  /** Time to the response headers, and the longest quiet gap between body chunks. */
  timeoutMs: number;
}

export type UpstreamResponse = Dispatcher.ResponseData;

export function sendUpstream(dispatcher: Dispatcher, request: UpstreamRequest): Promise<UpstreamResponse> {
  return dispatcher.request({
    origin: request.url.origin,
    path: `${request.url.pathname}${request.url.search}`,
    method: request.method,
    headers: request.headers,
    body: request.body ?? null,
    signal: request.signal ?? null,
    headersTimeout: request.timeoutMs,
    bodyTimeout: request.timeoutMs,
  });
}

/** Appends an endpoint path to a base URL that may carry its own path (`https://host/v1`). */
export function joinUrl(baseUrl: string, endpoint: string): URL {
  return new URL(`${baseUrl.replace(/\/+$/, '')}${endpoint}`);
}
