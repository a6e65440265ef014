import type { ClientCodec } from '../codec-types.js';
import { decodeOpenAIResponsesRequest } from './decode-request.js';
import { encodeOpenAIResponsesError } from './encode-error.js';
import { encodeOpenAIResponsesResponse } from './encode-response.js';
import { createOpenAIResponsesStreamEncoder } from './encode-stream.js';

/**
 * The OpenAI Responses API as a client protocol (`POST /v1/responses`: Codex, the `openai` SDK's
 * `client.responses.create` / `.stream`). Client side only: requests are served by the Chat
 * Completions, Anthropic or Gemini upstream codecs through the IR.
 */
export const openAIResponsesClientCodec: ClientCodec = {
  protocol: 'openai-responses',
  decodeRequest: decodeOpenAIResponsesRequest,
  encodeResponse: encodeOpenAIResponsesResponse,
  createStreamEncoder: createOpenAIResponsesStreamEncoder,
  encodeError: encodeOpenAIResponsesError,
};

export { decodeOpenAIResponsesRequest } from './decode-request.js';
export { encodeOpenAIResponsesResponse } from './encode-response.js';
export { createOpenAIResponsesStreamEncoder, OpenAIResponsesStreamEncoder } from './encode-stream.js';
export { encodeOpenAIResponsesError, encodeOpenAIResponsesErrorEvent, encodeOpenAIResponsesFailure } from './encode-error.js';
