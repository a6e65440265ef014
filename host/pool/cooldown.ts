/**
 * How long an account rests after a failure, as data (compare undici's RetryHandler): an
 * upstream's own hint wins; otherwise exponential backoff from a per-kind base, capped.
 */
export const COOLDOWN_POLICY = {
  /** 429 without a usable hint: 1 s, 2 s, 4 s … */
  rateLimitedBaseMs: 1_000,
  /** 5xx / overloaded. */
  serverErrorBaseMs: 2_000,
  /** Connection refused, reset, DNS, TLS. */
  networkErrorBaseMs: 2_000,
  factor: 2,
  maxBackoffMs: 5 * 60_000,
  /** A server may ask for a long rest (daily quotas); we honour up to a day. */
  maxHintMs: 24 * 60 * 60_000,
} as const;

export type FailureKind = 'rate-limited' | 'server-error' | 'network-error';

export function backoffMs(kind: FailureKind, failureStreak: number): number {
  const base =
    kind === 'rate-limited'
      ? COOLDOWN_POLICY.rateLimitedBaseMs
      : kind === 'server-error'
        ? COOLDOWN_POLICY.serverErrorBaseMs
        : COOLDOWN_POLICY.networkErrorBaseMs;
  const exponent = Math.max(0, failureStreak - 1);
  return Math.min(base * COOLDOWN_POLICY.factor ** exponent, COOLDOWN_POLICY.maxBackoffMs);
}

/** `Retry-After`: delta-seconds or an HTTP date (RFC 9110 §10.2.3). */
export function parseRetryAfter(value: string | undefined, now: number): number | undefined {
  if (!value) return undefined;
  const trimmed = value.trim();
  if (/^\d+(\.\d+)?$/.test(trimmed)) return Math.round(Number(trimmed) * 1000);
  const date = Date.parse(trimmed);
  if (Number.isNaN(date)) return undefined;
  return Math.max(0, date - now);
}

/**
 * OpenAI's `x-ratelimit-reset-requests` / `-tokens` durations: "1s", "6m0s", "20ms", "1h2m3.5s".
 * @see https://platform.openai.com/docs/guides/rate-limits#rate-limits-in-headers
 */
export function parseOpenAIResetDuration(value: string | undefined): number | undefined {
  if (!value) return undefined;
  const pattern = /(\d+(?:\.\d+)?)(ms|h|m|s)/g;
  let total = 0;
  let matched = false;
  for (const match of value.matchAll(pattern)) {
    matched = true;
    const amount = Number(match[1]);
    const unit = match[2];
    total += unit === 'ms' ? amount : unit === 's' ? amount * 1000 : unit === 'm' ? amount * 60_000 : amount * 3_600_000;
  }
  return matched ? Math.round(total) : undefined;
}

/** The longest rest an upstream asked for in its headers, capped; undefined when it gave none. */
export function cooldownHintMs(headers: Record<string, string | string[] | undefined>, now: number): number | undefined {
  const first = (name: string): string | undefined => {
    const value = headers[name];
    return Array.isArray(value) ? value[0] : value;
  };
  const retryAfter = parseRetryAfter(first('retry-after'), now);
  if (retryAfter !== undefined) return Math.min(retryAfter, COOLDOWN_POLICY.maxHintMs);
  const retryAfterMs = Number(first('retry-after-ms'));
  if (first('retry-after-ms') && Number.isFinite(retryAfterMs) && retryAfterMs >= 0) {
    return Math.min(retryAfterMs, COOLDOWN_POLICY.maxHintMs);
  }
  // OpenAI's reset headers say when each window refills; the exhausted window is the one to wait for.
  const windows = (['requests', 'tokens'] as const)
    .map((window) => ({
      exhausted: first(`x-ratelimit-remaining-${window}`) === '0',
      resetMs: parseOpenAIResetDuration(first(`x-ratelimit-reset-${window}`)),
    }))
    .filter((w): w is { exhausted: boolean; resetMs: number } => w.resetMs !== undefined);
  if (windows.length === 0) return undefined;
  const relevant = windows.some((w) => w.exhausted) ? windows.filter((w) => w.exhausted) : windows;
  return Math.min(Math.max(...relevant.map((w) => w.resetMs)), COOLDOWN_POLICY.maxHintMs);
}
