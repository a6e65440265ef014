import type { ClientCodec, UpstreamCodec } from '../codec-types.js';
import { decodeOpenAIChatError } from './decode-error.js';
import { decodeOpenAIChatRequest } from './decode-request.js';
import { decodeOpenAIChatResponse } from './decode-response.js';
import { createOpenAIChatStreamDecoder } from './decode-stream.js';
import { encodeOpenAIError } from './encode-error.js';
import { encodeOpenAIChatRequest } from './encode-request.js';
import { encodeOpenAIChatResponse } from './encode-response.js';
import { createOpenAIChatStreamEncoder } from './encode-stream.js';

/** Serves clients that speak Chat Completions (POST /v1/chat/completions). */
export const openAIChatClientCodec: ClientCodec = {
  protocol: 'openai-chat',
  decodeRequest: decodeOpenAIChatRequest,
  encodeResponse: encodeOpenAIChatResponse,
  createStreamEncoder: createOpenAIChatStreamEncoder,
  encodeError: encodeOpenAIError,
};

/** Talks to OpenAI-family upstreams (OpenAI and OpenAI-compatible servers) in Chat Completions. */
export const openAIChatUpstreamCodec: UpstreamCodec = {
  family: 'openai',
  encodeRequest: encodeOpenAIChatRequest,
  decodeResponse: decodeOpenAIChatResponse,
  createStreamDecoder: createOpenAIChatStreamDecoder,
  decodeError: decodeOpenAIChatError,
};

export { decodeOpenAIChatRequest, encodeOpenAIChatRequest, decodeOpenAIChatResponse, encodeOpenAIChatResponse };
export { createOpenAIChatStreamDecoder, createOpenAIChatStreamEncoder, decodeOpenAIChatError };
