import { Readable } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { decodeAnthropicError } from '../codecs/anthropic-messages/decode-error.js';
import { decodeGeminiError } from '../codecs/gemini/decode-error.js';
import { decodeOpenAIChatError } from '../codecs/openai-chat/decode-error.js';
import { proxyError } from '../core/proxy-error.js';
import { PEEK_MAX_BYTES, classifyStreamEvent, peekFirstEvent } from './peek-first-event.js';
import { anthropicResetHintMs, classifyNetworkFailure, classifyUpstreamFailure, upstreamFailureHint } from './upstream-failure.js';
import {
  ANTHROPIC_400_CREDIT,
  ANTHROPIC_400_USAGE_LIMIT,
  ANTHROPIC_401,
  ANTHROPIC_403,
  ANTHROPIC_404_MODEL,
  GEMINI_400_KEY_INVALID,
  GEMINI_400_LOCATION,
  GEMINI_403_LEAKED,
  GEMINI_403_NO_PERMISSION,
  GEMINI_403_SERVICE_DISABLED,
  GEMINI_403_SUSPENDED,
  GEMINI_404_MODEL,
  GEMINI_429_PER_DAY,
  GEMINI_429_PER_MINUTE,
  OPENAI_401,
  OPENAI_403_REGION,
  OPENAI_404_MODEL,
  OPENAI_429_QUOTA,
  geminiQuota,
} from '../../test/fakes/provider-errors.js';

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
  const classify = (family: 'openai' | 'anthropic' | 'gemini', status: number, body: string, headers = {}, model?: string) => {
    const decode = family === 'openai' ? decodeOpenAIChatError : family === 'anthropic' ? decodeAnthropicError : decodeGeminiError;
    return classifyUpstreamFailure(family, status, headers, body, decode(status, body), NOW, model);
  };
  const openai = (code: string | null, type = 'invalid_request_error') => JSON.stringify({ error: { message: 'm', type, param: null, code } });
  const anthropic = (type: string, message = 'm') => JSON.stringify({ type: 'error', error: { type, message } });
  const gemini = (code: number, status: string, details: object[] = [], message = 'm') => JSON.stringify({ error: { code, status, message, details } });

  it('maps each kind of answer to what happens to the account', () => {
    expect(classify('openai', 429, openai('rate_limit_exceeded', 'requests'), { 'retry-after': '3' })).toEqual({ action: 'cool', kind: 'rate-limited', reason: 'rate limited (HTTP 429)', perModel: true, hintMs: 3_000 });
    expect(classify('openai', 500, openai(null, 'server_error'))).toMatchObject({ action: 'cool', kind: 'server-error', perModel: false });
    expect(classify('anthropic', 529, anthropic('overloaded_error'))).toMatchObject({ action: 'cool', kind: 'overloaded' });
    expect(classify('gemini', 503, gemini(503, 'UNAVAILABLE'))).toMatchObject({ action: 'cool', kind: 'overloaded' });
    expect(classify('openai', 400, openai('context_length_exceeded'))).toEqual({ action: 'answer' });
    expect(classify('anthropic', 400, anthropic('invalid_request_error', 'prompt is too long: 3 tokens > 2 maximum'))).toEqual({ action: 'answer' });
    expect(classify('openai', 400, JSON.stringify({ error: { message: "Unsupported parameter: 'max_tokens' is not supported with this model. Use 'max_completion_tokens' instead.", type: 'invalid_request_error', param: 'max_tokens', code: 'unsupported_parameter' } }))).toEqual({ action: 'answer' });
    expect(classify('openai', 422, 'unprocessable')).toEqual({ action: 'answer' });
  });

  it('disables an account only for a rejected key: 401, or a 403 / 400 whose body names the key', () => {
    const rejected = { action: 'disable', reason: 'upstream rejected the key (HTTP 401)' };
    expect(classify('openai', 401, JSON.stringify(OPENAI_401))).toEqual(rejected);
    expect(classify('anthropic', 401, JSON.stringify(ANTHROPIC_401))).toEqual(rejected);
    expect(classify('gemini', 400, JSON.stringify(GEMINI_400_KEY_INVALID))).toEqual({ action: 'disable', reason: 'upstream rejected the key (HTTP 400)' });
    for (const body of [GEMINI_403_LEAKED, GEMINI_403_SUSPENDED, GEMINI_403_SERVICE_DISABLED]) {
      expect(classify('gemini', 403, JSON.stringify(body))).toEqual({ action: 'disable', reason: 'upstream rejected the key (HTTP 403)' });
    }
  });

  it('rests the model, not the account, for any other 403 (model access, region)', () => {
    const forbidden = (status: number) => ({ action: 'cool', kind: 'forbidden', reason: `no access (HTTP ${status})`, perModel: true });
    expect(classify('anthropic', 403, JSON.stringify(ANTHROPIC_403))).toEqual(forbidden(403));
    expect(classify('openai', 403, JSON.stringify(OPENAI_403_REGION))).toEqual(forbidden(403));
    expect(classify('gemini', 403, JSON.stringify(GEMINI_403_NO_PERMISSION))).toEqual(forbidden(403));
    // Gemini refuses a region as 400 FAILED_PRECONDITION.
    expect(classify('gemini', 400, JSON.stringify(GEMINI_400_LOCATION))).toEqual(forbidden(400));
  });

  it('recognises "model not found": any 404, or a 400 naming the model', () => {
    const unserved = (status: number) => ({ action: 'model-unserved', reason: `model not found (HTTP ${status})` });
    expect(classify('openai', 404, JSON.stringify(OPENAI_404_MODEL))).toEqual(unserved(404));
    expect(classify('anthropic', 404, JSON.stringify(ANTHROPIC_404_MODEL))).toEqual(unserved(404));
    expect(classify('gemini', 404, JSON.stringify(GEMINI_404_MODEL))).toEqual(unserved(404));
    const unavailable = JSON.stringify({ error: { code: 'unavailable_model', message: 'Unavailable model: gpt-5', details: 'Unavailable model: gpt-5' } });
    expect(classify('openai', 400, unavailable, {}, 'gpt-5')).toEqual(unserved(400));
    const named = JSON.stringify({ error: { message: 'The requested model gpt-5 does not exist.', type: 'invalid_request_error', param: null, code: null } });
    expect(classify('openai', 400, named, {}, 'gpt-5')).toEqual(unserved(400));
    expect(classify('openai', 400, named, {}, 'gpt-4o')).toEqual({ action: 'answer' });
  });

  it('rests an account (or the model) whose quota is spent until the provider’s reset, by each provider’s code', () => {
    expect(classify('openai', 429, JSON.stringify(OPENAI_429_QUOTA))).toEqual({ action: 'cool', kind: 'quota-exhausted', reason: 'quota exhausted (HTTP 429)', perModel: false });
    // Rate-window headers say nothing about a spent balance.
    expect(classify('openai', 429, JSON.stringify(OPENAI_429_QUOTA), { 'x-ratelimit-remaining-requests': '4999', 'x-ratelimit-reset-requests': '12ms' })).not.toHaveProperty('hintMs');
    expect(classify('anthropic', 400, JSON.stringify(ANTHROPIC_400_CREDIT))).toEqual({ action: 'cool', kind: 'quota-exhausted', reason: 'quota exhausted (HTTP 400)', perModel: false });
    expect(classify('anthropic', 400, anthropic('billing_error', 'Billing error'))).toMatchObject({ kind: 'quota-exhausted', perModel: false });
    const regain = classify('anthropic', 400, JSON.stringify(ANTHROPIC_400_USAGE_LIMIT));
    expect(regain).toMatchObject({ kind: 'quota-exhausted', perModel: false, hintMs: Date.parse('2025-06-02T00:00:00Z') - NOW });
    // Gemini: a per-day quota per model rests that model until RetryInfo says.
    expect(classify('gemini', 429, JSON.stringify(GEMINI_429_PER_DAY))).toEqual({ action: 'cool', kind: 'quota-exhausted', reason: 'quota exhausted (HTTP 429)', perModel: true, hintMs: 37_000 });
    const projectWide = geminiQuota([{ quotaMetric: 'generativelanguage.googleapis.com/generate_requests_per_day', quotaId: 'GenerateRequestsPerDayPerProject' }]);
    expect(classify('gemini', 429, JSON.stringify(projectWide))).toMatchObject({ kind: 'quota-exhausted', perModel: false });
    // A per-minute quota is a rate limit.
    expect(classify('gemini', 429, JSON.stringify(GEMINI_429_PER_MINUTE))).toEqual({ action: 'cool', kind: 'rate-limited', reason: 'rate limited (HTTP 429)', perModel: true, hintMs: 26_000 });
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

  it('stops at the first event, a preamble included (the relay fails over after it), and reports an error first event with its data', async () => {
    const preamble = await peekFirstEvent(
      Readable.from([Buffer.from('event: message_start\ndata: {"type":"message_start","message":{}}\n\n'), Buffer.from('event: ping\ndata: {"type":"ping"}\n\n')]),
      'anthropic',
      60_000,
    );
    expect(preamble).toMatchObject({ kind: 'ready', head: [expect.any(Buffer)] });
    const body = Readable.from([Buffer.from('event: error\ndata: {"type":"error","error":{"type":"overloaded_error","message":"Overloaded"}}\n\n')]);
    const result = await peekFirstEvent(body, 'anthropic', 60_000);
    expect(result).toMatchObject({ kind: 'error-event', error: { kind: 'overloaded', status: 529 }, head: [expect.any(Buffer)] });
  });
});

describe('classifyStreamEvent', () => {
  const chat = (delta: object, finish: string | null = null) => ({ event: undefined, data: JSON.stringify({ id: 'c', object: 'chat.completion.chunk', choices: [{ index: 0, delta, finish_reason: finish }] }) });
  it('names the preamble each family opens with, and nothing else', () => {
    expect(classifyStreamEvent('anthropic', { event: 'message_start', data: '{"type":"message_start","message":{}}' })).toBe('preamble');
    expect(classifyStreamEvent('anthropic', { event: 'ping', data: '{"type":"ping"}' })).toBe('preamble');
    expect(classifyStreamEvent('anthropic', { event: 'content_block_start', data: '{"type":"content_block_start","index":0,"content_block":{"type":"text","text":""}}' })).toBe('content');
    expect(classifyStreamEvent('openai', chat({ role: 'assistant', content: '', refusal: null }))).toBe('preamble');
    expect(classifyStreamEvent('openai', { event: undefined, data: '{"id":"c","choices":[],"usage":{"prompt_tokens":1}}' })).toBe('preamble');
    expect(classifyStreamEvent('openai', chat({ content: 'Hi' }))).toBe('content');
    expect(classifyStreamEvent('openai', chat({ role: 'assistant', tool_calls: [{ index: 0, id: 'call_1', function: { name: 'f', arguments: '' } }] }))).toBe('content');
    expect(classifyStreamEvent('openai', chat({}, 'stop'))).toBe('content');
    expect(classifyStreamEvent('openai', { event: undefined, data: '[DONE]' })).toBe('content');
    expect(classifyStreamEvent('gemini', { event: undefined, data: '{"candidates":[{"content":{"parts":[{"text":"Hi"}]}}]}' })).toBe('content');
    expect(classifyStreamEvent('openai', { event: undefined, data: '{"error":{"message":"boom","type":"server_error"}}' })).toMatchObject({ error: { kind: 'upstream' } });
  });
});
