import { describe, expect, it } from 'vitest';
import { backoffMs, cooldownMs, cooldownHintMs, parseOpenAIResetDuration, parseRetryAfter } from './cooldown.js';

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

  it('backs off by kind, from the table', () => {
    const series = (kind: Parameters<typeof backoffMs>[0]) => [1, 2, 3, 4, 30].map((streak) => backoffMs(kind, streak));
    expect(series('rate-limited')).toEqual([1_000, 2_000, 4_000, 8_000, 5 * 60_000]);
    expect(series('overloaded')).toEqual([1_000, 2_000, 4_000, 8_000, 30_000]);
    expect(series('server-error')).toEqual([2_000, 4_000, 8_000, 16_000, 5 * 60_000]);
    expect(series('network-error')).toEqual([2_000, 4_000, 8_000, 16_000, 2 * 60_000]);
    expect(series('timeout')).toEqual([2_000, 4_000, 8_000, 16_000, 2 * 60_000]);
  });

  it('takes the upstream hint for answers that carry one, never for network failures', () => {
    expect(cooldownMs('rate-limited', 5, 42_000)).toBe(42_000);
    expect(cooldownMs('overloaded', 1, 90_000)).toBe(90_000);
    expect(cooldownMs('server-error', 1, 7_000)).toBe(7_000);
    expect(cooldownMs('network-error', 1, 42_000)).toBe(2_000);
    expect(cooldownMs('timeout', 2, 42_000)).toBe(4_000);
    expect(cooldownMs('rate-limited', 3)).toBe(4_000);
    expect(cooldownMs('rate-limited', 1, 30 * 24 * 3600_000)).toBe(24 * 3600_000);
    expect(cooldownMs('rate-limited', 1, -5)).toBe(0);
    expect(cooldownMs('rate-limited', 2, Number.NaN)).toBe(2_000);
  });
});
