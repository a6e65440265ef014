import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { loadedCodecs } from '../../pipeline/lazy-codecs.js';
import { serveCountTokens } from '../../pipeline/serve-count-tokens.js';
import { withoutForeignGeminiSignatures } from '../../pipeline/foreign-signatures.js';
import { bareGeminiModel } from '../../providers/gemini-provider.js';
import { sendProxyError } from '../client-protocol.js';
import { respondToGeneration } from '../respond-to-generation.js';
import { proxyError } from '../../core/proxy-error.js';
import type { ProxyDeps } from '../../core/proxy-deps.js';
import { geminiEmbeddings } from './embeddings-routes.js';
import { geminiModelPage } from './model-list-pages.js';
import { objectBody, passThroughOf } from './request-body.js';

const METHODS = ['generateContent', 'streamGenerateContent', 'countTokens', 'embedContent', 'batchEmbedContents'] as const;
type GeminiMethod = (typeof METHODS)[number];

/** `gemini-2.5-flash:generateContent` → model and method (the colon is part of the path, not a param). */
function parseModelPath(rest: string): { model: string; method: GeminiMethod | undefined } {
  const colon = rest.lastIndexOf(':');
  if (colon === -1) return { model: decodeURIComponent(rest), method: undefined };
  const method = rest.slice(colon + 1);
  return { model: decodeURIComponent(rest.slice(0, colon)), method: METHODS.find((m) => m === method) };
}

function modelResource(id: string) {
  return {
    name: `models/${id}`,
    baseModelId: id,
    version: '001',
    displayName: id,
    description: `${id} (served by Localgate)`,
    supportedGenerationMethods: ['generateContent', 'streamGenerateContent', 'countTokens'],
  };
}

/** The Gemini API: model list and model, generateContent, streamGenerateContent (SSE or JSON array), countTokens, embedContent, batchEmbedContents. */
export function geminiRoutes(deps: ProxyDeps) {
  return async function register(app: FastifyInstance): Promise<void> {
    app.get('/v1beta/models', async (request) => {
      const page = geminiModelPage(await deps.models.list(), request.query as Record<string, unknown>);
      return page.nextPageToken ? { models: page.ids.map(modelResource), nextPageToken: page.nextPageToken } : { models: page.ids.map(modelResource) };
    });

    app.get('/v1beta/models/*', async (request: FastifyRequest, reply: FastifyReply) => {
      const { model } = parseModelPath((request.params as { '*': string })['*']);
      const models = await deps.models.list();
      if (!models.includes(model)) return sendProxyError(reply, 'gemini', proxyError('not-found', `models/${model} is not served by any account.`));
      return modelResource(model);
    });

    app.post('/v1beta/models/*', async (request: FastifyRequest, reply: FastifyReply) => {
      const { model, method } = parseModelPath((request.params as { '*': string })['*']);
      if (!method) return sendProxyError(reply, 'gemini', proxyError('not-found', `Unknown method in ${request.url.split('?')[0]}: use :generateContent, :streamGenerateContent, :countTokens, :embedContent or :batchEmbedContents.`));
      if (method === 'embedContent' || method === 'batchEmbedContents') return geminiEmbeddings(deps, request, reply, model, method);
      const body = objectBody(request);
      if (!body) return sendProxyError(reply, 'gemini', proxyError('invalid-request', 'The request body must be a JSON object.'));
      const withoutForeign = withoutForeignGeminiSignatures(body, request.rawJsonBody);
      const passThrough = passThroughOf(request, body, withoutForeign);
      const decodeContext = { headers: request.headers, model: bareGeminiModel(model), stream: method === 'streamGenerateContent' };
      if (method === 'countTokens') {
        // countTokens takes either `contents` or a whole `generateContentRequest`.
        const inner = objectBody({ body: body.generateContentRequest } as FastifyRequest) ?? body;
        const result = await serveCountTokens(
          deps,
          { protocol: 'gemini', model: bareGeminiModel(model), body: inner, decodeContext, passThrough },
          request.trace,
        );
        return result.kind === 'error' ? sendProxyError(reply, 'gemini', result.error) : reply.send({ totalTokens: result.tokens });
      }
      const stream = method === 'streamGenerateContent';
      const sse = (request.query as { alt?: string }).alt === 'sse';
      return respondToGeneration(
        request,
        reply,
        deps,
        {
          protocol: 'gemini',
          model: bareGeminiModel(model),
          stream,
          body,
          decodeContext,
          // The client's own stream form (SSE or JSON array) is asked of a Gemini upstream as is.
          passThrough: { family: 'gemini', ...passThrough, streamForm: sse ? 'sse' : 'json-array' },
        },
        // Called for a translated stream only, which loaded the translation core.
        { createStreamEncoder: (ir) => loadedCodecs().createGeminiStreamEncoder(ir, { sse }) },
      );
    });
  };
}
