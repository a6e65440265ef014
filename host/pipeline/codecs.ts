import type { ClientCodec, UpstreamCodec, UpstreamFamily } from '../codecs/codec-types.js';
import { anthropicClientCodec, anthropicUpstreamCodec } from '../codecs/anthropic-messages/index.js';
import { geminiClientCodec, geminiUpstreamCodec } from '../codecs/gemini/index.js';
import { openAIChatClientCodec, openAIChatUpstreamCodec } from '../codecs/openai-chat/index.js';
import { openAICompletionsClientCodec } from '../codecs/openai-completions/index.js';
import { openAIResponsesClientCodec } from '../codecs/openai-responses/index.js';

// The daemon loads this module on first use only (host/pipeline/lazy-codecs.ts), with what else
// only translated requests need: Gemini's JSON-array stream encoder and the Responses store.
export { createGeminiStreamEncoder } from '../codecs/gemini/index.js';
export { withStoredConversation } from './responses-conversation.js';

/** The translation core's pieces: 5 client codecs and 3 upstream codecs (2N pieces, not N²). */
export const CLIENT_CODECS = {
  'openai-chat': openAIChatClientCodec,
  'openai-responses': openAIResponsesClientCodec,
  'openai-completions': openAICompletionsClientCodec,
  anthropic: anthropicClientCodec,
  gemini: geminiClientCodec,
} as const satisfies Record<string, ClientCodec>;

export const UPSTREAM_CODECS: Record<UpstreamFamily, UpstreamCodec> = {
  openai: openAIChatUpstreamCodec,
  anthropic: anthropicUpstreamCodec,
  gemini: geminiUpstreamCodec,
};
