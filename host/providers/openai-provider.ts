import type { Account } from '../../shared/accounts.js';
import { joinUrl } from './upstream-client.js';

/**
 * The OpenAI-compatible upstream family (OpenAI, OpenRouter, DeepSeek, Groq, Ollama, vLLM…).
 * Base URLs follow the OpenAI SDK's convention and already end in `/v1`.
 */
export const openAIProvider = {
  chatCompletionsUrl: (account: Account): URL => joinUrl(account.base_url, '/chat/completions'),
  modelsUrl: (account: Account): URL => joinUrl(account.base_url, '/models'),
  headers(account: Account, accept = 'application/json'): Record<string, string> {
    return {
      authorization: `Bearer ${account.api_key}`,
      'content-type': 'application/json',
      accept,
    };
  },
};
