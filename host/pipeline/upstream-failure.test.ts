import { Readable } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { decodeAnthropicError } from '../codecs/anthropic-messages/decode-error.js';
import { decodeGeminiError } from '../codecs/gemini/decode-error.js';
import { decodeOpenAIChatError } from '../codecs/openai-chat/decode-error.js';
import { proxyError } from '../core/proxy-error.js';
import { PEEK_MAX_BYTES, peekFirstEvent } from './peek-first-event.js';
import { anthropicResetHintMs, classifyNetworkFailure, classifyUpstreamFailure, isQuotaExhausted, upstreamFailureHint } from './upstream-failure.js';

const NOW = Date.parse('2025-06-01T12:00:00Z');

describe('upstreamFailureHint', () => {
  it('takes Retry-After first, then the family’s reset headers, then the body’s RetryInfo', () => {
    const gemini = proxyError('rate-limit', 'q', 429, 30_000);
    expect(upstreamFailureHint('gemini', { 'retry-after': '5' }, gemini, NOW)).toBe(5_000);
    expect(upstreamFailureHint('gemini', {}, gemini, NOW)).toBe(30_000);
    expect(upstreamFailureHint('openai', { 'x-ratelimit-remaining-tokens': '0', 'x-ratelimit-reset-tokens': '6m0s' }, undefined, NOW)).toBe(360_000);
    expect(upstreamFailureHint('anthropic', { 'anthropic-ratelimit-requests-reset': new Date(NOW + 12_000).toISOString() }, undefined, NOW)).toBe(12_000);
    expect(upstreamFailureHint('openai', {}, proxyError('upstream', 'x', 500), NOW)).toBeUndefined();
    // A day at most, whatever the upstream asks.
    expect(upstreamFailureHint('gemini', {}, proxyError('rate-limit', 'q', 429, 9 * 86_400_000), NOW)).toBe(86_400_000);
  });

  it('waits for the exhausted Anthropic window; without one marked, for the latest reset', () => {
    const headers = {
      'anthropic-ratelimit-requests-remaining': '10',
      'anthropic-ratelimit-requests-reset': new Date(NOW + 50_000).toISOString(),
      'anthropic-ratelimit-output-tokens-remaining': '0',
      'anthropic-ratelimit-output-tokens-reset': new Date(NOW + 8_000).toISOString(),
    };
    expect(anthropicResetHintMs(headers, NOW)).toBe(8_000);
    expect(anthropicResetHintMs({ ...headers, 'anthropic-ratelimit-output-tokens-remaining': '5' }, NOW)).toBe(50_000);
    expect(anthropicResetHintMs({ 'anthropic-ratelimit-tokens-reset': 'soon' }, NOW)).toBeUndefined();
  });
});

describe('classifyUpstreamFailure', () => {
  const classify = (family: 'openai' | 'anthropic' | 'gemini', status: number, body: string, headers = {}) => {
    const decode = family === 'openai' ? decodeOpenAIChatError : family === 'anthropic' ? decodeAnthropicError : decodeGeminiError;
    return classifyUpstreamFailure(family, status, headers, body, decode(status, body), NOW);
  };
  const openai = (code: string | null, type = 'invalid_request_error') => JSON.stringify({ error: { message: 'm', type, param: null, code } });
  const anthropic = (type: string, message = 'm') => JSON.stringify({ type: 'error', error: { type, message } });
  const gemini = (code: number, status: string, details: object[] = [], message = 'm') => JSON.stringify({ error: { code, status, message, details } });

  it('maps each kind of answer to what happens to the account', () => {
    expect(classify('openai', 429, openai('rate_limit_exceeded', 'requests'), { 'retry-after': '3' })).toEqual({ action: 'cool', kind: 'rate-limited', reason: 'rate limited (HTTP 429)', perModel: true, hintMs: 3_000 });
    expect(classify('openai', 500, openai(null, 'server_error'))).toMatchObject({ action: 'cool', kind: 'server-error', perModel: false });
    expect(classify('anthropic', 529, anthropic('overloaded_error'))).toMatchObject({ action: 'cool', kind: 'overloaded' });
    expect(classify('gemini', 503, gemini(503, 'UNAVAILABLE'))).toMatchObject({ action: 'cool', kind: 'overloaded' });
    expect(classify('openai', 401, openai('invalid_api_key'))).toEqual({ action: 'disable', kind: 'key-rejected', detail: 'upstream rejected the key (HTTP 401)' });
    expect(classify('gemini', 400, gemini(400, 'INVALID_ARGUMENT', [{ '@type': 'type.googleapis.com/google.rpc.ErrorInfo', reason: 'API_KEY_INVALID' }]))).toMatchObject({ action: 'disable', kind: 'key-rejected' });
    expect(classify('openai', 400, openai('context_length_exceeded'))).toEqual({ action: 'answer' });
    expect(classify('anthropic', 400, anthropic('invalid_request_error', 'prompt is too long: 3 tokens > 2 maximum'))).toEqual({ action: 'answer' });
    expect(classify('openai', 404, openai('model_not_found'))).toEqual({ action: 'answer' });
    expect(classify('openai', 422, 'unprocessable')).toEqual({ action: 'answer' });
  });

  it('disables an account whose quota is spent, by each provider’s code', () => {
    expect(classify('openai', 429, openai('insufficient_quota', 'insufficient_quota'))).toMatchObject({ action: 'disable', kind: 'quota-exhausted' });
    expect(classify('anthropic', 400, anthropic('billing_error', 'Your credit balance is too low'))).toMatchObject({ action: 'disable', kind: 'quota-exhausted' });
    const violation = (quotaId: string) => [{ '@type': 'type.googleapis.com/google.rpc.QuotaFailure', violations: [{ quotaMetric: 'generativelanguage.googleapis.com/generate_content_free_tier_requests', quotaId }] }];
    expect(classify('gemini', 429, gemini(429, 'RESOURCE_EXHAUSTED', violation('GenerateRequestsPerDayPerProjectPerModel-FreeTier')))).toMatchObject({ action: 'disable', kind: 'quota-exhausted' });
    expect(classify('gemini', 429, gemini(429, 'RESOURCE_EXHAUSTED', violation('GenerateRequestsPerMinutePerProjectPerModel-FreeTier')))).toMatchObject({ action: 'cool', kind: 'rate-limited' });
    expect(isQuotaExhausted('openai', 'not json')).toBe(false);
  });

  it('an error as a stream’s first event (HTTP 200) is judged by its kind', () => {
    expect(classifyUpstreamFailure('openai', 200, {}, '{}', proxyError('rate-limit', 'm'), NOW)).toMatchObject({ action: 'cool', kind: 'rate-limited', reason: 'rate limited (in its stream)' });
    expect(classifyUpstreamFailure('openai', 200, {}, '{}', proxyError('context-length', 'm'), NOW)).toEqual({ action: 'answer' });
  });

  it('names the timeout that ran out from undici’s error codes', () => {
    expect(classifyNetworkFailure({ code: 'UND_ERR_CONNECT_TIMEOUT' })).toMatchObject({ kind: 'timeout', setting: 'connect_timeout_s' });
    expect(classifyNetworkFailure({ code: 'UND_ERR_HEADERS_TIMEOUT' })).toMatchObject({ kind: 'timeout', setting: 'request_timeout_s' });
    expect(classifyNetworkFailure({ code: 'UND_ERR_BODY_TIMEOUT' })).toMatchObject({ kind: 'timeout', setting: 'stream_idle_timeout_s' });
    expect(classifyNetworkFailure(Object.assign(new Error('x'), { code: 'ECONNRESET' }))).toEqual({ kind: 'network-error', code: 'ECONNRESET' });
  });
});

describe('peekFirstEvent', () => {
  it('holds back no more than 64 KB waiting for a first event', async () => {
    // Comments only (some servers send keep-alive comments first): no event ever completes.
    const filler = Buffer.from(`: ${'x'.repeat(1022)}\n`);
    const body = Readable.from(Array.from({ length: 200 }, () => filler), { objectMode: false });
    const result = await peekFirstEvent(body, 'openai', 60_000);
    expect(result.kind).toBe('ready');
    if (result.kind !== 'ready') throw new Error('unreachable');
    const held = result.head.reduce((sum, chunk) => sum + chunk.length, 0);
    expect(held).toBeGreaterThanOrEqual(PEEK_MAX_BYTES);
    expect(held).toBeLessThan(PEEK_MAX_BYTES + filler.length + 1);
    expect(result.ended).toBe(false);
    body.destroy();
  });

  it('skips Anthropic’s preamble and reports an error event with its data', async () => {
    const body = Readable.from([
      Buffer.from('event: message_start\ndata: {"type":"message_start","message":{}}\n\nevent: ping\ndata: {"type":"ping"}\n\n'),
      Buffer.from('event: error\ndata: {"type":"error","error":{"type":"overloaded_error","message":"Overloaded"}}\n\n'),
    ]);
    const result = await peekFirstEvent(body, 'anthropic', 60_000);
    expect(result).toMatchObject({ kind: 'error-event', error: { kind: 'overloaded', status: 529 }, head: [expect.any(Buffer), expect.any(Buffer)] });
  });
});
