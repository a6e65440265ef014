import type { Account } from '../../shared/accounts.js';
import { bodyWithModel, joinUrl, modelIds } from './upstream-client.js';
import type { UpstreamProvider } from './upstream-provider.js';

/**
 * The OpenAI-compatible family (OpenAI, OpenRouter, DeepSeek, Groq, Ollama, vLLM, LM Studio…).
 * Base URLs follow the OpenAI SDK's convention and already end in `/v1`.
 */
export const openAIProvider: UpstreamProvider & { chatCompletionsUrl(account: Account): URL } = {
  family: 'openai',
  chatCompletionsUrl: (account) => joinUrl(account.base_url, '/chat/completions'),
  generateUrl: (account) => joinUrl(account.base_url, '/chat/completions'),
  passThroughBody: bodyWithModel,
  embeddingsUrl: (account) => joinUrl(account.base_url, '/embeddings'),
  // Many OpenAI-compatible servers have no /completions: the pipeline falls back to Chat when it answers 404.
  legacyCompletionsUrl: (account) => joinUrl(account.base_url, '/completions'),
  modelsUrl: (account) => joinUrl(account.base_url, '/models'),
  headers(account, { stream }) {
    return {
      authorization: `Bearer ${account.api_key}`,
      'content-type': 'application/json',
      accept: stream ? 'text/event-stream' : 'application/json',
    };
  },
  /**
   * `{"object": "list", "data": [{id, object: "model", created, owned_by}]}`, the whole list in
   * one answer: OpenAI's list has no pages.
   * @see https://platform.openai.com/docs/api-reference/models/list
   */
  parseModelList(body) {
    return { models: modelIds(body) };
  },
};
