import type { ClientCodec } from '../codecs/codec-types.js';
import { inputItems, outputAsInput } from '../codecs/openai-responses/conversation.js';
import { encodeOpenAIResponsesResponse, OpenAIResponsesStreamEncoder, openAIResponsesClientCodec } from '../codecs/openai-responses/index.js';
import type { ResponsesResponseObject } from '../codecs/openai-responses/wire.js';
import { proxyError, type ProxyError } from '../core/proxy-error.js';
import type { ProxyConfig } from '../../shared/config.js';
import { conversationItems, type ResponseStore, type StoredTurn } from './response-store.js';

/** A Responses request ready to serve: the body with its conversation, and the codec that stores the answer. */
export type ResponsesConversation =
  | { kind: 'ready'; body: Record<string, unknown>; codec: ClientCodec; responses: { stored: boolean; previousResponseId?: string } }
  | { kind: 'error'; error: ProxyError };

/**
 * Responses state, kept by Localgate itself: a request naming `previous_response_id` gets that
 * response's whole conversation put in front of its `input` here, so every account — whatever its
 * family — receives the full history and none needs to hold the earlier response (the id never
 * goes upstream). Unless the client sets `store: false`, the answer's turn is stored under its id
 * for the next follow-up, by the codec returned (non-streamed and streamed answers alike).
 * Instructions are not carried over, as OpenAI documents: each request sends its own.
 * @see https://platform.openai.com/docs/guides/conversation-state
 */
export function withStoredConversation(
  store: ResponseStore,
  config: Pick<ProxyConfig, 'responses_store_size' | 'responses_store_ttl_seconds'>,
  body: Record<string, unknown>,
  /** The client's body size: a bound on what its input items take in the store. */
  bodyBytes: number,
): ResponsesConversation {
  const previousId = body.previous_response_id;
  let parent: StoredTurn | undefined;
  if (previousId !== undefined && previousId !== null) {
    if (typeof previousId !== 'string' || previousId === '') return { kind: 'error', error: proxyError('invalid-request', '`previous_response_id` must be a response id string.') };
    if (!store.enabled) {
      return { kind: 'error', error: proxyError('invalid-request', '`previous_response_id` needs the response store, which is off (responses_store_size is 0). Send the whole conversation in `input`.') };
    }
    parent = store.turn(previousId);
    if (!parent) {
      return {
        kind: 'error',
        error: proxyError(
          'invalid-request',
          `Previous response with id '${previousId}' not found: it has expired or was never stored. Localgate keeps responses in memory only, for ${config.responses_store_ttl_seconds} s (responses_store_ttl_seconds), the newest ${config.responses_store_size} (responses_store_size), and not across restarts. Send the whole conversation in \`input\` instead.`,
        ),
      };
    }
  }
  const input = inputItems(body.input);
  const served = parent && input ? { ...body, input: [...conversationItems(parent), ...input] } : body;
  const stored = body.store !== false && store.enabled;
  const responses = { stored, ...(typeof previousId === 'string' ? { previousResponseId: previousId } : {}) };
  if (!stored) return { kind: 'ready', body: served, codec: openAIResponsesClientCodec, responses };
  const remember = (response: ResponsesResponseObject): void => {
    // A failed response has nothing to follow up on.
    if (response.status !== 'completed' && response.status !== 'incomplete') return;
    const output = outputAsInput(response.output);
    store.remember(response.id, { parent, items: [...(input ?? []), ...output] }, bodyBytes + JSON.stringify(output).length);
  };
  const codec: ClientCodec = {
    ...openAIResponsesClientCodec,
    encodeResponse(response, request) {
      const encoded = encodeOpenAIResponsesResponse(response, request);
      remember(encoded);
      return encoded;
    },
    createStreamEncoder: (request) => new OpenAIResponsesStreamEncoder(request, remember),
  };
  return { kind: 'ready', body: served, codec, responses };
}
