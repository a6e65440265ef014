import type { UpstreamFamily } from '../codecs/codec-types.js';
import { anthropicProvider } from './anthropic-provider.js';
import { geminiProvider } from './gemini-provider.js';
import { openAIProvider } from './openai-provider.js';
import type { UpstreamProvider } from './upstream-provider.js';

export const PROVIDERS: Record<UpstreamFamily, UpstreamProvider> = {
  openai: openAIProvider,
  anthropic: anthropicProvider,
  gemini: geminiProvider,
};
