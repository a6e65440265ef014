import type { ProxyError } from '../../core/proxy-error.js';
import { encodeOpenAIError } from '../openai-chat/encode-error.js';
import type { ResponsesErrorEvent, ResponsesErrorObject } from './wire.js';

/**
 * The Responses API answers errors with the same body as Chat Completions:
 * `{"error": {"message", "type", "param", "code"}}`.
 * @see https://platform.openai.com/docs/guides/error-codes
 */
export function encodeOpenAIResponsesError(error: ProxyError): object {
  return encodeOpenAIError(error);
}

interface OpenAIErrorBody {
  error: { message: string; type: string; param: string | null; code: string | null };
}

/**
 * The in-stream `error` frame. The documented payload is flat (`code`, `message`, `param`), but
 * the official SDKs throw only on a top-level `error` key (openai-node `core/streaming.ts`:
 * `if (data && data.error) throw new APIError(...)`; openai-python `_streaming.py` likewise), so
 * the frame carries both: flat fields for spec readers, the nested envelope so SDK users get an
 * exception instead of a silently truncated response.
 * @see https://platform.openai.com/docs/api-reference/responses-streaming/error
 */
export function encodeOpenAIResponsesErrorEvent(error: ProxyError): ResponsesErrorEvent {
  const body = (encodeOpenAIError(error) as OpenAIErrorBody).error;
  const message = withRetryHint(error);
  return {
    type: 'error',
    code: body.code ?? body.type,
    message,
    param: null,
    error: { type: body.type, code: body.code ?? body.type, message, param: null },
  };
}

/**
 * `response.error` of a `response.failed` event. Codex reads `code` here: `rate_limit_exceeded`
 * (with "try again in Ns" in the message) is retried after that delay, anything else is retried
 * with backoff.
 * @see https://platform.openai.com/docs/api-reference/responses-streaming/response/failed
 */
export function encodeOpenAIResponsesFailure(error: ProxyError): ResponsesErrorObject {
  const body = (encodeOpenAIError(error) as OpenAIErrorBody).error;
  return { code: body.code ?? body.type, message: withRetryHint(error) };
}

function withRetryHint(error: ProxyError): string {
  if (error.retryAfterMs === undefined || /try again in/i.test(error.message)) return error.message;
  const seconds = Math.max(1, Math.ceil(error.retryAfterMs / 1000));
  return `${error.message} Please try again in ${seconds}s.`;
}
