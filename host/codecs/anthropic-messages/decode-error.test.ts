import { describe, expect, it } from 'vitest';
import { decodeAnthropicError } from './decode-error.js';
import { encodeAnthropicError } from './encode-error.js';

const body = (type: string, message: string) => JSON.stringify({ type: 'error', error: { type, message }, request_id: 'req_011CSHoEeqs5C35K2UUqR7Fy' });

describe('decodeAnthropicError', () => {
  it('classifies by error.type and keeps the status and message', () => {
    const cases: Array<[number, string, string]> = [
      [400, 'invalid_request_error', 'invalid-request'],
      [401, 'authentication_error', 'authentication'],
      [403, 'permission_error', 'permission'],
      [402, 'billing_error', 'permission'],
      [404, 'not_found_error', 'not-found'],
      [413, 'request_too_large', 'request-too-large'],
      [429, 'rate_limit_error', 'rate-limit'],
      [500, 'api_error', 'upstream'],
      [504, 'timeout_error', 'timeout'],
      [529, 'overloaded_error', 'overloaded'],
    ];
    for (const [status, type, kind] of cases) {
      expect(decodeAnthropicError(status, body(type, `m ${type}`))).toEqual({ kind, status, message: `m ${type}` });
    }
  });

  it('treats "prompt is too long" as context-length (no failover), other invalid requests as invalid-request', () => {
    expect(decodeAnthropicError(400, body('invalid_request_error', 'prompt is too long: 208310 tokens > 200000 maximum'))).toEqual({
      kind: 'context-length', status: 400, message: 'prompt is too long: 208310 tokens > 200000 maximum',
    });
    expect(decodeAnthropicError(400, body('invalid_request_error', 'max_tokens: Field required')).kind).toBe('invalid-request');
  });

  it('falls back to the status for unknown types and unreadable bodies', () => {
    expect(decodeAnthropicError(529, '<html>Overloaded</html>')).toEqual({ kind: 'overloaded', status: 529, message: 'Anthropic upstream answered HTTP 529' });
    expect(decodeAnthropicError(503, body('something_new', 'x')).kind).toBe('overloaded');
    expect(decodeAnthropicError(418, '').kind).toBe('invalid-request');
  });

  it('agrees with encodeAnthropicError', () => {
    for (const type of ['invalid_request_error', 'authentication_error', 'permission_error', 'not_found_error', 'request_too_large', 'rate_limit_error', 'api_error', 'overloaded_error']) {
      const error = decodeAnthropicError(400, body(type, 'x'));
      expect(encodeAnthropicError(error)).toEqual({ type: 'error', error: { type, message: 'x' } });
    }
  });
});
