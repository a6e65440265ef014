/**
 * A failure the proxy answers with, before it is written in a client protocol's error format.
 * The kind decides the status and each protocol's error type; the message must be safe to show
 * (no keys, no account identity).
 */
export type ProxyErrorKind =
  | 'invalid-request'
  /** The prompt does not fit the model's context window: a client error no other account can fix. */
  | 'context-length'
  | 'authentication'
  | 'permission'
  | 'not-found'
  | 'request-too-large'
  | 'rate-limit'
  | 'overloaded'
  | 'upstream'
  | 'timeout'
  | 'internal';

export interface ProxyError {
  kind: ProxyErrorKind;
  status: number;
  message: string;
  /** For 429/503: when a retry may succeed. Sent as `Retry-After` too. */
  retryAfterMs?: number;
}

export function proxyError(kind: ProxyErrorKind, message: string, status = defaultStatus(kind), retryAfterMs?: number): ProxyError {
  return retryAfterMs === undefined ? { kind, status, message } : { kind, status, message, retryAfterMs };
}

/** The HTTP status the proxy uses for an error of this kind when no upstream status applies. */
export function defaultStatus(kind: ProxyErrorKind): number {
  switch (kind) {
    case 'invalid-request':
    case 'context-length':
      return 400;
    case 'authentication':
      return 401;
    case 'permission':
      return 403;
    case 'not-found':
      return 404;
    case 'request-too-large':
      return 413;
    case 'rate-limit':
      return 429;
    case 'overloaded':
      return 503;
    case 'upstream':
      return 502;
    case 'timeout':
      return 504;
    case 'internal':
      return 500;
  }
}

/** The kind an HTTP status from an upstream or from Fastify stands for. */
export function kindForStatus(status: number): ProxyErrorKind {
  if (status === 401) return 'authentication';
  if (status === 403) return 'permission';
  if (status === 404) return 'not-found';
  if (status === 413) return 'request-too-large';
  if (status === 429) return 'rate-limit';
  if (status === 408 || status === 504) return 'timeout';
  if (status === 503 || status === 529) return 'overloaded';
  if (status >= 500) return 'upstream';
  return 'invalid-request';
}
