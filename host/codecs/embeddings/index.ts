import type { IrEmbeddingRequest, IrEmbeddingResponse } from '../../ir/ir-embeddings.js';
import type { UpstreamFamily } from '../codec-types.js';
import { decodeGeminiEmbedResponse, encodeGeminiEmbedRequest, type GeminiEmbedMethod } from './gemini-embeddings.js';
import { decodeOpenAIEmbeddingsResponse, encodeOpenAIEmbeddingsRequest } from './openai-embeddings.js';

/** One upstream family's embeddings API: the body to send (and, for Gemini, which method) and how to read the answer. */
export interface EmbeddingsUpstreamCodec {
  /** One call, or several when the family takes fewer inputs per call than the client sent (their answers joined in order). */
  encodeRequest(request: IrEmbeddingRequest, model: string): Array<{ body: Record<string, unknown>; geminiMethod?: GeminiEmbedMethod }>;
  /** Throws a plain Error for a body that is not an embeddings answer. */
  decodeResponse(body: unknown): IrEmbeddingResponse;
}

/** The families with an embeddings API. Anthropic has none: its accounts never serve embeddings. */
export const EMBEDDINGS_UPSTREAM_CODECS: Partial<Record<UpstreamFamily, EmbeddingsUpstreamCodec>> = {
  openai: { encodeRequest: (request, model) => [{ body: encodeOpenAIEmbeddingsRequest(request, model) }], decodeResponse: decodeOpenAIEmbeddingsResponse },
  gemini: {
    encodeRequest: (request, model) => encodeGeminiEmbedRequest(request, model).map(({ method, body }) => ({ body, geminiMethod: method })),
    decodeResponse: decodeGeminiEmbedResponse,
  },
};

/** The answers of one request's calls, in order, as one: the usage is known only if every call reported it. */
export function joinEmbeddingAnswers(answers: readonly IrEmbeddingResponse[]): IrEmbeddingResponse {
  const [first, ...rest] = answers;
  if (!first || rest.length === 0) return first ?? { model: '', vectors: [], warnings: [] };
  const tokens = answers.every((answer) => answer.inputTokens !== undefined) ? answers.reduce((sum, answer) => sum + answer.inputTokens!, 0) : undefined;
  return {
    model: first.model,
    vectors: answers.flatMap((answer) => answer.vectors),
    ...(tokens !== undefined ? { inputTokens: tokens } : {}),
    warnings: answers.flatMap((answer) => answer.warnings),
  };
}

export { decodeOpenAIEmbeddingsRequest, encodeOpenAIEmbeddingsResponse } from './openai-embeddings.js';
export { batchWithModel, decodeGeminiEmbedRequest, encodeGeminiEmbedResponse, type GeminiEmbedMethod } from './gemini-embeddings.js';
