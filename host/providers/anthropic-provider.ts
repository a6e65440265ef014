import type { IncomingHttpHeaders } from 'node:http';
import { restoreClientModel } from './restore-client-model.js';
import { bodyWithModel, joinUrl } from './upstream-client.js';
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
  modelsUrl: (account) => joinUrl(account.base_url, '/v1/models'),
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
  parseModelList(body) {
    const data = (body as { data?: Array<{ id?: unknown }> })?.data;
    return Array.isArray(data) ? data.map((model) => String(model?.id ?? '')).filter(Boolean) : [];
  },
};
