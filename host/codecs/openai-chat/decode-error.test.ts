import { describe, expect, it } from 'vitest';
import { decodeOpenAIChatError, decodeOpenAIChatStreamError } from './decode-error.js';

const body = (error: Record<string, unknown>) => JSON.stringify({ error: { param: null, ...error } });

describe('decodeOpenAIChatError', () => {
  it('maps OpenAI error bodies by status', () => {
    expect(decodeOpenAIChatError(429, body({ message: 'Rate limit reached for gpt-4o', type: 'requests', code: 'rate_limit_exceeded' }))).toEqual({
      kind: 'rate-limit',
      status: 429,
      message: 'Rate limit reached for gpt-4o',
    });
    // A spent balance is still rate-limit (move to another account), see decode-error.ts.
    expect(decodeOpenAIChatError(429, body({ message: 'You exceeded your current quota', type: 'insufficient_quota', code: 'insufficient_quota' })).kind).toBe('rate-limit');
    expect(
      decodeOpenAIChatError(400, body({ message: "This model's maximum context length is 128000 tokens.", type: 'invalid_request_error', code: 'context_length_exceeded' })),
    ).toMatchObject({ kind: 'context-length', status: 400 });
    expect(decodeOpenAIChatError(404, body({ message: 'The model `gpt-9` does not exist', type: 'invalid_request_error', code: 'model_not_found' })).kind).toBe('not-found');
    expect(decodeOpenAIChatError(500, body({ message: 'The server had an error', type: 'server_error', code: null })).kind).toBe('upstream');
    expect(decodeOpenAIChatError(503, body({ message: 'Slow down', type: 'server_error' })).kind).toBe('overloaded');
  });

  it('never passes on a key fragment', () => {
    const error = decodeOpenAIChatError(401, body({ message: 'Incorrect API key provided: sk-proj-abc1***********************xyz9. You can find your API key at https://platform.openai.com/account/api-keys.', type: 'invalid_request_error', code: 'invalid_api_key' }));
    expect(error.kind).toBe('authentication');
    expect(error.message).not.toMatch(/abc1|xyz9/);
    expect(error.message).toContain('sk-***');
  });

  it('copes with bodies that are not OpenAI errors', () => {
    expect(decodeOpenAIChatError(502, '<html><body>Bad gateway</body></html>')).toEqual({ kind: 'upstream', status: 502, message: 'The upstream answered with HTTP 502' });
    expect(decodeOpenAIChatError(400, '{"error":"model is required"}')).toEqual({ kind: 'invalid-request', status: 400, message: 'model is required' });
    expect(decodeOpenAIChatError(422, '{"message":"bad field"}').message).toBe('bad field');
  });

  it('classifies in-stream errors by code and type', () => {
    expect(decodeOpenAIChatStreamError({ message: 'x', type: 'server_error', code: null })).toEqual({ kind: 'upstream', status: 502, message: 'x' });
    expect(decodeOpenAIChatStreamError({ message: 'x', type: 'tokens', code: 'rate_limit_exceeded' }).kind).toBe('rate-limit');
    expect(decodeOpenAIChatStreamError({ message: 'x', code: 'context_length_exceeded' }).kind).toBe('context-length');
    expect(decodeOpenAIChatStreamError(undefined).kind).toBe('upstream');
  });
});
