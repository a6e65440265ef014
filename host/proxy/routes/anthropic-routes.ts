import type { FastifyInstance } from 'fastify';
import { serveCountTokens } from '../../pipeline/serve-count-tokens.js';
import { withoutForeignAnthropicThinking } from '../../pipeline/foreign-signatures.js';
import { sendProxyError } from '../client-protocol.js';
import { respondToGeneration } from '../respond-to-generation.js';
import { proxyError } from '../../core/proxy-error.js';
import type { ProxyDeps } from '../../core/proxy-deps.js';
import { objectBody, passThroughOf } from './request-body.js';

/** Anthropic Messages (`?beta=true` included: the query does not change the route) and count_tokens. */
export function anthropicRoutes(deps: ProxyDeps) {
  return async function register(app: FastifyInstance): Promise<void> {
    app.post('/v1/messages', async (request, reply) => {
      const body = objectBody(request);
      if (!body) return sendProxyError(reply, 'anthropic', proxyError('invalid-request', 'The request body must be a JSON object.'));
      if (typeof body.model !== 'string' || body.model === '') return sendProxyError(reply, 'anthropic', proxyError('invalid-request', 'model: Field required'));
      if (!Array.isArray(body.messages)) return sendProxyError(reply, 'anthropic', proxyError('invalid-request', 'messages: Field required'));
      const withoutForeign = withoutForeignAnthropicThinking(body, request.rawJsonBody);
      return respondToGeneration(request, reply, deps, {
        protocol: 'anthropic',
        model: body.model,
        stream: body.stream === true,
        body,
        decodeContext: { headers: request.headers },
        passThrough: { family: 'anthropic', ...passThroughOf(request, body, withoutForeign) },
      });
    });

    app.post('/v1/messages/count_tokens', async (request, reply) => {
      const body = objectBody(request);
      if (!body || typeof body.model !== 'string' || !Array.isArray(body.messages)) {
        return sendProxyError(reply, 'anthropic', proxyError('invalid-request', 'count_tokens needs a JSON body with model and messages.'));
      }
      const result = await serveCountTokens(
        deps,
        {
          protocol: 'anthropic',
          model: body.model,
          // The codec requires max_tokens for messages; a count request has none.
          body: { max_tokens: 1, ...body },
          decodeContext: { headers: request.headers },
          passThrough: passThroughOf(request, body),
        },
        request.trace,
      );
      return result.kind === 'error' ? sendProxyError(reply, 'anthropic', result.error) : reply.send({ input_tokens: result.tokens });
    });
  };
}
