import type { IncomingHttpHeaders } from 'node:http';
import { restoreClientModel } from './restore-client-model.js';
import { bodyWithModel, joinUrl, modelIds, withQuery } from './upstream-client.js';
import type { UpstreamProvider } from './upstream-provider.js';

/**
 * @see https://docs.anthropic.com/en/api/versioning — every request names an API version.
 */
export const ANTHROPIC_VERSION = '2023-06-01';

function clientHeader(client: IncomingHttpHeaders | undefined, name: string): string | undefined {
  const value = client?.[name];
  return Array.isArray(value) ? value.join(',') : value;
}

/**
 * The Anthropic-compatible family (Anthropic, z.ai and similar). Base URLs are the bare origin,
 * as in the Anthropic SDK. A same-family client's `anthropic-version` and `anthropic-beta`
 * headers are passed on (Claude Code relies on betas); translated requests use the stable version.
 */
export const anthropicProvider: UpstreamProvider = {
  family: 'anthropic',
  generateUrl: (account) => joinUrl(account.base_url, '/v1/messages'),
  passThroughBody: bodyWithModel,
  // `message_start.message.model`, the first "model" of the stream.
  streamHeadWithClientModel: restoreClientModel,
  countTokensUrl: (account) => joinUrl(account.base_url, '/v1/messages/count_tokens'),
  // 20 a page unless asked; 1000 is the most one page holds.
  modelsUrl: (account, page) => withQuery(joinUrl(account.base_url, '/v1/models'), { limit: '1000', after_id: page }),
  headers(account, { stream, client }) {
    const headers: Record<string, string> = {
      'x-api-key': account.api_key,
      'anthropic-version': clientHeader(client, 'anthropic-version') ?? ANTHROPIC_VERSION,
      'content-type': 'application/json',
      accept: stream ? 'text/event-stream' : 'application/json',
    };
    const beta = clientHeader(client, 'anthropic-beta');
    if (beta) headers['anthropic-beta'] = beta;
    return headers;
  },
  /**
   * `{"data": [{type: "model", id, display_name, created_at}], "has_more", "first_id", "last_id"}`:
   * while `has_more`, the next page starts after `last_id`.
   * @see https://docs.anthropic.com/en/api/models-list
   */
  parseModelList(body) {
    const page = body as { has_more?: unknown; last_id?: unknown } | null;
    const nextPage = page?.has_more === true && typeof page.last_id === 'string' && page.last_id ? page.last_id : undefined;
    return nextPage ? { models: modelIds(body), nextPage } : { models: modelIds(body) };
  },
};
