import type { ProxyError } from '../../core/proxy-error.js';

/**
 * Google's error body: `{"error": {"code", "message", "status"}}` with a google.rpc.Code name.
 * @see https://ai.google.dev/gemini-api/docs/troubleshooting#error-codes
 */
export function encodeGeminiError(error: ProxyError): object {
  return { error: { code: error.status, message: error.message, status: geminiStatus(error) } };
}

function geminiStatus(error: ProxyError): string {
  switch (error.kind) {
    case 'invalid-request':
    case 'context-length':
    case 'request-too-large':
      return 'INVALID_ARGUMENT';
    case 'authentication':
      return 'UNAUTHENTICATED';
    case 'permission':
      return 'PERMISSION_DENIED';
    case 'not-found':
      return 'NOT_FOUND';
    case 'rate-limit':
      return 'RESOURCE_EXHAUSTED';
    case 'overloaded':
      return 'UNAVAILABLE';
    case 'timeout':
      return 'DEADLINE_EXCEEDED';
    case 'upstream':
    case 'internal':
      return 'INTERNAL';
  }
}
