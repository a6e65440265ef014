import type { Account } from '../../shared/accounts.js';
import { bodyWithModel, joinUrl } from './upstream-client.js';
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
  parseModelList(body) {
    const data = (body as { data?: Array<{ id?: unknown }> })?.data;
    return Array.isArray(data) ? data.map((model) => String(model?.id ?? '')).filter(Boolean) : [];
  },
};
