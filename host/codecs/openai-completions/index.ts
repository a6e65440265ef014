import type { ClientCodec } from '../codec-types.js';
import { encodeOpenAIError } from '../openai-chat/encode-error.js';
import { decodeOpenAICompletionsRequest } from './decode-request.js';
import { encodeOpenAICompletionsResponse } from './encode-response.js';
import { createOpenAICompletionsStreamEncoder } from './encode-stream.js';

/**
 * Serves clients of the legacy Completions API (POST /v1/completions: editors' autocompletion)
 * from accounts that answer chat. Accounts with a /completions endpoint get the request as sent.
 */
export const openAICompletionsClientCodec: ClientCodec = {
  protocol: 'openai-completions',
  decodeRequest: decodeOpenAICompletionsRequest,
  encodeResponse: encodeOpenAICompletionsResponse,
  createStreamEncoder: createOpenAICompletionsStreamEncoder,
  encodeError: encodeOpenAIError,
};

export { decodeOpenAICompletionsRequest, encodeOpenAICompletionsResponse, createOpenAICompletionsStreamEncoder };
