import type { IrEmbeddingRequest, IrEmbeddingResponse } from '../../ir/ir-embeddings.js';
import { CodecError } from '../codec-types.js';

/**
 * Gemini `models/{model}:embedContent` (one content) and `:batchEmbedContents` (several), both ways.
 * EmbedContentRequest: `{model?, content: {parts: [{text}]}, taskType?, title?, outputDimensionality?}`;
 * batch: `{requests: [EmbedContentRequest with model]}`.
 * Answers: `{embedding: {values}}` and `{embeddings: [{values}]}`; newer models add
 * `usageMetadata.promptTokenCount`.
 * @see https://ai.google.dev/api/embeddings
 */
export type GeminiEmbedMethod = 'embedContent' | 'batchEmbedContents';

const isRecord = (value: unknown): value is Record<string, unknown> => typeof value === 'object' && value !== null && !Array.isArray(value);

/** The text of one EmbedContentRequest's content; other parts (images…) have no OpenAI form. */
function contentText(request: Record<string, unknown>, where: string): string {
  const content = request.content;
  if (!isRecord(content) || !Array.isArray(content.parts)) throw new CodecError(`${where}.content.parts is required`, `${where}.content`);
  const texts: string[] = [];
  for (const part of content.parts) {
    if (isRecord(part) && typeof part.text === 'string') texts.push(part.text);
    else throw new CodecError(`${where}.content has a part that is not text: only text can be embedded by the account serving this model`, `${where}.content`);
  }
  return texts.join('\n');
}

/** The client's request → IR, for an account of another family. */
export function decodeGeminiEmbedRequest(body: unknown, method: GeminiEmbedMethod, model: string): IrEmbeddingRequest {
  if (!isRecord(body)) throw new CodecError('The request body must be a JSON object');
  let requests: Record<string, unknown>[];
  if (method === 'embedContent') requests = [body];
  else {
    if (!Array.isArray(body.requests) || body.requests.length === 0) throw new CodecError('`requests` is required and must be a non-empty array', 'requests');
    requests = body.requests.map((item, index) => {
      if (!isRecord(item)) throw new CodecError(`requests[${index}] must be an object`, 'requests');
      return item;
    });
  }
  const where = (index: number) => (method === 'embedContent' ? 'EmbedContentRequest' : `requests[${index}]`);
  const request: IrEmbeddingRequest = { model, inputs: requests.map((item, index) => contentText(item, where(index))), warnings: [] };
  // One setting per request in Gemini, one per call elsewhere: the first request's settings apply.
  const first = requests[0]!;
  if (typeof first.outputDimensionality === 'number') request.dimensions = first.outputDimensionality;
  if (typeof first.taskType === 'string') request.taskType = first.taskType;
  if (typeof first.title === 'string') request.title = first.title;
  const differs = requests.some((item) => item.outputDimensionality !== first.outputDimensionality || item.taskType !== first.taskType);
  if (differs) request.warnings.push({ type: 'coerced', feature: 'requests', details: "the first request's outputDimensionality and taskType apply to every input" });
  return request;
}

/** Google's limit: "at most 100 requests can be in one batch". */
export const GEMINI_BATCH_LIMIT = 100;

/**
 * IR → the upstream calls: `embedContent` for one input, `batchEmbedContents` for several, in
 * batches of at most GEMINI_BATCH_LIMIT (OpenAI clients send up to 2048 inputs at once).
 */
export function encodeGeminiEmbedRequest(request: IrEmbeddingRequest, model: string): Array<{ method: GeminiEmbedMethod; body: Record<string, unknown> }> {
  if (request.user !== undefined) request.warnings.push({ type: 'dropped', feature: 'user', details: 'Gemini embeddings have no end-user id' });
  const resource = `models/${model}`;
  const one = (text: string): Record<string, unknown> => ({
    model: resource,
    content: { parts: [{ text }] },
    ...(request.taskType !== undefined ? { taskType: request.taskType } : {}),
    ...(request.title !== undefined ? { title: request.title } : {}),
    ...(request.dimensions !== undefined ? { outputDimensionality: request.dimensions } : {}),
  });
  if (request.inputs.length === 1) return [{ method: 'embedContent', body: one(request.inputs[0]!) }];
  const calls: Array<{ method: GeminiEmbedMethod; body: Record<string, unknown> }> = [];
  for (let start = 0; start < request.inputs.length; start += GEMINI_BATCH_LIMIT) {
    calls.push({ method: 'batchEmbedContents', body: { requests: request.inputs.slice(start, start + GEMINI_BATCH_LIMIT).map(one) } });
  }
  return calls;
}

export function decodeGeminiEmbedResponse(body: unknown): IrEmbeddingResponse {
  if (!isRecord(body)) throw new Error('The upstream answered an embeddings request with no JSON object');
  const values = (item: unknown): number[] => (isRecord(item) && Array.isArray(item.values) ? (item.values as number[]) : []);
  const vectors = Array.isArray(body.embeddings) ? body.embeddings.map(values) : isRecord(body.embedding) ? [values(body.embedding)] : undefined;
  if (!vectors) throw new Error('The upstream answered an embeddings request without `embedding` or `embeddings`');
  const usage = isRecord(body.usageMetadata) ? body.usageMetadata : {};
  return { model: '', vectors, ...(typeof usage.promptTokenCount === 'number' ? { inputTokens: usage.promptTokenCount } : {}), warnings: [] };
}

/** IR → the Gemini client's answer, in the shape of the method it called. */
export function encodeGeminiEmbedResponse(response: IrEmbeddingResponse, method: GeminiEmbedMethod): Record<string, unknown> {
  const usage = response.inputTokens !== undefined ? { usageMetadata: { promptTokenCount: response.inputTokens } } : {};
  if (method === 'embedContent') return { embedding: { values: response.vectors[0] ?? [] }, ...usage };
  return { embeddings: response.vectors.map((values) => ({ values })), ...usage };
}

/**
 * A Gemini client's batch for a Gemini account under another model name (model mapping): each
 * request names its model too, and must name the one the URL serves, not the client's.
 */
export function batchWithModel(body: Record<string, unknown>, model: string): Record<string, unknown> {
  if (!Array.isArray(body.requests)) return body;
  return { ...body, requests: body.requests.map((item) => (isRecord(item) ? { ...item, model: `models/${model}` } : item)) };
}
