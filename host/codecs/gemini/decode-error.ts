import { kindForStatus, proxyError, type ProxyError, type ProxyErrorKind } from '../../core/proxy-error.js';
import { isRecord } from './wire.js';

/**
 * A Gemini error response → the proxy's error. Google's body is a google.rpc.Status:
 * `{"error": {"code", "message", "status", "details": [...]}}` (wrapped in an array when the
 * failing call was a non-SSE `streamGenerateContent`). The kind comes from `status`, not from the
 * message text, with two refinements from `details`:
 * - `RetryInfo.retryDelay` ("30s", "1.5s") becomes `retryAfterMs` (429 RESOURCE_EXHAUSTED);
 * - `ErrorInfo.reason` `API_KEY_INVALID` (sent as 400 INVALID_ARGUMENT) means authentication.
 * The HTTP status is kept as the upstream sent it.
 * @see https://ai.google.dev/gemini-api/docs/troubleshooting#error-codes
 * @see https://cloud.google.com/apis/design/errors#error_details
 */
export function decodeGeminiError(status: number, bodyText: string): ProxyError {
  let body: unknown;
  try {
    body = JSON.parse(bodyText);
  } catch {
    return proxyError(kindForStatus(status), `Gemini upstream returned HTTP ${status}`, status);
  }
  return decodeGeminiErrorObject(Array.isArray(body) ? body[0] : body, status);
}

/** The `{"error": {...}}` object itself (also used for an error chunk inside a stream). */
export function decodeGeminiErrorObject(body: unknown, httpStatus?: number): ProxyError {
  const error = isRecord(body) && isRecord(body['error']) ? body['error'] : undefined;
  const code = typeof error?.['code'] === 'number' ? error['code'] : undefined;
  const status = httpStatus ?? code ?? 500;
  if (!error) return proxyError(kindForStatus(status), `Gemini upstream returned HTTP ${status}`, status);
  const rpcStatus = typeof error['status'] === 'string' ? error['status'] : undefined;
  const details = Array.isArray(error['details']) ? error['details'].filter(isRecord) : [];
  const message = typeof error['message'] === 'string' && error['message'] ? redact(error['message']) : `Gemini upstream returned HTTP ${status}`;

  let kind = rpcStatus ? kindForRpcStatus(rpcStatus) ?? kindForStatus(status) : kindForStatus(status);
  const reason = details.find((detail) => typeOf(detail) === 'google.rpc.ErrorInfo')?.['reason'];
  if (reason === 'API_KEY_INVALID' || reason === 'API_KEY_EXPIRED' || reason === 'API_KEY_SERVICE_BLOCKED') kind = 'authentication';
  // No code for a context overflow: INVALID_ARGUMENT "The input token count (N) exceeds the maximum
  // number of tokens allowed (M)." is recognised by its message.
  if (kind === 'invalid-request' && /input token count.*exceeds/i.test(message)) kind = 'context-length';
  const retryDelay = details.find((detail) => typeOf(detail) === 'google.rpc.RetryInfo')?.['retryDelay'];
  const retryAfterMs = parseDuration(retryDelay);
  return proxyError(kind, message, status, retryAfterMs);
}

/** google.rpc.Code name → kind. */
function kindForRpcStatus(status: string): ProxyErrorKind | undefined {
  switch (status) {
    case 'INVALID_ARGUMENT':
    case 'OUT_OF_RANGE':
      return 'invalid-request';
    case 'FAILED_PRECONDITION':
      // e.g. "free tier not available in your country; enable billing": the account, not the request.
      return 'permission';
    case 'UNAUTHENTICATED':
      return 'authentication';
    case 'PERMISSION_DENIED':
      return 'permission';
    case 'NOT_FOUND':
      return 'not-found';
    case 'RESOURCE_EXHAUSTED':
      return 'rate-limit';
    case 'UNAVAILABLE':
      return 'overloaded';
    case 'DEADLINE_EXCEEDED':
      return 'timeout';
    case 'INTERNAL':
    case 'UNKNOWN':
    case 'DATA_LOSS':
    case 'ABORTED':
    case 'CANCELLED':
      return 'upstream';
    default:
      return undefined;
  }
}

function typeOf(detail: Record<string, unknown>): string | undefined {
  const type = detail['@type'];
  return typeof type === 'string' ? type.slice(type.lastIndexOf('/') + 1) : undefined;
}

/** protobuf Duration JSON ("30s", "1.500s") → milliseconds. */
function parseDuration(value: unknown): number | undefined {
  if (typeof value !== 'string') return undefined;
  const match = /^(\d+(?:\.\d+)?)s$/.exec(value.trim());
  return match ? Math.round(Number(match[1]) * 1000) : undefined;
}

/** Messages must not reveal account identity: project numbers and API keys are masked. */
function redact(message: string): string {
  return message.replace(/AIza[0-9A-Za-z_-]{20,}/g, 'AIza***').replace(/(project[_ ]?(?:number|id)?[:=/ ]+)['"]?\d{6,}/gi, '$1***');
}
