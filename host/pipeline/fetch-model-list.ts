import type { Dispatcher } from 'undici';
import type { Account } from '../../shared/accounts.js';
import { maskSecret } from '../../shared/api-key.js';
import { PROVIDERS } from '../providers/providers.js';
import { readBodyText, sendUpstream } from '../providers/upstream-client.js';
import { classifyNetworkFailure, classifyUpstreamFailure } from './upstream-failure.js';

/**
 * What asking an upstream for its model list with an account's key came to: the whole list
 * (every page), or why not — the key refused, nothing answered, or the provider's own words.
 * Messages are safe to show: never the key, never a header.
 */
export type ModelListResult =
  | { outcome: 'works'; models: string[] }
  | { outcome: 'key-rejected' | 'provider-error' | 'unreachable'; message: string };

/** A server that keeps handing out next-page cursors is not followed for ever. */
const MAX_PAGES = 50;
/** A model list is a few hundred KB at most (OpenRouter's, with descriptions, is the largest seen). */
const MAX_PAGE_BYTES = 16 * 1024 * 1024;

/**
 * Fetches an account's model list from its provider with its key, following pagination
 * (Anthropic's `has_more`/`last_id`, Gemini's `nextPageToken`). The one place that asks an
 * upstream for models: the model catalog and `accounts test` both come here. Touches no pool
 * state: a model list is information, not traffic.
 */
export async function fetchModelList(dispatcher: Dispatcher, account: Account, timeoutMs: number, signal?: AbortSignal): Promise<ModelListResult> {
  const provider = PROVIDERS[account.provider];
  const models = new Set<string>();
  let page: string | undefined;
  for (let count = 0; count < MAX_PAGES; count += 1) {
    const url = provider.modelsUrl(account, page);
    let status: number;
    let headers: Record<string, string | string[] | undefined>;
    let text: string;
    try {
      const response = await sendUpstream(dispatcher, { url, method: 'GET', headers: provider.headers(account, { stream: false }), timeoutMs, ...(signal ? { signal } : {}) });
      ({ statusCode: status, headers } = response);
      text = await readBodyText(response, MAX_PAGE_BYTES);
    } catch (error) {
      return { outcome: 'unreachable', message: unreachableMessage(error, url, timeoutMs) };
    }
    if (status < 200 || status >= 300) return await failure(account, status, headers, text);
    let body: unknown;
    try {
      body = JSON.parse(text);
    } catch {
      return { outcome: 'provider-error', message: `HTTP ${status}: the model list is not JSON` };
    }
    const parsed = provider.parseModelList(body);
    for (const model of parsed.models) models.add(model);
    if (parsed.nextPage === undefined || parsed.nextPage === page) break;
    page = parsed.nextPage;
  }
  return { outcome: 'works', models: [...models] };
}

/** An error answer in the provider's words; a refused key told apart the way the pool does it. */
async function failure(account: Account, status: number, headers: Record<string, string | string[] | undefined>, text: string): Promise<ModelListResult> {
  // The error decoders alone (not the translation core, which a daemon then never loads for a
  // refused key or a server without /models); loaded by a failed list only, so `accounts test`
  // without a daemon loads no more. The daemon has them already (failover judges errors with them).
  const { UPSTREAM_ERROR_DECODERS } = await import('./upstream-error-decoders.js');
  const error = UPSTREAM_ERROR_DECODERS[account.provider](status, text);
  const verdict = classifyUpstreamFailure(account.provider, status, headers, text, error, Date.now());
  const message = `HTTP ${status}: ${withoutKey(error.message, account.api_key)}`;
  return { outcome: verdict.action === 'disable' ? 'key-rejected' : 'provider-error', message };
}

/**
 * The codecs already mask key-like words; an upstream that echoes the key some other way (a
 * compatible server quoting the header) still never gets it into a message.
 */
function withoutKey(message: string, apiKey: string): string {
  return message.split(apiKey).join(maskSecret(apiKey));
}

function unreachableMessage(error: unknown, url: URL, timeoutMs: number): string {
  const failure = classifyNetworkFailure(error);
  if (failure.kind === 'timeout') {
    return failure.code === 'UND_ERR_CONNECT_TIMEOUT' ? `could not connect to ${url.host} in time` : `no answer from ${url.host} within ${Math.round(timeoutMs / 1000)} s`;
  }
  switch (failure.code) {
    case 'ECONNREFUSED':
      return `connection refused by ${url.host}`;
    case 'ENOTFOUND':
    case 'EAI_AGAIN':
      return `host not found: ${url.hostname}`;
    case 'ECONNRESET':
    case 'UND_ERR_SOCKET':
      return `connection to ${url.host} closed before an answer`;
    default:
      return `could not reach ${url.host} (${failure.code})`;
  }
}
