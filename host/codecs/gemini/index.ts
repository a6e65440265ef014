import type { ClientCodec, UpstreamCodec } from '../codec-types.js';
import { decodeGeminiError } from './decode-error.js';
import { decodeGeminiRequest } from './decode-request.js';
import { decodeGeminiResponse } from './decode-response.js';
import { createGeminiStreamDecoder } from './decode-stream.js';
import { encodeGeminiError } from './encode-error.js';
import { encodeGeminiRequest } from './encode-request.js';
import { encodeGeminiResponse } from './encode-response.js';
import { createGeminiStreamEncoder } from './encode-stream.js';

/**
 * Gemini clients (`POST /v1beta/models/{model}:generateContent | :streamGenerateContent`). The
 * route passes the model and the streaming flag from the path in the DecodeContext. The default
 * stream encoder writes SSE (`?alt=sse`, what @google/genai uses); a route serving a request
 * without `alt=sse` calls `createGeminiStreamEncoder(request, { sse: false })` for the JSON-array
 * form instead.
 */
export const geminiClientCodec: ClientCodec = {
  protocol: 'gemini',
  decodeRequest: decodeGeminiRequest,
  encodeResponse: encodeGeminiResponse,
  createStreamEncoder: (request) => createGeminiStreamEncoder(request, { sse: true }),
  encodeError: encodeGeminiError,
};

/**
 * Gemini upstreams. The provider puts the model and method in the URL
 * (`models/{model}:streamGenerateContent?alt=sse`); the stream decoder also reads the JSON-array
 * form if `alt=sse` was left out.
 */
export const geminiUpstreamCodec: UpstreamCodec = {
  family: 'gemini',
  encodeRequest: encodeGeminiRequest,
  decodeResponse: decodeGeminiResponse,
  createStreamDecoder: createGeminiStreamDecoder,
  decodeError: decodeGeminiError,
};

export { createGeminiStreamEncoder } from './encode-stream.js';
export { createGeminiStreamDecoder } from './decode-stream.js';
export { sanitizeToolSchema } from './sanitize-tool-schema.js';
export { SKIP_THOUGHT_SIGNATURE_VALIDATOR } from './signature.js';
