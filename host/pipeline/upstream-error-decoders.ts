import type { UpstreamFamily } from '../codecs/codec-types.js';
import { decodeAnthropicError } from '../codecs/anthropic-messages/decode-error.js';
import { decodeGeminiError } from '../codecs/gemini/decode-error.js';
import { decodeOpenAIChatError } from '../codecs/openai-chat/decode-error.js';
import type { ProxyError } from '../core/proxy-error.js';

/**
 * Each upstream family's error decoder (the same function as its codec's `decodeError`), on its
 * own: failover judges every upstream error, pass-through ones included, and must not load the
 * translation core (host/pipeline/lazy-codecs.ts) for it.
 */
export const UPSTREAM_ERROR_DECODERS: Record<UpstreamFamily, (status: number, bodyText: string) => ProxyError> = {
  openai: decodeOpenAIChatError,
  anthropic: decodeAnthropicError,
  gemini: decodeGeminiError,
};
