import type { IrEmbeddingRequest, IrEmbeddingResponse } from '../../ir/ir-embeddings.js';
import type { IrWarning } from '../../ir/ir-warning.js';
import { CodecError } from '../codec-types.js';
import { base64ToFloat32, float32ToBase64 } from './float32-base64.js';

/**
 * OpenAI `POST /v1/embeddings`, both ways.
 * Request: `{model, input: string | string[] | number[] | number[][], dimensions?, encoding_format?: 'float' | 'base64', user?}`.
 * Response: `{object: 'list', data: [{object: 'embedding', index, embedding}], model, usage: {prompt_tokens, total_tokens}}`.
 * @see https://platform.openai.com/docs/api-reference/embeddings/create
 */

const isRecord = (value: unknown): value is Record<string, unknown> => typeof value === 'object' && value !== null && !Array.isArray(value);

/**
 * The client's request → IR, for an account of another family. Token-id inputs only mean
 * something to the tokenizer of the model they were made for: they are refused, not guessed at.
 */
export function decodeOpenAIEmbeddingsRequest(body: unknown): IrEmbeddingRequest {
  if (!isRecord(body)) throw new CodecError('The request body must be a JSON object');
  if (typeof body.model !== 'string' || body.model === '') throw new CodecError('`model` is required and must be a string', 'model');
  const input = body.input;
  const inputs = typeof input === 'string' ? [input] : Array.isArray(input) && input.every((item) => typeof item === 'string') ? (input as string[]) : undefined;
  if (!inputs) {
    const tokens = Array.isArray(input) && input.length > 0;
    throw new CodecError(
      tokens
        ? '`input` as token ids can only be sent to an OpenAI-compatible account (the account serving this model speaks another API): send text'
        : '`input` is required: a string or an array of strings',
      'input',
    );
  }
  if (inputs.length === 0) throw new CodecError('`input` must not be an empty array', 'input');
  const request: IrEmbeddingRequest = { model: body.model, inputs, warnings: [] };
  if (body.dimensions !== undefined && body.dimensions !== null) {
    if (!Number.isInteger(body.dimensions) || (body.dimensions as number) < 1) throw new CodecError('`dimensions` must be a positive integer', 'dimensions');
    request.dimensions = body.dimensions as number;
  }
  const format = body.encoding_format;
  if (format !== undefined && format !== null && format !== 'float' && format !== 'base64') throw new CodecError("`encoding_format` must be 'float' or 'base64'", 'encoding_format');
  if (format === 'float' || format === 'base64') request.encodingFormat = format;
  if (typeof body.user === 'string') request.user = body.user;
  return request;
}

/** IR → the upstream body. Vectors are asked as floats: they are re-encoded for the client anyway. */
export function encodeOpenAIEmbeddingsRequest(request: IrEmbeddingRequest, model: string): Record<string, unknown> {
  const dropped = (feature: string, details: string): IrWarning => ({ type: 'dropped', feature, details });
  if (request.taskType) request.warnings.push(dropped('taskType', `OpenAI embeddings have no task type (${request.taskType})`));
  if (request.title) request.warnings.push(dropped('title', 'OpenAI embeddings have no document title'));
  return {
    model,
    input: request.inputs,
    encoding_format: 'float',
    ...(request.dimensions !== undefined ? { dimensions: request.dimensions } : {}),
    ...(request.user !== undefined ? { user: request.user } : {}),
  };
}

export function decodeOpenAIEmbeddingsResponse(body: unknown): IrEmbeddingResponse {
  const data = isRecord(body) && Array.isArray(body.data) ? body.data : undefined;
  if (!isRecord(body) || !data) throw new Error('The upstream answered an embeddings request without `data`');
  const vectors: number[][] = [];
  data.forEach((item, position) => {
    const entry = isRecord(item) ? item : {};
    const index = typeof entry.index === 'number' ? entry.index : position;
    const embedding = entry.embedding;
    vectors[index] = typeof embedding === 'string' ? base64ToFloat32(embedding) : Array.isArray(embedding) ? (embedding as number[]) : [];
  });
  const usage = isRecord(body.usage) ? body.usage : {};
  return {
    model: typeof body.model === 'string' ? body.model : '',
    vectors,
    ...(typeof usage.prompt_tokens === 'number' ? { inputTokens: usage.prompt_tokens } : {}),
    warnings: [],
  };
}

/** IR → the client's answer, each vector as the client asked (`float` by default, `base64`). */
export function encodeOpenAIEmbeddingsResponse(response: IrEmbeddingResponse, request: IrEmbeddingRequest): Record<string, unknown> {
  const base64 = request.encodingFormat === 'base64';
  const tokens = response.inputTokens ?? 0;
  return {
    object: 'list',
    data: response.vectors.map((vector, index) => ({ object: 'embedding', index, embedding: base64 ? float32ToBase64(vector) : vector })),
    model: response.model || request.model,
    usage: { prompt_tokens: tokens, total_tokens: tokens },
  };
}
