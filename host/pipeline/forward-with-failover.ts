import type { Account, Provider } from '../../shared/accounts.js';
import type { AccountPool, Unavailability } from '../pool/account-pool.js';
import type { FailureKind } from '../pool/cooldown.js';
import { CodecError, type UpstreamFamily } from '../codecs/codec-types.js';
import { proxyError, kindForStatus, type ProxyError } from '../core/proxy-error.js';
import type { CancelSignal } from '../core/cancel-signal.js';
import { collectBody, type UpstreamResponse } from '../providers/upstream-client.js';
import { UPSTREAM_ERROR_DECODERS } from './upstream-error-decoders.js';
import { FIRST_EVENT_TIMEOUT, type PeekResult } from './peek-first-event.js';
import { classifyNetworkFailure, classifyUpstreamFailure, type FailureVerdict } from './upstream-failure.js';

/** How many accounts one request may try when the config says nothing (`max_attempts`). */
export const DEFAULT_MAX_ATTEMPTS = 3;

export type ForwardOutcome =
  /**
   * A 2xx from an upstream. `head` holds what was read of the body to see its first event (to be
   * written first); the rest is still unread in `response.body`. `ended`: nothing more will come.
   */
  | {
      kind: 'success';
      account: Account;
      response: UpstreamResponse;
      attempts: number;
      head: Buffer[];
      ended: boolean;
      /**
       * Present for a peeked answer (an SSE stream): it is committed at its first event, but the
       * account's success is only recorded by `confirm()`, once content reached the client (or the
       * stream ended whole); until then the stream's reader reports a failure to `failover`.
       */
      committed?: CommittedStream;
    }
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

/** What went wrong in a committed stream before its first content event (peek-first-event.ts `classifyStreamEvent`). */
export type StreamFailure =
  /** An error event: `bodyText` is its data. */
  | { kind: 'error-event'; error: ProxyError; bodyText: string }
  /** The body failed (reset, idle timeout) or ended before any content. */
  | { kind: 'broken'; cause: unknown };

/** The rest of the failover for an answer committed at its preamble. */
export interface CommittedStream {
  /** Content reached the client: the account served the request (once; later calls do nothing). */
  confirm(): void;
  /**
   * The stream failed before any content: the account rests as it would have before the commit,
   * and the next account is tried — its outcome, for the same client stream. Undefined when the
   * failure is the answer itself (a client error sent in the stream: relay it as is) or the
   * client is gone.
   */
  failover(failure: StreamFailure): Promise<ForwardOutcome> | undefined;
}

export interface ForwardOptions {
  pool: AccountPool;
  /** The model as it goes upstream (after mapping). */
  model: string;
  /** Providers that can serve this request; undefined = any (the translation core bridges them). */
  providers: readonly Provider[] | undefined;
  signal: CancelSignal;
  /** Accounts tried at most (config `max_attempts`). */
  maxAttempts?: number;
  /** The conversation's key for sticky scheduling. */
  sessionKey?: string | undefined;
  timeouts: TimeoutSettings;
  send(account: Account): Promise<UpstreamResponse>;
  /**
   * For a 2xx: read the answer up to its first event before committing to it, so an error sent as
   * that first event can still fail over with nothing sent. `timeoutMs` is what is left of the
   * first-byte timeout. Absent (or undefined for this response) = commit at once, for good.
   */
  peek?(account: Account, response: UpstreamResponse, timeoutMs: number): Promise<PeekResult> | undefined;
  now?: () => number;
}

const MAX_ERROR_BODY = 64 * 1024;

async function readErrorBody(response: UpstreamResponse): Promise<string> {
  return (await collectBody(response.body, MAX_ERROR_BODY, 'truncate')).toString('utf8');
}

/**
 * Sends a request to the pool's accounts in turn until one answers 2xx with a first event that is
 * not an error, failing over before anything reaches the client — and, for a peeked stream, after
 * its preamble until its first content (`committed`). Each failure is classified once
 * (upstream-failure.ts): transient ones and spent quotas rest the account (per model where the
 * provider limits per model) for the upstream's hint or a backoff, a rejected key disables it, a
 * model the account does not serve moves on to the next account (without counting against
 * `maxAttempts`), a client error (context length, 400/422) is answered as is. Never sleeps: when
 * every account rests, the client learns when to come back.
 */
export async function forwardWithFailover(options: ForwardOptions): Promise<ForwardOutcome> {
  const { pool, model, signal } = options;
  const now = options.now ?? Date.now;
  const maxAttempts = options.maxAttempts ?? DEFAULT_MAX_ATTEMPTS;
  const tried = new Set<string>();
  /** Accounts that said they do not serve the model: trying them costs no attempt. */
  let unserved = 0;
  let lastFailure: ProxyError | undefined;
  /** The upstream's own "model not found", answered when no account turns out to serve the model. */
  let notServed: Extract<ForwardOutcome, { kind: 'rejected' }> | undefined;
  const clientGone = (): ForwardOutcome => ({ kind: 'error', error: proxyError('invalid-request', 'The client closed the request.', 499) });

  /**
   * Applies a verdict to the account. Returns the outcome when the request ends here (the
   * upstream's answer goes to the client), undefined to try the next account.
   */
  const judge = (account: Account, verdict: FailureVerdict, rejection: () => Extract<ForwardOutcome, { kind: 'rejected' }>, failure: (kind: FailureKind) => ProxyError): ForwardOutcome | undefined => {
    switch (verdict.action) {
      case 'answer':
        return rejection();
      case 'model-unserved':
        // An account with its own `models` list claims the model: its 404 is the answer.
        if (account.models && account.models.length > 0) return rejection();
        pool.markModelUnserved(account.id, model);
        notServed = rejection();
        unserved += 1;
        return undefined;
      case 'disable':
        pool.markRejected(account.id, verdict.reason);
        lastFailure = proxyError('overloaded', `The upstream account for model "${model}" rejected its key.`, 503);
        return undefined;
      case 'cool':
        pool.markFailure(account.id, verdict.kind, verdict.reason, verdict.hintMs, verdict.perModel ? model : undefined);
        lastFailure = failure(verdict.kind);
        return undefined;
    }
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

  /**
   * An error event from a 200 stream, before content: 'next' when the account rests and the next
   * one is tried, 'answer' when it is the client's own error, else the outcome that ends here.
   */
  const judgeErrorEvent = (account: Account, response: UpstreamResponse, failure: { error: ProxyError; bodyText: string }): ForwardOutcome | 'next' | 'answer' => {
    // Headers of a 200 describe the window that let it through, not this error: hints come
    // from the event alone.
    const verdict = classifyUpstreamFailure(account.provider, response.statusCode, {}, failure.bodyText, failure.error, now(), model);
    if (verdict.action === 'answer') return 'answer';
    response.body.destroy();
    const rejection = () => ({ kind: 'rejected' as const, account, status: failure.error.status, contentType: 'application/json', body: failure.bodyText });
    const stop = judge(account, verdict, rejection, (kind) =>
      failureFor(kind, model, proxyError(failure.error.kind, `The upstream for model "${model}" reported an error as its stream began (${failure.error.kind}).`, failure.error.status)),
    );
    return stop ?? 'next';
  };
  const committedStream = (account: Account, response: UpstreamResponse): CommittedStream => {
    let settled = false;
    const confirm = (): void => {
      if (settled) return;
      settled = true;
      pool.markSuccess(account.id, model, options.sessionKey);
    };
    return {
      confirm,
      failover(failure) {
        if (settled) return undefined;
        if (failure.kind === 'error-event') {
          const judged = judgeErrorEvent(account, response, failure);
          if (judged === 'answer') {
            confirm();
            return undefined;
          }
          settled = true;
          return judged === 'next' ? next() : Promise.resolve(judged);
        }
        settled = true;
        response.body.destroy();
        if (signal.aborted) return undefined;
        networkFailure(account, failure.cause);
        return next();
      },
    };
  };

  const next = async (): Promise<ForwardOutcome> => {
    while (tried.size - unserved < maxAttempts) {
      if (signal.aborted) return clientGone();
      const pick = pool.pick(model, tried, options.providers, { sessionKey: options.sessionKey });
      if (pick.kind !== 'account') {
        if (notServed && pick.kind === 'no-account-for-model') return notServed;
        return { kind: 'error', error: unavailableError(pick, model, lastFailure, now()) };
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
          const judged = judgeErrorEvent(account, response, peeked);
          if (judged === 'next') continue;
          if (judged !== 'answer') return judged;
          // A client error sent in the stream: the upstream's own answer, relayed as is.
        }
        if (!peeking || peeked.kind === 'error-event') {
          pool.markSuccess(account.id, model, options.sessionKey);
          return { kind: 'success', account, response, attempts: tried.size, head: peeked.head, ended: peeked.ended };
        }
        return { kind: 'success', account, response, attempts: tried.size, head: peeked.head, ended: peeked.ended, committed: committedStream(account, response) };
      }
      let body: string;
      try {
        body = await readErrorBody(response);
      } catch (error) {
        if (signal.aborted) return clientGone();
        networkFailure(account, error);
        continue;
      }
      const decoded = UPSTREAM_ERROR_DECODERS[family](status, body);
      const verdict = classifyUpstreamFailure(family, status, headers, body, decoded, now(), model);
      const contentType = String(headers['content-type'] ?? 'application/json');
      const stop = judge(account, verdict, () => ({ kind: 'rejected', account, status, contentType, body }), (kind) =>
        failureFor(kind, model, proxyError(kindForStatus(status), `The upstream for model "${model}" answered HTTP ${status}.`, status)),
      );
      if (stop) return stop;
    }
    const after = pool.readiness(model, options.providers);
    if (notServed && after.kind === 'no-account-for-model') return notServed;
    const failure = lastFailure ?? proxyError('upstream', `No account could serve model "${model}".`);
    return { kind: 'error', error: after.kind === 'exhausted' ? { ...failure, retryAfterMs: Math.max(0, after.retryAt - now()) } : failure };
  };
  return next();
}

/**
 * What the client hears after an account rested and no other could take over: for a transient
 * failure, `transient` (the upstream's status, which its SDK retries by; never the upstream's
 * message, which may name the upstream organisation).
 */
function failureFor(kind: FailureKind, model: string, transient: ProxyError): ProxyError {
  switch (kind) {
    case 'quota-exhausted':
      return proxyError('rate-limit', `The upstream account for model "${model}" has used up its quota.`, 429);
    case 'forbidden':
      return proxyError('permission', `The upstream account has no access to model "${model}".`, 403);
    default:
      return transient;
  }
}

/** Nothing to pick: the client learns why, and when to come back. */
function unavailableError(pick: Unavailability, model: string, lastFailure: ProxyError | undefined, now: number): ProxyError {
  switch (pick.kind) {
    case 'no-account-for-model':
      return proxyError('not-found', `No account serves model "${model}". Add an account that serves it, or map the model to one that is served (model_mapping).`);
    case 'unavailable':
      return proxyError('overloaded', `Every account that serves model "${model}" is disabled: ${[...new Set(pick.reasons)].join('; ')}.`, 503);
    case 'exhausted': {
      const retryAfterMs = Math.max(0, pick.retryAt - now);
      // After a failed attempt, the client learns what actually went wrong (and when to retry).
      if (lastFailure) return { ...lastFailure, retryAfterMs };
      return proxyError('rate-limit', `All accounts for model "${model}" are rate-limited or cooling down; retry in ${Math.ceil(retryAfterMs / 1000)} s.`, 429, retryAfterMs);
    }
  }
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
