import type { Account, Provider } from '../../shared/accounts.js';
import type { AccountPool } from '../pool/account-pool.js';
import { CodecError, type UpstreamFamily } from '../codecs/codec-types.js';
import { proxyError, kindForStatus, type ProxyError } from '../core/proxy-error.js';
import type { UpstreamResponse } from '../providers/upstream-client.js';
import { UPSTREAM_CODECS } from './codecs.js';
import type { PeekResult } from './peek-first-event.js';
import { classifyNetworkFailure, classifyUpstreamFailure, type FailureVerdict } from './upstream-failure.js';
import { FIRST_EVENT_TIMEOUT } from './peek-first-event.js';

/** How many accounts one request may try when the config says nothing (`max_attempts`). */
export const DEFAULT_MAX_ATTEMPTS = 3;

export type ForwardOutcome =
  /**
   * A 2xx from an upstream. `head` holds what was read of the body to see its first event (to be
   * written first); the rest is still unread in `response.body`. `ended`: nothing more will come.
   */
  | { kind: 'success'; account: Account; response: UpstreamResponse; attempts: number; head: Buffer[]; ended: boolean }
  /** The upstream refused the request itself (400, 404, 422, context length…): no other account can fix that. */
  | { kind: 'rejected'; account: Account; status: number; contentType: string; body: string }
  /** The proxy's own error: nothing served the request. */
  | { kind: 'error'; error: ProxyError };

/** The timeouts in force, in seconds, to name them in errors. */
export interface TimeoutSettings {
  connect_timeout_s: number;
  request_timeout_s: number;
  stream_idle_timeout_s: number;
}

export interface ForwardOptions {
  pool: AccountPool;
  /** The model as it goes upstream (after mapping). */
  model: string;
  /** Providers that can serve this request; undefined = any (the translation core bridges them). */
  providers: readonly Provider[] | undefined;
  signal: AbortSignal;
  /** Accounts tried at most (config `max_attempts`). */
  maxAttempts?: number;
  /** The conversation's key for sticky scheduling. */
  sessionKey?: string | undefined;
  timeouts: TimeoutSettings;
  send(account: Account): Promise<UpstreamResponse>;
  /**
   * For a 2xx: read the answer up to its first event before committing to it, so an error sent as
   * that first event can still fail over. `timeoutMs` is what is left of the first-byte timeout.
   * Absent (or undefined for this response) = commit at once.
   */
  peek?(account: Account, response: UpstreamResponse, timeoutMs: number): Promise<PeekResult> | undefined;
  now?: () => number;
}

const MAX_ERROR_BODY = 64 * 1024;

async function readErrorBody(response: UpstreamResponse): Promise<string> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of response.body) {
    const buffer = chunk as Buffer;
    if (size < MAX_ERROR_BODY) chunks.push(buffer);
    size += buffer.length;
  }
  return Buffer.concat(chunks).toString('utf8').slice(0, MAX_ERROR_BODY);
}

/**
 * Sends a request to the pool's accounts in turn until one answers 2xx with a real first event,
 * failing over only before anything reaches the client. Each failure is classified once
 * (upstream-failure.ts): transient ones rest the account (per model for 429s) for the upstream's
 * hint or a backoff, a rejected key or a spent quota disables it, a client error (context length,
 * 400/404/422) is answered as is. At most `maxAttempts` accounts are tried. Never sleeps: when
 * every account rests, the client learns when to come back.
 */
export async function forwardWithFailover(options: ForwardOptions): Promise<ForwardOutcome> {
  const { pool, model, signal } = options;
  const now = options.now ?? Date.now;
  const maxAttempts = options.maxAttempts ?? DEFAULT_MAX_ATTEMPTS;
  const tried = new Set<string>();
  let lastFailure: ProxyError | undefined;
  const clientGone = (): ForwardOutcome => ({ kind: 'error', error: proxyError('invalid-request', 'The client closed the request.', 499) });

  /** Applies a verdict to the account; returns the error the client gets if this was the last try. */
  const apply = (account: Account, verdict: Exclude<FailureVerdict, { action: 'answer' }>): void => {
    if (verdict.action === 'disable') pool.markDisabled(account.id, verdict.kind, verdict.detail);
    else pool.markFailure(account.id, verdict.kind, verdict.reason, verdict.hintMs, verdict.perModel ? model : undefined);
  };
  const networkFailure = (account: Account, cause: unknown): void => {
    const failure = classifyNetworkFailure(cause);
    if (failure.kind === 'timeout') {
      const setting = failure.code === FIRST_EVENT_TIMEOUT ? 'request_timeout_s' : failure.setting;
      pool.markFailure(account.id, 'timeout', `upstream timed out (${setting})`);
      lastFailure = proxyError('timeout', timeoutMessage(model, setting, options.timeouts));
    } else {
      pool.markFailure(account.id, 'network-error', `upstream unreachable (${failure.code})`);
      lastFailure = proxyError('upstream', `The upstream for model "${model}" could not be reached (${failure.code}).`);
    }
  };

  for (let attempt = 1; attempt <= maxAttempts; attempt++) {
    if (signal.aborted) return clientGone();
    const pick = pool.pick(model, tried, options.providers, { sessionKey: options.sessionKey });
    if (pick.kind === 'no-account-for-model') {
      return { kind: 'error', error: proxyError('not-found', `No account serves model "${model}". Add an account that serves it, or map the model to one that is served (model_mapping).`) };
    }
    if (pick.kind === 'unavailable') {
      return { kind: 'error', error: proxyError('overloaded', `Every account that serves model "${model}" is disabled: ${[...new Set(pick.reasons)].join('; ')}.`, 503) };
    }
    if (pick.kind === 'exhausted') {
      const retryAfterMs = Math.max(0, pick.retryAt - now());
      // After a failed attempt, the client learns what actually went wrong (and when to retry).
      if (lastFailure) return { kind: 'error', error: { ...lastFailure, retryAfterMs } };
      return {
        kind: 'error',
        error: proxyError('rate-limit', `All accounts for model "${model}" are rate-limited or cooling down; retry in ${Math.ceil(retryAfterMs / 1000)} s.`, 429, retryAfterMs),
      };
    }
    const account = pick.account;
    const family: UpstreamFamily = account.provider;
    tried.add(account.id);
    const started = now();
    let response: UpstreamResponse;
    try {
      response = await options.send(account);
    } catch (error) {
      // The client's request cannot be translated: no account can help, and it is not their fault.
      if (error instanceof CodecError) throw error;
      if (signal.aborted) return clientGone();
      networkFailure(account, error);
      continue;
    }
    const status = response.statusCode;
    const headers = response.headers as Record<string, string | string[] | undefined>;
    if (status >= 200 && status < 300) {
      const peeking = options.peek?.(account, response, options.timeouts.request_timeout_s * 1000 - (now() - started));
      const peeked: PeekResult = peeking ? await peeking : { kind: 'ready', head: [], ended: false };
      if (peeked.kind === 'failed') {
        response.body.destroy();
        if (signal.aborted) return clientGone();
        networkFailure(account, peeked.cause);
        continue;
      }
      if (peeked.kind === 'error-event') {
        // Headers of a 200 describe the window that let it through, not this error: hints come
        // from the event alone.
        const verdict = classifyUpstreamFailure(family, status, {}, peeked.bodyText, peeked.error, now());
        if (verdict.action !== 'answer') {
          response.body.destroy();
          apply(account, verdict);
          lastFailure = proxyError(peeked.error.kind, `The upstream for model "${model}" reported an error as its stream began (${peeked.error.kind}).`, peeked.error.status);
          continue;
        }
        // A client error sent in the stream: the upstream's own answer, relayed as is.
      }
      pool.markSuccess(account.id, model);
      return { kind: 'success', account, response, attempts: attempt, head: peeked.head, ended: peeked.ended };
    }
    let body: string;
    try {
      body = await readErrorBody(response);
    } catch (error) {
      if (signal.aborted) return clientGone();
      networkFailure(account, error);
      continue;
    }
    const decoded = UPSTREAM_CODECS[family].decodeError(status, body);
    const verdict = classifyUpstreamFailure(family, status, headers, body, decoded, now());
    if (verdict.action === 'answer') {
      const contentType = String(headers['content-type'] ?? 'application/json');
      return { kind: 'rejected', account, status, contentType, body };
    }
    apply(account, verdict);
    // The client sees the upstream's own status (its SDK retries 429/5xx by that), not its message,
    // which may name the upstream organisation.
    lastFailure =
      verdict.action === 'disable'
        ? proxyError('overloaded', `The upstream account for model "${model}" ${verdict.kind === 'key-rejected' ? 'rejected its key' : 'has used up its quota'}.`, 503)
        : proxyError(kindForStatus(status), `The upstream for model "${model}" answered HTTP ${status}.`, status);
  }
  const retry = pool.pick(model, new Set(), options.providers);
  const retryAfterMs = retry.kind === 'exhausted' ? Math.max(0, retry.retryAt - now()) : undefined;
  const failure = lastFailure ?? proxyError('upstream', `No account could serve model "${model}".`);
  return { kind: 'error', error: retryAfterMs === undefined ? failure : { ...failure, retryAfterMs } };
}

/** A client-facing message naming the timeout that ran out. */
export function timeoutMessage(model: string, setting: string, timeouts: TimeoutSettings): string {
  switch (setting) {
    case 'connect_timeout_s':
      return `The upstream for model "${model}" could not be connected to within connect_timeout_s (${timeouts.connect_timeout_s} s).`;
    case 'stream_idle_timeout_s':
      return `The upstream for model "${model}" sent nothing for stream_idle_timeout_s (${timeouts.stream_idle_timeout_s} s).`;
    default:
      return `The upstream for model "${model}" did not start answering within request_timeout_s (${timeouts.request_timeout_s} s).`;
  }
}
