import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { sendProxyError } from '../client-protocol.js';
import { respondToGeneration } from '../respond-to-generation.js';
import { proxyError } from '../../core/proxy-error.js';
import type { ProxyDeps } from '../../core/proxy-deps.js';
import { loadCodecs } from '../../pipeline/lazy-codecs.js';
import { openAIEmbeddings } from './embeddings-routes.js';
import { anthropicModelPage } from './model-list-pages.js';
import { openAIModelBody, passThroughOf } from './request-body.js';

/** OpenAI Chat Completions, Responses, legacy completions, embeddings and the model list, for clients whose base URL ends in `/v1`. */
export function openAIRoutes(deps: ProxyDeps) {
  return async function register(app: FastifyInstance): Promise<void> {
    app.post('/v1/chat/completions', async (request, reply) => {
      const checked = openAIModelBody(request);
      if ('error' in checked) return sendProxyError(reply, 'openai', checked.error);
      const body = checked.body;
      if (!Array.isArray(body.messages)) return sendProxyError(reply, 'openai', proxyError('invalid-request', "'messages' is required and must be an array."));
      return respondToGeneration(request, reply, deps, {
        protocol: 'openai-chat',
        model: body.model,
        stream: body.stream === true,
        body,
        decodeContext: { headers: request.headers },
        passThrough: { family: 'openai', ...passThroughOf(request, body) },
      });
    });

    // Responses clients (Codex, `client.responses.create`) are always translated: many
    // OpenAI-compatible upstreams have no /responses, so they get Chat Completions. Localgate
    // keeps the conversation state itself (previous_response_id), so no upstream needs to.
    const responses = async (request: FastifyRequest, reply: FastifyReply) => {
      const checked = openAIModelBody(request);
      if ('error' in checked) return sendProxyError(reply, 'openai', checked.error);
      const body = checked.body;
      // Always translated: the translation core (with the Responses store's conversations) is needed.
      const { withStoredConversation } = await loadCodecs();
      const conversation = withStoredConversation(deps.responses, deps.config(), body, request.rawJsonBytes?.length ?? 0);
      if (conversation.kind === 'error') return sendProxyError(reply, 'openai', conversation.error);
      return respondToGeneration(request, reply, deps, {
        protocol: 'openai-responses',
        codec: conversation.codec,
        model: body.model,
        stream: body.stream === true,
        body: conversation.body,
        decodeContext: { headers: request.headers, responses: conversation.responses },
      });
    };
    app.post('/v1/responses', responses);
    app.post('/responses', responses);

    // Legacy completions (editors' autocompletion): as sent to OpenAI-compatible accounts that
    // have /completions; translated to chat for the rest, and for those that answer it 404.
    app.post('/v1/completions', async (request, reply) => {
      const checked = openAIModelBody(request);
      if ('error' in checked) return sendProxyError(reply, 'openai', checked.error);
      const body = checked.body;
      if (body.prompt === undefined || body.prompt === null) return sendProxyError(reply, 'openai', proxyError('invalid-request', "'prompt' is required."));
      return respondToGeneration(request, reply, deps, {
        protocol: 'openai-completions',
        model: body.model,
        stream: body.stream === true,
        body,
        decodeContext: { headers: request.headers },
        passThrough: { family: 'openai', ...passThroughOf(request, body), endpoint: 'legacy-completions' },
      });
    });

    app.post('/v1/embeddings', (request, reply) => openAIEmbeddings(deps, request, reply));

    // One path, two shapes: Anthropic clients send `anthropic-version`, OpenAI clients do not.
    app.get('/v1/models', async (request) => {
      const models = await deps.models.list();
      if (request.headers['anthropic-version']) {
        const page = anthropicModelPage(models, request.query as Record<string, unknown>);
        const data = page.ids.map((id) => ({ type: 'model', id, display_name: id, created_at: '1970-01-01T00:00:00Z' }));
        return { data, has_more: page.has_more, first_id: data[0]?.id ?? null, last_id: data.at(-1)?.id ?? null };
      }
      const created = Math.floor(Date.now() / 1000);
      return { object: 'list', data: models.map((id) => ({ id, object: 'model', created, owned_by: 'localgate' })) };
    });
  };
}
