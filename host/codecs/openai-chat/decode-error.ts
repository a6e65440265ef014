import { kindForStatus, proxyError, type ProxyError, type ProxyErrorKind } from '../../core/proxy-error.js';
import type { OpenAIChatErrorObject } from './wire.js';

/**
 * An OpenAI error response (`{"error": {"message", "type", "param", "code"}}`) → ProxyError.
 * The status decides the kind (classify by status and code, never by text), with two notes:
 * - 429 `insufficient_quota` is a spent balance, not a burst limit: it stays `rate-limit` so the
 *   pool moves on to another account, but it has no useful Retry-After and will not clear soon.
 * - 400 `context_length_exceeded` is `context-length`: no other account can fix it.
 * @see https://platform.openai.com/docs/guides/error-codes
 */
export function decodeOpenAIChatError(status: number, bodyText: string): ProxyError {
  const error = readErrorObject(bodyText);
  const kind = error?.code === 'context_length_exceeded' ? 'context-length' : kindForStatus(status);
  const message = error?.message ? safeMessage(error.message) : fallbackMessage(status, bodyText);
  return proxyError(kind, message, status);
}

/**
 * An `{"error": {...}}` object sent as an SSE data line after a 200: no HTTP status, so the
 * kind comes from `code` / `type`.
 */
export function decodeOpenAIChatStreamError(error: OpenAIChatErrorObject | undefined): ProxyError {
  const kind = kindForErrorObject(error);
  const message = error?.message ? safeMessage(error.message) : 'The upstream reported an error in the stream';
  return proxyError(kind, message);
}

function kindForErrorObject(error: OpenAIChatErrorObject | undefined): ProxyErrorKind {
  const code = typeof error?.code === 'string' ? error.code : undefined;
  switch (code) {
    case 'rate_limit_exceeded':
    case 'insufficient_quota':
      return 'rate-limit';
    case 'context_length_exceeded':
      return 'context-length';
    case 'invalid_prompt':
      return 'invalid-request';
    case 'invalid_api_key':
      return 'authentication';
    case 'model_not_found':
      return 'not-found';
    default:
      break;
  }
  if (typeof error?.code === 'number' && error.code >= 400) return kindForStatus(error.code);
  switch (error?.type) {
    case 'invalid_request_error':
      return 'invalid-request';
    case 'rate_limit_error':
    case 'requests':
    case 'tokens':
      return 'rate-limit';
    case 'authentication_error':
      return 'authentication';
    case 'permission_error':
      return 'permission';
    case 'overloaded_error':
      return 'overloaded';
    default:
      return 'upstream';
  }
}

function readErrorObject(bodyText: string): OpenAIChatErrorObject | undefined {
  try {
    const body: unknown = JSON.parse(bodyText);
    if (body && typeof body === 'object') {
      const error = (body as { error?: unknown }).error;
      if (error && typeof error === 'object') return error as OpenAIChatErrorObject;
      // Some compatible servers answer {"message": "..."} or {"error": "..."}.
      if (typeof error === 'string') return { message: error };
      const message = (body as { message?: unknown }).message;
      if (typeof message === 'string') return { message };
    }
  } catch {
    // Not JSON (an HTML page from a proxy, a plain-text body): fall back below.
  }
  return undefined;
}

function fallbackMessage(status: number, bodyText: string): string {
  const text = bodyText.trim();
  // Keep short plain-text bodies; an HTML error page says nothing useful to a client.
  if (text && text.length <= 300 && !text.startsWith('<')) return safeMessage(text);
  return `The upstream answered with HTTP ${status}`;
}

/**
 * The message must be safe to show: OpenAI's 401 echoes part of the key
 * ("Incorrect API key provided: sk-proj-ab***xyz"), so anything key-like is masked.
 */
function safeMessage(message: string): string {
  return message.replace(/\b(sk|rk|pk)-[A-Za-z0-9_*.-]{4,}/g, '$1-***');
}
