import type { ProxyError } from '../../core/proxy-error.js';

/**
 * Anthropic's error body: `{"type": "error", "error": {"type", "message"}}`.
 * @see https://docs.anthropic.com/en/api/errors
 */
export function encodeAnthropicError(error: ProxyError): object {
  return { type: 'error', error: { type: anthropicErrorType(error), message: error.message } };
}

function anthropicErrorType(error: ProxyError): string {
  switch (error.kind) {
    case 'invalid-request':
    case 'context-length':
      return 'invalid_request_error';
    case 'authentication':
      return 'authentication_error';
    case 'permission':
      return 'permission_error';
    case 'not-found':
      return 'not_found_error';
    case 'request-too-large':
      return 'request_too_large';
    case 'rate-limit':
      return 'rate_limit_error';
    case 'overloaded':
      return 'overloaded_error';
    case 'timeout':
    case 'upstream':
    case 'internal':
      return 'api_error';
  }
}
