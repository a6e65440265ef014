import type { Account, Provider } from '../../shared/accounts.js';
import type { AccountPool } from '../pool/account-pool.js';
import { CodecError } from '../codecs/codec-types.js';
import { cooldownHintMs } from '../pool/cooldown.js';
import { proxyError, kindForStatus, type ProxyError } from '../proxy/proxy-error.js';
import type { UpstreamResponse } from '../providers/upstream-client.js';

/** How many accounts one request may try before the client gets an error. */
export const MAX_ATTEMPTS = 3;

export type ForwardOutcome =
  /** A 2xx from an upstream: the body is still unread, ready to be streamed to the client. */
  | { kind: 'success'; account: Account; response: UpstreamResponse; attempts: number }
  /** The upstream refused the request itself (400, 404, 422…): no other account can fix that. */
  | { kind: 'rejected'; account: Account; status: number; contentType: string; body: string }
  /** The proxy's own error: nothing served the request. */
  | { kind: 'error'; error: ProxyError };

export interface ForwardOptions {
  pool: AccountPool;
  /** The model as it goes upstream (after mapping). */
  model: string;
  /** Providers that can serve this request; undefined = any (the translation core bridges them). */
  providers: readonly Provider[] | undefined;
  signal: AbortSignal;
  send(account: Account): Promise<UpstreamResponse>;
  now?: () => number;
}

/** Statuses after which another account may well succeed. */
function isTransient(status: number): boolean {
  return status === 408 || status === 409 || status === 429 || status >= 500;
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
 * Sends a request to the pool's accounts in turn until one answers 2xx, failing over only before
 * anything reaches the client: transient failures (429, 5xx, network) cool the account and move
 * on; a rejected key disables the account and moves on; a client error is returned as is. Never
 * sleeps: when every account rests, the client learns when to come back.
 */
export async function forwardWithFailover(options: ForwardOptions): Promise<ForwardOutcome> {
  const { pool, model, signal } = options;
  const now = options.now ?? Date.now;
  const tried = new Set<string>();
  let lastFailure: ProxyError | undefined;
  for (let attempt = 1; attempt <= MAX_ATTEMPTS; attempt++) {
    const pick = pool.pick(model, tried, options.providers);
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
    tried.add(account.id);
    let response: UpstreamResponse;
    try {
      response = await options.send(account);
    } catch (error) {
      // The client's request cannot be translated: no account can help, and it is not their fault.
      if (error instanceof CodecError) throw error;
      if (signal.aborted) return { kind: 'error', error: proxyError('invalid-request', 'The client closed the request.', 499) };
      const code = (error as { code?: string }).code ?? 'network error';
      const isTimeout = code === 'UND_ERR_HEADERS_TIMEOUT' || code === 'UND_ERR_CONNECT_TIMEOUT';
      pool.markFailure(account.id, 'network-error', isTimeout ? 'upstream timed out' : `upstream unreachable (${code})`);
      lastFailure = isTimeout
        ? proxyError('timeout', `The upstream for model "${model}" did not answer in time.`)
        : proxyError('upstream', `The upstream for model "${model}" could not be reached (${code}).`);
      continue;
    }
    const status = response.statusCode;
    if (status >= 200 && status < 300) {
      pool.markSuccess(account.id);
      return { kind: 'success', account, response, attempts: attempt };
    }
    const body = await readErrorBody(response).catch(() => '');
    const headers = response.headers as Record<string, string | string[] | undefined>;
    if (status === 401 || status === 403) {
      pool.markRejected(account.id, `upstream rejected the key (HTTP ${status})`);
      lastFailure = proxyError('overloaded', `The upstream account for model "${model}" rejected its key.`, 503);
      continue;
    }
    if (isTransient(status)) {
      const rateLimited = status === 429;
      pool.markFailure(
        account.id,
        rateLimited ? 'rate-limited' : 'server-error',
        rateLimited ? 'rate limited (HTTP 429)' : `upstream error (HTTP ${status})`,
        cooldownHintMs(headers, now()),
      );
      // The client sees the upstream's own status (its SDK retries 429/5xx by that), not its message,
      // which may name the upstream organisation.
      lastFailure = proxyError(kindForStatus(status), `The upstream for model "${model}" answered HTTP ${status}.`, status);
      continue;
    }
    const contentType = String(headers['content-type'] ?? 'application/json');
    return { kind: 'rejected', account, status, contentType, body };
  }
  const retry = pool.pick(model, new Set(), options.providers);
  const retryAfterMs = retry.kind === 'exhausted' ? Math.max(0, retry.retryAt - now()) : undefined;
  const failure = lastFailure ?? proxyError('upstream', `No account could serve model "${model}".`);
  return { kind: 'error', error: retryAfterMs === undefined ? failure : { ...failure, retryAfterMs } };
}
