import { defaultStatus, kindForStatus, proxyError, type ProxyError, type ProxyErrorKind } from '../../core/proxy-error.js';

/**
 * An Anthropic error (`{"type": "error", "error": {"type", "message"}}`) → ProxyError. The kind
 * comes from `error.type` (stable codes), then from the status; the status is kept. A context
 * overflow is `context-length`: no other account can fix it, so the pool must not fail over on
 * it. Anthropic gives it no code of its own (an `invalid_request_error` whose message starts
 * "prompt is too long"), so that one case reads the message. `Retry-After` lives in headers, which the provider reads.
 * @see https://docs.anthropic.com/en/api/errors
 */
export function decodeAnthropicError(status: number, bodyText: string): ProxyError {
  const error = parseErrorObject(bodyText);
  const kind = (error?.type ? kindForErrorType(error.type) : undefined) ?? kindForStatus(status);
  const message = error?.message || `Anthropic upstream answered HTTP ${status}`;
  return proxyError(kind === 'invalid-request' && isPromptTooLong(message) ? 'context-length' : kind, message, status);
}

/** "prompt is too long: 208310 tokens > 200000 maximum". */
function isPromptTooLong(message: string): boolean {
  return /^prompt is too long\b/i.test(message);
}

/** The in-stream form: `event: error` data carries the same error object, after a 200. */
export function decodeAnthropicStreamError(error: { type?: unknown; message?: unknown } | undefined): ProxyError {
  const type = typeof error?.type === 'string' ? error.type : 'api_error';
  const typeKind = kindForErrorType(type) ?? 'upstream';
  const message = typeof error?.message === 'string' && error.message !== '' ? error.message : `Anthropic stream error (${type})`;
  const kind = typeKind === 'invalid-request' && isPromptTooLong(message) ? 'context-length' : typeKind;
  return proxyError(kind, message, statusForKind(kind));
}

export function kindForErrorType(type: string): ProxyErrorKind | undefined {
  switch (type) {
    case 'invalid_request_error':
      // "prompt is too long: N tokens > M maximum" is refined to context-length by the callers.
      return 'invalid-request';
    case 'authentication_error':
      return 'authentication';
    case 'permission_error':
    case 'billing_error':
      return 'permission';
    case 'not_found_error':
      return 'not-found';
    case 'request_too_large':
      return 'request-too-large';
    case 'rate_limit_error':
      return 'rate-limit';
    case 'overloaded_error':
      return 'overloaded';
    case 'timeout_error':
      return 'timeout';
    case 'api_error':
      return 'upstream';
    default:
      return undefined;
  }
}

/** Where Anthropic's own statuses differ from the proxy's defaults (529 overloaded; api_error is a 500). */
const ANTHROPIC_STATUS: Partial<Record<ProxyErrorKind, number>> = { overloaded: 529, upstream: 500 };

function statusForKind(kind: ProxyErrorKind): number {
  return ANTHROPIC_STATUS[kind] ?? defaultStatus(kind);
}

function parseErrorObject(bodyText: string): { type?: string; message?: string } | undefined {
  try {
    const body: unknown = JSON.parse(bodyText);
    if (typeof body !== 'object' || body === null) return undefined;
    const error = (body as { error?: unknown }).error;
    if (typeof error !== 'object' || error === null) return undefined;
    const { type, message } = error as { type?: unknown; message?: unknown };
    return { type: typeof type === 'string' ? type : undefined, message: typeof message === 'string' ? message : undefined };
  } catch {
    return undefined;
  }
}
