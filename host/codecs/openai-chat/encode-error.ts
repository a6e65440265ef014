import { proxyError, type ProxyError } from '../../core/proxy-error.js';
import { sseFrame } from '../shared/sse-parser.js';

/**
 * OpenAI's error body: `{"error": {"message", "type", "param", "code"}}`.
 * @see https://platform.openai.com/docs/guides/error-codes
 */
export function encodeOpenAIError(error: ProxyError): object {
  return { error: { message: error.message, type: openAIErrorType(error), param: null, code: openAIErrorCode(error) } };
}

/** An error inside an OpenAI stream (Chat or legacy completions): `data: {"error": …}`, on which the SDK throws. */
export function openAIStreamErrorFrame(error: ProxyError): string {
  return sseFrame(JSON.stringify(encodeOpenAIError(error)));
}

/** What closes an OpenAI stream whose upstream stopped with neither a finish nor an error. */
export const INCOMPLETE_STREAM_ERROR = proxyError('upstream', 'The upstream stream ended before the response was complete');

function openAIErrorType(error: ProxyError): string {
  switch (error.kind) {
    case 'invalid-request':
    case 'context-length':
    case 'not-found':
    case 'request-too-large':
      return 'invalid_request_error';
    case 'authentication':
      return 'authentication_error';
    case 'permission':
      return 'permission_error';
    case 'rate-limit':
      return 'rate_limit_error';
    case 'overloaded':
    case 'upstream':
    case 'timeout':
    case 'internal':
      return 'server_error';
  }
}

function openAIErrorCode(error: ProxyError): string | null {
  switch (error.kind) {
    case 'authentication':
      return 'invalid_api_key';
    case 'context-length':
      return 'context_length_exceeded';
    case 'not-found':
      return 'not_found';
    case 'rate-limit':
      return 'rate_limit_exceeded';
    case 'request-too-large':
      return 'request_too_large';
    default:
      return null;
  }
}
