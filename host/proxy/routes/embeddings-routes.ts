import type { FastifyReply, FastifyRequest } from 'fastify';
import {
  batchWithModel,
  decodeGeminiEmbedRequest,
  decodeOpenAIEmbeddingsRequest,
  encodeGeminiEmbedResponse,
  encodeOpenAIEmbeddingsResponse,
  type GeminiEmbedMethod,
} from '../../codecs/embeddings/index.js';
import { proxyError } from '../../core/proxy-error.js';
import type { ProxyDeps } from '../../core/proxy-deps.js';
import { bareGeminiModel } from '../../providers/gemini-provider.js';
import { sendProxyError } from '../client-protocol.js';
import { respondToEmbeddings } from '../respond-to-embeddings.js';
import { objectBody, openAIModelBody, passThroughOf } from './request-body.js';

/** OpenAI `POST /v1/embeddings`. */
export async function openAIEmbeddings(deps: ProxyDeps, request: FastifyRequest, reply: FastifyReply): Promise<FastifyReply | void> {
  const checked = openAIModelBody(request);
  if ('error' in checked) return sendProxyError(reply, 'openai', checked.error);
  const body = checked.body;
  if (body.input === undefined || body.input === null) return sendProxyError(reply, 'openai', proxyError('invalid-request', "'input' is required: a string or an array of strings."));
  return respondToEmbeddings(request, reply, deps, {
    family: 'openai',
    model: body.model,
    decode: () => decodeOpenAIEmbeddingsRequest(body),
    encodeResponse: encodeOpenAIEmbeddingsResponse,
    passThrough: passThroughOf(request, body),
  });
}

/** Gemini `models/{model}:embedContent` and `:batchEmbedContents` (routed by gemini-routes.ts, which owns the path). */
export async function geminiEmbeddings(deps: ProxyDeps, request: FastifyRequest, reply: FastifyReply, model: string, method: GeminiEmbedMethod): Promise<FastifyReply | void> {
  const body = objectBody(request);
  if (!body) return sendProxyError(reply, 'gemini', proxyError('invalid-request', 'The request body must be a JSON object.'));
  const bare = bareGeminiModel(model);
  return respondToEmbeddings(request, reply, deps, {
    family: 'gemini',
    model: bare,
    decode: () => decodeGeminiEmbedRequest(body, method, bare),
    encodeResponse: (response) => encodeGeminiEmbedResponse(response, method),
    passThrough: {
      ...passThroughOf(request, body),
      geminiMethod: method,
      ...(method === 'batchEmbedContents' ? { withModel: (served: string) => batchWithModel(body, bareGeminiModel(served)) } : {}),
    },
  });
}
