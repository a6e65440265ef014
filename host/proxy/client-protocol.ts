import type { FastifyReply } from 'fastify';
import type { ClientProtocolId } from '../codecs/codec-types.js';
import { encodeAnthropicError } from '../codecs/anthropic-messages/encode-error.js';
import { encodeGeminiError } from '../codecs/gemini/encode-error.js';
import { encodeOpenAIError } from '../codecs/openai-chat/encode-error.js';
import type { ProxyError } from '../core/proxy-error.js';

export type ClientProtocol = 'openai' | 'anthropic' | 'gemini';

/** Which error body format a client protocol uses. */
export function errorFormatOf(protocol: ClientProtocolId): ClientProtocol {
  return protocol === 'anthropic' || protocol === 'gemini' ? protocol : 'openai';
}

/**
 * Which protocol a client speaks, from the path alone, so that errors raised before a route runs
 * (auth, 404, body too large) still come back in a format the client's SDK can parse.
 */
export function protocolForPath(url: string): ClientProtocol {
  const path = url.split('?', 1)[0]!;
  if (path.startsWith('/v1beta') || path.includes('/v1beta/') || /:(generateContent|streamGenerateContent|countTokens|embedContent|batchEmbedContents)$/.test(path)) return 'gemini';
  if (/^\/(v1\/)?messages(\/|$)/.test(path)) return 'anthropic';
  return 'openai';
}

const ENCODERS: Record<ClientProtocol, (error: ProxyError) => object> = {
  openai: encodeOpenAIError,
  anthropic: encodeAnthropicError,
  gemini: encodeGeminiError,
};

export function encodeError(protocol: ClientProtocol, error: ProxyError): object {
  return ENCODERS[protocol](error);
}

/** Sends `error` in the client's own format, with `Retry-After` when a retry time is known. */
export function sendProxyError(reply: FastifyReply, protocol: ClientProtocol, error: ProxyError): FastifyReply {
  if (error.retryAfterMs !== undefined) reply.header('retry-after', String(Math.max(1, Math.ceil(error.retryAfterMs / 1000))));
  return reply.code(error.status).type('application/json; charset=utf-8').send(encodeError(protocol, error));
}
