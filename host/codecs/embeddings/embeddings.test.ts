import OpenAI from 'openai';
import { describe, expect, it } from 'vitest';
import { CodecError } from '../codec-types.js';
import { base64ToFloat32, float32ToBase64 } from './float32-base64.js';
import { decodeGeminiEmbedRequest, decodeGeminiEmbedResponse, encodeGeminiEmbedRequest, encodeGeminiEmbedResponse } from './gemini-embeddings.js';
import { decodeOpenAIEmbeddingsRequest, decodeOpenAIEmbeddingsResponse, encodeOpenAIEmbeddingsRequest, encodeOpenAIEmbeddingsResponse } from './openai-embeddings.js';

describe('OpenAI embeddings codec', () => {
  it("writes base64 the openai SDK decodes to the same float32 values (its default format)", async () => {
    const vector = [0.0057293195, -0.012727811, 0.020042092, 1, -1, 0].map(Math.fround);
    const answer = encodeOpenAIEmbeddingsResponse({ model: 'm', vectors: [vector], inputTokens: 4, warnings: [] }, { model: 'm', inputs: ['x'], encodingFormat: 'base64', warnings: [] });
    const client = new OpenAI({
      apiKey: 'sk-test',
      baseURL: 'http://localhost.invalid/v1',
      maxRetries: 0,
      fetch: async () => new Response(JSON.stringify(answer), { status: 200, headers: { 'content-type': 'application/json' } }),
    });
    const decoded = await client.embeddings.create({ model: 'm', input: 'x' });
    expect(Array.from(decoded.data[0]!.embedding)).toEqual(vector);
    expect(decoded.usage).toEqual({ prompt_tokens: 4, total_tokens: 4 });
    expect(base64ToFloat32(float32ToBase64(vector))).toEqual(vector);
  });

  it('reads a request: string or strings, dimensions, format; refuses token ids and bad values', () => {
    expect(decodeOpenAIEmbeddingsRequest({ model: 'm', input: 'a', dimensions: 8, encoding_format: 'float', user: 'u' })).toEqual({ model: 'm', inputs: ['a'], dimensions: 8, encodingFormat: 'float', user: 'u', warnings: [] });
    expect(decodeOpenAIEmbeddingsRequest({ model: 'm', input: ['a', 'b'] }).inputs).toEqual(['a', 'b']);
    expect(() => decodeOpenAIEmbeddingsRequest({ model: 'm', input: [1, 2] })).toThrow(/token ids/);
    expect(() => decodeOpenAIEmbeddingsRequest({ model: 'm', input: [] })).toThrow(CodecError);
    expect(() => decodeOpenAIEmbeddingsRequest({ model: 'm', input: 'a', dimensions: 0 })).toThrow(/dimensions/);
    expect(() => decodeOpenAIEmbeddingsRequest({ model: 'm', input: 'a', encoding_format: 'int8' })).toThrow(/encoding_format/);
  });

  it("places vectors by their index and reads base64 answers; drops Gemini's task type with a warning", () => {
    const answer = decodeOpenAIEmbeddingsResponse({
      object: 'list',
      data: [
        { object: 'embedding', index: 1, embedding: float32ToBase64([0.5]) },
        { object: 'embedding', index: 0, embedding: [0.25] },
      ],
      model: 'text-embedding-3-small',
      usage: { prompt_tokens: 7, total_tokens: 7 },
    });
    expect(answer).toEqual({ model: 'text-embedding-3-small', vectors: [[0.25], [0.5]], inputTokens: 7, warnings: [] });
    const request = { model: 'm', inputs: ['a'], taskType: 'RETRIEVAL_QUERY', warnings: [] };
    expect(encodeOpenAIEmbeddingsRequest(request, 'text-embedding-3-small')).toEqual({ model: 'text-embedding-3-small', input: ['a'], encoding_format: 'float' });
    expect(request.warnings).toEqual([{ type: 'dropped', feature: 'taskType', details: 'OpenAI embeddings have no task type (RETRIEVAL_QUERY)' }]);
  });
});

describe('Gemini embeddings codec', () => {
  it('reads embedContent and batchEmbedContents requests; warns when batch settings differ', () => {
    expect(decodeGeminiEmbedRequest({ content: { parts: [{ text: 'a' }, { text: 'b' }] }, outputDimensionality: 16, taskType: 'CLUSTERING', title: 't' }, 'embedContent', 'g')).toEqual({
      model: 'g',
      inputs: ['a\nb'],
      dimensions: 16,
      taskType: 'CLUSTERING',
      title: 't',
      warnings: [],
    });
    const batch = decodeGeminiEmbedRequest({ requests: [{ content: { parts: [{ text: 'x' }] }, outputDimensionality: 8 }, { content: { parts: [{ text: 'y' }] } }] }, 'batchEmbedContents', 'g');
    expect(batch.inputs).toEqual(['x', 'y']);
    expect(batch.warnings.map((warning) => warning.type + '-' + warning.feature)).toEqual(['coerced-requests']);
    expect(() => decodeGeminiEmbedRequest({ content: { parts: [{ inlineData: { mimeType: 'image/png', data: '' } }] } }, 'embedContent', 'g')).toThrow(/not text/);
    expect(() => decodeGeminiEmbedRequest({ requests: [] }, 'batchEmbedContents', 'g')).toThrow(CodecError);
  });

  it('asks embedContent for one input and batchEmbedContents for several; reads both answers', () => {
    expect(encodeGeminiEmbedRequest({ model: 'm', inputs: ['a'], dimensions: 4, warnings: [] }, 'gemini-embedding-001')).toEqual([
      { method: 'embedContent', body: { model: 'models/gemini-embedding-001', content: { parts: [{ text: 'a' }] }, outputDimensionality: 4 } },
    ]);
    expect(encodeGeminiEmbedRequest({ model: 'm', inputs: ['a', 'b'], warnings: [] }, 'g')).toEqual([
      {
        method: 'batchEmbedContents',
        body: {
          requests: [
            { model: 'models/g', content: { parts: [{ text: 'a' }] } },
            { model: 'models/g', content: { parts: [{ text: 'b' }] } },
          ],
        },
      },
    ]);
    // Google takes at most 100 requests per batch.
    const many = encodeGeminiEmbedRequest({ model: 'm', inputs: Array.from({ length: 250 }, (_, index) => `t${index}`), warnings: [] }, 'g');
    expect(many.map((call) => (call.body.requests as unknown[]).length)).toEqual([100, 100, 50]);
    expect((many[1]!.body.requests as Array<{ content: { parts: Array<{ text: string }> } }>)[0]!.content.parts[0]!.text).toBe('t100');
    expect(decodeGeminiEmbedResponse({ embedding: { values: [1, 2] } }).vectors).toEqual([[1, 2]]);
    expect(decodeGeminiEmbedResponse({ embeddings: [{ values: [1] }, { values: [2] }], usageMetadata: { promptTokenCount: 12 } })).toEqual({ model: '', vectors: [[1], [2]], inputTokens: 12, warnings: [] });
    expect(() => decodeGeminiEmbedResponse({ candidates: [] })).toThrow();
  });

  it('answers in the shape of the method the client called', () => {
    const answer = { model: '', vectors: [[0.5], [0.25]], warnings: [] };
    expect(encodeGeminiEmbedResponse(answer, 'batchEmbedContents')).toEqual({ embeddings: [{ values: [0.5] }, { values: [0.25] }] });
    expect(encodeGeminiEmbedResponse({ ...answer, vectors: [[0.5]], inputTokens: 3 }, 'embedContent')).toEqual({ embedding: { values: [0.5] }, usageMetadata: { promptTokenCount: 3 } });
  });
});
