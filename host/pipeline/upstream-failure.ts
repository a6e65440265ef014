import type { UpstreamFamily } from '../codecs/codec-types.js';
import { COOLDOWN_POLICY, cooldownHintMs } from '../pool/cooldown.js';
import type { FailureKind } from '../pool/cooldown.js';
import type { ProxyError } from '../core/proxy-error.js';
import { TIMEOUT_CODES } from '../providers/upstream-client.js';

type Headers = Record<string, string | string[] | undefined>;

/**
 * What one failed attempt means for the account and for the request, as a table (compare
 * undici's RetryHandler: statuses and error codes in, a decision out; never the message text,
 * except where a provider gives nothing else):
 *
 *   upstream said                                        account                    request
 *   quota spent (OpenAI insufficient_quota, Gemini       disabled quota-exhausted   next account
 *     RESOURCE_EXHAUSTED …PerDay…, Anthropic billing)
 *   401, 403, or a rejected key (Gemini API_KEY_INVALID) disabled key-rejected      next account
 *   429 / rate-limit                                     rests for the model, hint  next account
 *   529, 503 / overloaded                                rests (overloaded), hint   next account
 *   408, 409, other 5xx                                  rests (server-error), hint next account
 *   connection refused, reset, DNS, TLS                  rests (network-error)      next account
 *   connect / first-byte / idle timeout                  rests (timeout)            next account
 *   context length, any other 4xx                        untouched                  answered as is
 */
export type FailureVerdict =
  | { action: 'cool'; kind: FailureKind; reason: string; hintMs?: number; perModel: boolean }
  | { action: 'disable'; kind: 'key-rejected' | 'quota-exhausted'; detail: string }
  | { action: 'answer' };

/**
 * Classifies an upstream's error answer: `error` is the family's `decodeError(status, body)` (or
 * the decoded first event of a stream), `bodyText` the raw error body for the quota checks.
 */
export function classifyUpstreamFailure(
  family: UpstreamFamily,
  status: number,
  headers: Headers,
  bodyText: string,
  error: ProxyError,
  now: number,
): FailureVerdict {
  const where = status >= 200 && status < 300 ? 'in its stream' : `HTTP ${status}`;
  if (isQuotaExhausted(family, bodyText)) return { action: 'disable', kind: 'quota-exhausted', detail: `quota exhausted (${where})` };
  if (status === 401 || status === 403 || error.kind === 'authentication') {
    return { action: 'disable', kind: 'key-rejected', detail: `upstream rejected the key (${where})` };
  }
  const hintMs = upstreamFailureHint(family, headers, error, now);
  const hint = hintMs === undefined ? {} : { hintMs };
  if (status === 429 || error.kind === 'rate-limit') {
    // All three families limit per model: another model on the same account may still be served.
    return { action: 'cool', kind: 'rate-limited', reason: `rate limited (${where})`, perModel: true, ...hint };
  }
  if (status === 529 || status === 503 || error.kind === 'overloaded') {
    return { action: 'cool', kind: 'overloaded', reason: `upstream overloaded (${where})`, perModel: false, ...hint };
  }
  if (status === 408 || status === 409 || status >= 500 || error.kind === 'upstream' || error.kind === 'timeout' || error.kind === 'internal') {
    return { action: 'cool', kind: 'server-error', reason: `upstream error (${where})`, perModel: false, ...hint };
  }
  return { action: 'answer' };
}

/** A request that never got an answer: which timeout ran out (a config key), or a network failure. */
export function classifyNetworkFailure(cause: unknown): { kind: 'timeout'; setting: string; code: string } | { kind: 'network-error'; code: string } {
  const code = errorCode(cause);
  const setting = (TIMEOUT_CODES as Record<string, string>)[code];
  return setting ? { kind: 'timeout', setting, code } : { kind: 'network-error', code };
}

export function errorCode(cause: unknown): string {
  const own = (cause as { code?: unknown } | undefined)?.code;
  if (typeof own === 'string') return own;
  const inner = (cause as { cause?: { code?: unknown } } | undefined)?.cause?.code;
  return typeof inner === 'string' ? inner : 'network error';
}

/**
 * When an account may be asked again, from everything the upstream said: `Retry-After` /
 * `retry-after-ms` and OpenAI's `x-ratelimit-reset-*` (cooldown.ts), then Anthropic's
 * `anthropic-ratelimit-*-reset` timestamps, then a hint decoded from the body (Gemini's
 * `RetryInfo.retryDelay`, as `error.retryAfterMs`). Capped at a day; undefined when none.
 */
export function upstreamFailureHint(family: UpstreamFamily, headers: Headers, error: ProxyError | undefined, now: number): number | undefined {
  const fromHeaders = cooldownHintMs(headers, now) ?? (family === 'anthropic' ? anthropicResetHintMs(headers, now) : undefined);
  const hint = fromHeaders ?? error?.retryAfterMs;
  return hint === undefined ? undefined : Math.min(Math.max(0, hint), COOLDOWN_POLICY.maxHintMs);
}

const ANTHROPIC_WINDOWS = ['requests', 'tokens', 'input-tokens', 'output-tokens'] as const;

/**
 * Anthropic's `anthropic-ratelimit-{requests,tokens,input-tokens,output-tokens}-reset` (RFC 3339):
 * the exhausted windows (`-remaining: 0`) are the ones to wait for; without one marked, the
 * latest reset.
 * @see https://docs.anthropic.com/en/api/rate-limits#response-headers
 */
export function anthropicResetHintMs(headers: Headers, now: number): number | undefined {
  const first = (name: string): string | undefined => {
    const value = headers[name];
    return Array.isArray(value) ? value[0] : value;
  };
  const windows = ANTHROPIC_WINDOWS.map((window) => ({
    exhausted: first(`anthropic-ratelimit-${window}-remaining`) === '0',
    reset: Date.parse(first(`anthropic-ratelimit-${window}-reset`) ?? ''),
  })).filter((w) => Number.isFinite(w.reset));
  if (windows.length === 0) return undefined;
  const relevant = windows.some((w) => w.exhausted) ? windows.filter((w) => w.exhausted) : windows;
  return Math.max(0, Math.max(...relevant.map((w) => w.reset)) - now);
}

/**
 * A spent balance or a daily quota: no retry will help for hours, so the account is disabled
 * rather than cooled. By code, per family:
 * - OpenAI: `error.code` (or `type`) `insufficient_quota`;
 * - Gemini: RESOURCE_EXHAUSTED with a QuotaFailure violation whose quotaId/quotaMetric names a
 *   per-day quota (`…PerDay…`);
 * - Anthropic: `error.type` `billing_error`.
 */
export function isQuotaExhausted(family: UpstreamFamily, bodyText: string): boolean {
  if (!bodyText) return false;
  let body: unknown;
  try {
    body = JSON.parse(bodyText);
  } catch {
    return false;
  }
  if (Array.isArray(body)) body = body[0];
  const error = isRecord(body) && isRecord(body['error']) ? body['error'] : undefined;
  if (!error) return false;
  switch (family) {
    case 'openai':
      return error['code'] === 'insufficient_quota' || error['type'] === 'insufficient_quota';
    case 'anthropic':
      return error['type'] === 'billing_error';
    case 'gemini': {
      if (error['status'] !== 'RESOURCE_EXHAUSTED' || !Array.isArray(error['details'])) return false;
      return error['details'].some(
        (detail) =>
          isRecord(detail) &&
          Array.isArray(detail['violations']) &&
          detail['violations'].some(
            (violation) => isRecord(violation) && [violation['quotaId'], violation['quotaMetric']].some((name) => typeof name === 'string' && /PerDay/i.test(name)),
          ),
      );
    }
  }
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
