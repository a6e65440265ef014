import type { CoolingKind } from '../../shared/accounts.js';

/** What went wrong with one attempt, as the pool records it. */
export type FailureKind = CoolingKind;

/** How one kind of failure rests an account: exponential backoff `baseMs * factor^(streak-1)`, capped. */
export interface CooldownRule {
  baseMs: number;
  factor: number;
  maxMs: number;
  /** Whether the upstream's own hint (`Retry-After`, rate-limit reset headers) sets the rest instead. */
  honoursHint: boolean;
}

/**
 * How long an account rests after a failure, as data (compare undici's RetryHandler): per kind, an
 * upstream's own hint wins where the kind allows it; otherwise exponential backoff from a base,
 * capped. The streak counts failures since the last success.
 *
 *   kind            hint    backoff (streak 1, 2, 3 …)     cap
 *   rate-limited    yes     1 s, 2 s, 4 s …                 5 min
 *   overloaded      yes     1 s, 2 s, 4 s …                 30 s    (529, 503: the upstream is busy, not us)
 *   server-error    yes     2 s, 4 s, 8 s …                 5 min
 *   network-error   —       2 s, 4 s, 8 s …                 2 min
 *   timeout         —       2 s, 4 s, 8 s …                 2 min
 *   quota-exhausted yes     1 min, 2 min, 4 min …           1 h     (a spent balance or daily quota:
 *                                                                    back by itself at the reset)
 *   forbidden       —       1 min, 2 min, 4 min …           1 h     (no access to the model, a region)
 */
export const COOLDOWN_RULES: Readonly<Record<FailureKind, CooldownRule>> = {
  'rate-limited': { baseMs: 1_000, factor: 2, maxMs: 5 * 60_000, honoursHint: true },
  overloaded: { baseMs: 1_000, factor: 2, maxMs: 30_000, honoursHint: true },
  'server-error': { baseMs: 2_000, factor: 2, maxMs: 5 * 60_000, honoursHint: true },
  'network-error': { baseMs: 2_000, factor: 2, maxMs: 2 * 60_000, honoursHint: false },
  timeout: { baseMs: 2_000, factor: 2, maxMs: 2 * 60_000, honoursHint: false },
  'quota-exhausted': { baseMs: 60_000, factor: 2, maxMs: 60 * 60_000, honoursHint: true },
  forbidden: { baseMs: 60_000, factor: 2, maxMs: 60 * 60_000, honoursHint: false },
};

export const COOLDOWN_POLICY = {
  /** A server may ask for a long rest (daily quotas); we honour up to a day. */
  maxHintMs: 24 * 60 * 60_000,
} as const;

/** The backoff for the `failureStreak`-th failure in a row (1 = the first). */
export function backoffMs(kind: FailureKind, failureStreak: number): number {
  const rule = COOLDOWN_RULES[kind];
  const exponent = Math.max(0, failureStreak - 1);
  return Math.min(rule.baseMs * rule.factor ** exponent, rule.maxMs);
}

/** How long to rest: the upstream's hint when the kind honours one (capped at a day), else the backoff. */
export function cooldownMs(kind: FailureKind, failureStreak: number, hintMs?: number): number {
  if (hintMs !== undefined && Number.isFinite(hintMs) && COOLDOWN_RULES[kind].honoursHint) {
    return Math.min(Math.max(0, hintMs), COOLDOWN_POLICY.maxHintMs);
  }
  return backoffMs(kind, failureStreak);
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

/** A header's (first) value. */
export function headerValue(headers: Record<string, string | string[] | undefined>, name: string): string | undefined {
  const value = headers[name];
  return Array.isArray(value) ? value[0] : value;
}

/** `Retry-After` (seconds or a date), else `retry-after-ms`, capped at a day; undefined when neither is there. */
export function retryAfterHintMs(headers: Record<string, string | string[] | undefined>, now: number): number | undefined {
  const first = (name: string): string | undefined => headerValue(headers, name);
  const retryAfter = parseRetryAfter(first('retry-after'), now);
  if (retryAfter !== undefined) return Math.min(retryAfter, COOLDOWN_POLICY.maxHintMs);
  const retryAfterMs = Number(first('retry-after-ms'));
  if (first('retry-after-ms') && Number.isFinite(retryAfterMs) && retryAfterMs >= 0) return Math.min(retryAfterMs, COOLDOWN_POLICY.maxHintMs);
  return undefined;
}

/** The longest rest an upstream asked for in its headers, capped; undefined when it gave none. */
export function cooldownHintMs(headers: Record<string, string | string[] | undefined>, now: number): number | undefined {
  const first = (name: string): string | undefined => headerValue(headers, name);
  const retryAfter = retryAfterHintMs(headers, now);
  if (retryAfter !== undefined) return retryAfter;
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
