import { joinUrl, withQuery } from './upstream-client.js';
import type { UpstreamProvider } from './upstream-provider.js';

/** `models/gemini-2.5-flash` and `gemini-2.5-flash` name the same model. */
export function bareGeminiModel(model: string): string {
  return model.startsWith('models/') ? model.slice('models/'.length) : model;
}

/**
 * The Gemini API family (generativelanguage-compatible). Base URLs are the bare origin, as in the
 * Google SDKs; the key goes in `x-goog-api-key`, never in the URL (URLs end up in logs).
 * @see https://ai.google.dev/api/generate-content
 */
export const geminiProvider: UpstreamProvider = {
  family: 'gemini',
  generateUrl: (account, model, stream, form = 'sse') =>
    joinUrl(account.base_url, `/v1beta/models/${encodeURIComponent(bareGeminiModel(model))}:${stream ? `streamGenerateContent${form === 'sse' ? '?alt=sse' : ''}` : 'generateContent'}`),
  // The model is in the URL: the client's body goes on as it came.
  passThroughBody: (request) => request.rawBytes ?? request.rawText ?? JSON.stringify(request.body),
  embeddingsUrl: (account, model, method = 'embedContent') => joinUrl(account.base_url, `/v1beta/models/${encodeURIComponent(bareGeminiModel(model))}:${method}`),
  countTokensUrl: (account, model) => joinUrl(account.base_url, `/v1beta/models/${encodeURIComponent(bareGeminiModel(model))}:countTokens`),
  // 50 a page unless asked; 1000 is the most one page holds.
  modelsUrl: (account, page) => withQuery(joinUrl(account.base_url, '/v1beta/models'), { pageSize: '1000', pageToken: page }),
  headers(account, { stream }) {
    return {
      'x-goog-api-key': account.api_key,
      'content-type': 'application/json',
      accept: stream ? 'text/event-stream' : 'application/json',
    };
  },
  /**
   * `{"models": [{name: "models/gemini-2.5-flash", supportedGenerationMethods, …}], "nextPageToken"}`:
   * the token, when present, asks for the next page.
   * @see https://ai.google.dev/api/models#method:-models.list
   */
  parseModelList(body) {
    const page = body as { models?: Array<{ name?: unknown }>; nextPageToken?: unknown } | null;
    const models = Array.isArray(page?.models) ? page.models.map((model) => bareGeminiModel(String(model?.name ?? ''))).filter(Boolean) : [];
    return typeof page?.nextPageToken === 'string' && page.nextPageToken ? { models, nextPage: page.nextPageToken } : { models };
  },
};
