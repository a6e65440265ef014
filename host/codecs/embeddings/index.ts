import type { IrEmbeddingRequest, IrEmbeddingResponse } from '../../ir/ir-embeddings.js';
import type { UpstreamFamily } from '../codec-types.js';
import { decodeGeminiEmbedResponse, encodeGeminiEmbedRequest, type GeminiEmbedMethod } from './gemini-embeddings.js';
import { decodeOpenAIEmbeddingsResponse, encodeOpenAIEmbeddingsRequest } from './openai-embeddings.js';

/** One upstream family's embeddings API: the body to send (and, for Gemini, which method) and how to read the answer. */
export interface EmbeddingsUpstreamCodec {
  encodeRequest(request: IrEmbeddingRequest, model: string): { body: Record<string, unknown>; geminiMethod?: GeminiEmbedMethod };
  /** Throws a plain Error for a body that is not an embeddings answer. */
  decodeResponse(body: unknown): IrEmbeddingResponse;
}

/** The families with an embeddings API. Anthropic has none: its accounts never serve embeddings. */
export const EMBEDDINGS_UPSTREAM_CODECS: Partial<Record<UpstreamFamily, EmbeddingsUpstreamCodec>> = {
  openai: { encodeRequest: (request, model) => ({ body: encodeOpenAIEmbeddingsRequest(request, model) }), decodeResponse: decodeOpenAIEmbeddingsResponse },
  gemini: {
    encodeRequest: (request, model) => {
      const { method, body } = encodeGeminiEmbedRequest(request, model);
      return { body, geminiMethod: method };
    },
    decodeResponse: decodeGeminiEmbedResponse,
  },
};

export { decodeOpenAIEmbeddingsRequest, encodeOpenAIEmbeddingsResponse } from './openai-embeddings.js';
export { batchWithModel, decodeGeminiEmbedRequest, encodeGeminiEmbedResponse, type GeminiEmbedMethod } from './gemini-embeddings.js';
