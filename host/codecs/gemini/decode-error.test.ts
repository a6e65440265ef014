import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { decodeGeminiError } from './decode-error.js';
import { encodeGeminiError } from './encode-error.js';

const fixture = (name: string) => readFileSync(new URL(`./__fixtures__/${name}`, import.meta.url), 'utf8');
const body = (code: number, status: string, message = 'm', details?: object[]) => JSON.stringify({ error: { code, message, status, ...(details ? { details } : {}) } });

describe('decodeGeminiError', () => {
  it('reads a 429 with RetryInfo as a rate limit with its delay', () => {
    expect(decodeGeminiError(429, fixture('gemini-429-retry-info.json'))).toEqual({
      kind: 'rate-limit',
      status: 429,
      message: expect.stringMatching(/^You exceeded your current quota/),
      retryAfterMs: 27_000,
    });
    expect(decodeGeminiError(429, body(429, 'RESOURCE_EXHAUSTED', 'q', [{ '@type': 'type.googleapis.com/google.rpc.RetryInfo', retryDelay: '1.5s' }])).retryAfterMs).toBe(1500);
  });

  it('reads an invalid API key (400 INVALID_ARGUMENT + API_KEY_INVALID) as authentication', () => {
    expect(decodeGeminiError(400, fixture('gemini-400-api-key-invalid.json'))).toEqual({
      kind: 'authentication',
      status: 400,
      message: 'API key not valid. Please pass a valid API key.',
    });
  });

  it('maps google.rpc status names', () => {
    const kind = (code: number, status: string) => decodeGeminiError(code, body(code, status)).kind;
    expect(kind(400, 'INVALID_ARGUMENT')).toBe('invalid-request');
    expect(kind(400, 'FAILED_PRECONDITION')).toBe('permission');
    expect(kind(401, 'UNAUTHENTICATED')).toBe('authentication');
    expect(kind(403, 'PERMISSION_DENIED')).toBe('permission');
    expect(kind(404, 'NOT_FOUND')).toBe('not-found');
    expect(kind(503, 'UNAVAILABLE')).toBe('overloaded');
    expect(kind(504, 'DEADLINE_EXCEEDED')).toBe('timeout');
    expect(kind(500, 'INTERNAL')).toBe('upstream');
    expect(kind(499, 'SOMETHING_NEW')).toBe('invalid-request');
  });

  it('reads an input that exceeds the context window as context-length', () => {
    const tooLong = body(400, 'INVALID_ARGUMENT', 'The input token count (1200000) exceeds the maximum number of tokens allowed (1048576).');
    expect(decodeGeminiError(400, tooLong)).toMatchObject({ kind: 'context-length', status: 400 });
  });

  it('reads the array-wrapped body of a failed non-SSE stream, and survives non-JSON bodies', () => {
    expect(decodeGeminiError(503, `[${body(503, 'UNAVAILABLE', 'The model is overloaded.')}]`)).toEqual({ kind: 'overloaded', status: 503, message: 'The model is overloaded.' });
    expect(decodeGeminiError(502, '<html>Bad Gateway</html>')).toEqual({ kind: 'upstream', status: 502, message: 'Gemini upstream returned HTTP 502' });
  });

  it('masks keys and project numbers in messages', () => {
    const message = 'Quota exceeded for project_number:123456789012 using key AIzaSyA1234567890abcdefghijklmnopqrstu';
    expect(decodeGeminiError(429, body(429, 'RESOURCE_EXHAUSTED', message)).message).toBe('Quota exceeded for project_number:*** using key AIza***');
  });

  it('round-trips with encodeGeminiError', () => {
    for (const error of [
      { kind: 'rate-limit' as const, status: 429, message: 'slow' },
      { kind: 'overloaded' as const, status: 503, message: 'busy' },
      { kind: 'not-found' as const, status: 404, message: 'nope' },
      { kind: 'timeout' as const, status: 504, message: 'late' },
    ]) {
      expect(decodeGeminiError(error.status, JSON.stringify(encodeGeminiError(error)))).toEqual(error);
    }
  });
});
