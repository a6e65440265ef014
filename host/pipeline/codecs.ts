import type { ClientCodec, UpstreamCodec, UpstreamFamily } from '../codecs/codec-types.js';
import { anthropicClientCodec, anthropicUpstreamCodec } from '../codecs/anthropic-messages/index.js';
import { geminiClientCodec, geminiUpstreamCodec } from '../codecs/gemini/index.js';
import { openAIChatClientCodec, openAIChatUpstreamCodec } from '../codecs/openai-chat/index.js';
import { openAICompletionsClientCodec } from '../codecs/openai-completions/index.js';
import { openAIResponsesClientCodec } from '../codecs/openai-responses/index.js';

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
