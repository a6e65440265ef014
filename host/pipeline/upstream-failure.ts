import type { UpstreamFamily } from '../codecs/codec-types.js';
import { COOLDOWN_POLICY, cooldownHintMs, headerValue, retryAfterHintMs } from '../pool/cooldown.js';
import type { FailureKind } from '../pool/cooldown.js';
import type { ProxyError } from '../core/proxy-error.js';
import { TIMEOUT_CODES } from '../providers/upstream-client.js';

type Headers = Record<string, string | string[] | undefined>;

/**
 * What one failed attempt means for the account and for the request, as a table (compare
 * undici's RetryHandler: statuses and error codes in, a decision out; the message text only where
 * a provider gives nothing else):
 *
 *   upstream said                                         account                              request
 *   401; a 403 or 400 naming the key (Gemini ErrorInfo    disabled key-rejected, until the     next account
 *     API_KEY_* / CONSUMER_SUSPENDED / SERVICE_DISABLED,   user acts
 *     "Your API key was reported as leaked")
 *   quota spent (OpenAI insufficient_quota, Gemini        rests (quota-exhausted) until the    next account
 *     RESOURCE_EXHAUSTED …PerDay…, Anthropic billing /     provider's reset, else 1 min … 1 h;
 *     "credit balance is too low" / "API usage limits")    per model when the quota is
 *   429 / rate-limit                                      rests for the model, hint            next account
 *   any other 403 (model access), Gemini 400              rests (forbidden) for the model      next account
 *     FAILED_PRECONDITION (region)
 *   model not found: 404, or a 400 naming the model       left out for the model a while       next account
 *                                                          (only without a `models` list;       (the 404 only when no
 *                                                          with one, answered as is)            account serves it)
 *   529, 503 / overloaded                                 rests (overloaded), hint             next account
 *   408, 409, other 5xx                                   rests (server-error), hint           next account
 *   connection refused, reset, DNS, TLS                   rests (network-error)                next account
 *   connect / first-byte / idle timeout                   rests (timeout)                      next account
 *   context length, any other 4xx                         untouched                            answered as is
 */
export type FailureVerdict =
  | { action: 'cool'; kind: FailureKind; reason: string; hintMs?: number; perModel: boolean }
  /** The key itself is refused: only the user can fix it. */
  | { action: 'disable'; reason: string }
  /** The account does not serve the requested model. */
  | { action: 'model-unserved'; reason: string }
  | { action: 'answer' };

/**
 * Classifies an upstream's error answer: `error` is the family's `decodeError(status, body)` (or
 * the decoded first event of a stream), `bodyText` the raw error body (codes the decoders do not
 * keep), `model` the model asked of the upstream (to recognise a 400 that names it).
 */
export function classifyUpstreamFailure(
  family: UpstreamFamily,
  status: number,
  headers: Headers,
  bodyText: string,
  error: ProxyError,
  now: number,
  model?: string,
): FailureVerdict {
  const where = status >= 200 && status < 300 ? 'in its stream' : `HTTP ${status}`;
  const body = errorObjectOf(bodyText);
  if (isKeyRejected(status, error, body)) return { action: 'disable', reason: `upstream rejected the key (${where})` };
  const quota = quotaExhaustion(family, body, now);
  if (quota) {
    // Rate-window headers (x-ratelimit-*, anthropic-ratelimit-*) describe a per-minute window,
    // not a spent quota: only an explicit Retry-After, the body's RetryInfo or stated date count.
    const hintMs = retryAfterHintMs(headers, now) ?? error.retryAfterMs ?? quota.resetMs;
    return { action: 'cool', kind: 'quota-exhausted', reason: `quota exhausted (${where})`, perModel: quota.perModel, ...hintOf(hintMs) };
  }
  const hint = hintOf(upstreamFailureHint(family, headers, error, now));
  if (status === 429 || error.kind === 'rate-limit') {
    // All three families limit per model: another model on the same account may still be served.
    return { action: 'cool', kind: 'rate-limited', reason: `rate limited (${where})`, perModel: true, ...hint };
  }
  if (status === 403 || error.kind === 'permission') {
    // Not the key (that was checked above): this model, or this region, is not open to the account.
    return { action: 'cool', kind: 'forbidden', reason: `no access (${where})`, perModel: true };
  }
  if (status === 404 || error.kind === 'not-found' || (status === 400 && namesMissingModel(body, model))) {
    return { action: 'model-unserved', reason: `model not found (${where})` };
  }
  if (status === 529 || status === 503 || error.kind === 'overloaded') {
    return { action: 'cool', kind: 'overloaded', reason: `upstream overloaded (${where})`, perModel: false, ...hint };
  }
  if (status === 408 || status === 409 || status >= 500 || error.kind === 'upstream' || error.kind === 'timeout' || error.kind === 'internal') {
    return { action: 'cool', kind: 'server-error', reason: `upstream error (${where})`, perModel: false, ...hint };
  }
  return { action: 'answer' };
}

/** The verdict's `hintMs`, capped at a day (absent when the upstream gave none). */
function hintOf(hintMs: number | undefined): { hintMs?: number } {
  return hintMs === undefined ? {} : { hintMs: Math.min(Math.max(0, hintMs), COOLDOWN_POLICY.maxHintMs) };
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
  const first = (name: string): string | undefined => headerValue(headers, name);
  const windows = ANTHROPIC_WINDOWS.map((window) => ({
    exhausted: first(`anthropic-ratelimit-${window}-remaining`) === '0',
    reset: Date.parse(first(`anthropic-ratelimit-${window}-reset`) ?? ''),
  })).filter((w) => Number.isFinite(w.reset));
  if (windows.length === 0) return undefined;
  const relevant = windows.some((w) => w.exhausted) ? windows.filter((w) => w.exhausted) : windows;
  return Math.max(0, Math.max(...relevant.map((w) => w.reset)) - now);
}

/** Google's ErrorInfo reasons that mean the key (or its project) is refused until someone acts. */
const GEMINI_KEY_REASONS = new Set([
  'API_KEY_INVALID',
  'API_KEY_EXPIRED',
  'API_KEY_SERVICE_BLOCKED',
  'API_KEY_HTTP_REFERRER_BLOCKED',
  'API_KEY_IP_ADDRESS_BLOCKED',
  'API_KEY_ANDROID_APP_BLOCKED',
  'API_KEY_IOS_APP_BLOCKED',
  'CONSUMER_SUSPENDED',
  'SERVICE_DISABLED',
]);

/** "API key not valid", "Your API key was reported as leaked", "Incorrect API key provided", "invalid x-api-key". */
const KEY_REFUSED_TEXT = /\bapi[ _-]?key\b[^.]*\b(not valid|invalid|expired|revoked|leaked|suspended)\b|\b(invalid|incorrect)\b[^.]*\bapi[ _-]?key\b/i;

/**
 * The key is refused: 401, the decoder's `authentication` (Gemini's API_KEY_INVALID comes as a
 * 400), or a 403 whose body names the key — by Google's ErrorInfo reason, an `authentication_error`
 * / `invalid_api_key` code, or (Gemini's leaked-key 403 has no detail) its message. A 403 about
 * anything else (Anthropic's permission_error, OpenAI's unsupported region) is not about the key.
 */
function isKeyRejected(status: number, error: ProxyError, body: ErrorObject | undefined): boolean {
  if (status === 401 || error.kind === 'authentication') return true;
  if (status !== 403 || !body) return false;
  if (reasonsOf(body).some((reason) => GEMINI_KEY_REASONS.has(reason))) return true;
  if (body['type'] === 'authentication_error' || body['code'] === 'invalid_api_key') return true;
  return typeof body['message'] === 'string' && KEY_REFUSED_TEXT.test(body['message']);
}

/**
 * A spent balance or quota, which no retry fixes before the provider's reset. By code, per family:
 * - OpenAI: `error.code` (or `type`) `insufficient_quota`;
 * - Gemini: RESOURCE_EXHAUSTED with a QuotaFailure violation naming a per-day quota
 *   (`GenerateRequestsPerDayPerProjectPerModel-FreeTier`), per model when the violation has a
 *   `model` dimension or its id says `PerModel`;
 * - Anthropic: `billing_error`, or (the API sends these as invalid_request_error, no code of their
 *   own) "Your credit balance is too low…" and "You have reached your specified API usage limits.
 *   You will regain access on 2026-04-01 at 00:00 UTC." — whose date is the reset.
 */
export function quotaExhaustion(family: UpstreamFamily, body: ErrorObject | undefined, now: number): { perModel: boolean; resetMs?: number } | undefined {
  if (!body) return undefined;
  const message = typeof body['message'] === 'string' ? body['message'] : '';
  switch (family) {
    case 'openai':
      return body['code'] === 'insufficient_quota' || body['type'] === 'insufficient_quota' ? { perModel: false } : undefined;
    case 'anthropic': {
      if (body['type'] === 'billing_error' || /credit balance is too low/i.test(message)) return { perModel: false };
      if (!/reached your specified API usage limits/i.test(message)) return undefined;
      const regain = /regain access on (\d{4}-\d{2}-\d{2}) at (\d{2}:\d{2}) UTC/i.exec(message);
      const at = regain ? Date.parse(`${regain[1]}T${regain[2]}:00Z`) : NaN;
      return Number.isFinite(at) ? { perModel: false, resetMs: Math.max(0, at - now) } : { perModel: false };
    }
    case 'gemini': {
      if (body['status'] !== 'RESOURCE_EXHAUSTED') return undefined;
      const daily = detailsOf(body)
        .flatMap((detail) => (Array.isArray(detail['violations']) ? detail['violations'].filter(isRecord) : []))
        .filter((violation) => [violation['quotaId'], violation['quotaMetric']].some((name) => typeof name === 'string' && /PerDay|per_day/i.test(name)));
      if (daily.length === 0) return undefined;
      const perModel = daily.every(
        (violation) => (isRecord(violation['quotaDimensions']) && typeof violation['quotaDimensions']['model'] === 'string') || /PerModel|per_model/i.test(String(violation['quotaId'] ?? violation['quotaMetric'])),
      );
      return { perModel };
    }
  }
}

/** Codes by which OpenAI-compatible servers say a model does not exist. */
const MODEL_NOT_FOUND_CODES = new Set(['model_not_found', 'unavailable_model', 'invalid_model']);

/**
 * A 400 that is about the model rather than the request: a model-not-found code, `param: "model"`,
 * or a message naming the model as missing ("Unavailable model: gpt-5").
 */
function namesMissingModel(body: ErrorObject | undefined, model: string | undefined): boolean {
  if (!body) return false;
  if (MODEL_NOT_FOUND_CODES.has(String(body['code'])) || body['param'] === 'model') return true;
  const message = typeof body['message'] === 'string' ? body['message'] : '';
  return model !== undefined && message.includes(model) && /not found|does not exist|unavailable|not supported|unknown model|invalid model/i.test(message);
}

type ErrorObject = Record<string, unknown>;

/** The `error` object of any family's error body (Gemini's may come wrapped in an array). */
function errorObjectOf(bodyText: string): ErrorObject | undefined {
  if (!bodyText) return undefined;
  let body: unknown;
  try {
    body = JSON.parse(bodyText);
  } catch {
    return undefined;
  }
  if (Array.isArray(body)) body = body[0];
  return isRecord(body) && isRecord(body['error']) ? body['error'] : undefined;
}

function detailsOf(body: ErrorObject): Record<string, unknown>[] {
  return Array.isArray(body['details']) ? body['details'].filter(isRecord) : [];
}

/** Google's ErrorInfo reasons in the body's details. */
function reasonsOf(body: ErrorObject): string[] {
  return detailsOf(body)
    .map((detail) => detail['reason'])
    .filter((reason): reason is string => typeof reason === 'string');
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
