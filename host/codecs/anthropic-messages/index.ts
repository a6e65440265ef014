import type { ClientCodec, UpstreamCodec } from '../codec-types.js';
import { decodeAnthropicError } from './decode-error.js';
import { decodeAnthropicRequest } from './decode-request.js';
import { decodeAnthropicResponse } from './decode-response.js';
import { createAnthropicStreamDecoder } from './decode-stream.js';
import { encodeAnthropicError } from './encode-error.js';
import { encodeAnthropicRequest } from './encode-request.js';
import { encodeAnthropicResponse } from './encode-response.js';
import { createAnthropicStreamEncoder } from './encode-stream.js';

/** Serves clients that speak the Anthropic Messages API (`POST /v1/messages`). */
export const anthropicClientCodec: ClientCodec = {
  protocol: 'anthropic',
  decodeRequest: decodeAnthropicRequest,
  encodeResponse: encodeAnthropicResponse,
  createStreamEncoder: createAnthropicStreamEncoder,
  encodeError: encodeAnthropicError,
};

/** Sends IR requests to Anthropic accounts and reads their answers. */
export const anthropicUpstreamCodec: UpstreamCodec = {
  family: 'anthropic',
  encodeRequest: (request, model) => encodeAnthropicRequest(request, model),
  decodeResponse: decodeAnthropicResponse,
  createStreamDecoder: createAnthropicStreamDecoder,
  decodeError: decodeAnthropicError,
};

export { decodeAnthropicError, decodeAnthropicStreamError } from './decode-error.js';
export { decodeAnthropicRequest } from './decode-request.js';
export { decodeAnthropicResponse } from './decode-response.js';
export { createAnthropicStreamDecoder } from './decode-stream.js';
export { encodeAnthropicError } from './encode-error.js';
export { encodeAnthropicRequest, type EncodeAnthropicRequestOptions } from './encode-request.js';
export { encodeAnthropicResponse } from './encode-response.js';
export { createAnthropicStreamEncoder } from './encode-stream.js';
export { DEFAULT_MAX_TOKENS_TABLE, defaultMaxTokens } from './default-max-tokens.js';
export { EFFORT_BUDGET_TOKENS, budgetForEffort, effortForBudget } from '../shared/reasoning-effort.js';
export { mapAnthropicStopReason, toAnthropicStopReason } from './map-finish-reason.js';
export { convertAnthropicUsage, toAnthropicUsage } from './convert-usage.js';
