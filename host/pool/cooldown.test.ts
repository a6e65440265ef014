import { describe, expect, it } from 'vitest';
import { backoffMs, cooldownHintMs, parseOpenAIResetDuration, parseRetryAfter } from './cooldown.js';

describe('cooldown hints', () => {
  const now = Date.parse('2026-11-26T10:00:00Z');

  it('reads Retry-After as seconds or an HTTP date', () => {
    expect(parseRetryAfter('30', now)).toBe(30_000);
    expect(parseRetryAfter('1.5', now)).toBe(1_500);
    expect(parseRetryAfter('Thu, 26 Nov 2026 10:01:00 GMT', now)).toBe(60_000);
    expect(parseRetryAfter('soon', now)).toBeUndefined();
    expect(parseRetryAfter(undefined, now)).toBeUndefined();
  });

  it("reads OpenAI's reset durations", () => {
    expect(parseOpenAIResetDuration('12ms')).toBe(12);
    expect(parseOpenAIResetDuration('1s')).toBe(1_000);
    expect(parseOpenAIResetDuration('6m0s')).toBe(360_000);
    expect(parseOpenAIResetDuration('1h2m3.5s')).toBe(3_723_500);
    expect(parseOpenAIResetDuration('')).toBeUndefined();
  });

  it('prefers Retry-After, then the exhausted window’s reset', () => {
    expect(cooldownHintMs({ 'retry-after': '7', 'x-ratelimit-reset-requests': '1m0s' }, now)).toBe(7_000);
    expect(
      cooldownHintMs({ 'x-ratelimit-remaining-requests': '10', 'x-ratelimit-reset-requests': '2s', 'x-ratelimit-remaining-tokens': '0', 'x-ratelimit-reset-tokens': '45s' }, now),
    ).toBe(45_000);
    expect(cooldownHintMs({ 'x-ratelimit-reset-requests': '2s', 'x-ratelimit-reset-tokens': '5s' }, now)).toBe(5_000);
    expect(cooldownHintMs({}, now)).toBeUndefined();
  });

  it('caps a hint at one day', () => {
    expect(cooldownHintMs({ 'retry-after': String(10 * 24 * 3600) }, now)).toBe(24 * 3600_000);
  });

  it('backs off exponentially without a hint, capped', () => {
    expect([1, 2, 3, 4].map((streak) => backoffMs('rate-limited', streak))).toEqual([1_000, 2_000, 4_000, 8_000]);
    expect(backoffMs('server-error', 30)).toBe(5 * 60_000);
  });
});
