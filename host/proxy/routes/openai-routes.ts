import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { resolveModel } from '../../pipeline/resolve-model.js';
import { forwardWithFailover } from '../../pipeline/forward-with-failover.js';
import { openAIProvider } from '../../providers/openai-provider.js';
import { sendUpstream } from '../../providers/upstream-client.js';
import { sendProxyError } from '../client-protocol.js';
import { proxyError } from '../proxy-error.js';
import type { ProxyDeps } from '../proxy-deps.js';
import { abortOnClientClose } from '../abort-on-client-close.js';
import { relayRejection, relaySuccess } from '../relay-upstream.js';

interface ChatBody {
  model: string;
  messages: unknown[];
  stream?: boolean;
  [key: string]: unknown;
}

function validateChatBody(body: unknown): ChatBody | string {
  if (typeof body !== 'object' || body === null || Array.isArray(body)) return 'The request body must be a JSON object.';
  const candidate = body as Record<string, unknown>;
  if (typeof candidate.model !== 'string' || candidate.model === '') return "'model' is required and must be a string.";
  if (!Array.isArray(candidate.messages)) return "'messages' is required and must be an array.";
  return candidate as ChatBody;
}

/** OpenAI Chat Completions and the model list, for clients whose base URL ends in `/v1`. */
export function openAIRoutes(deps: ProxyDeps) {
  return async function register(app: FastifyInstance): Promise<void> {
    app.post('/v1/chat/completions', async (request: FastifyRequest, reply: FastifyReply) => {
      const body = validateChatBody(request.body);
      if (typeof body === 'string') return sendProxyError(reply, 'openai', proxyError('invalid-request', body));
      const config = deps.config();
      const model = resolveModel(config.model_mapping, body.model);
      const trace = request.trace;
      trace.model = body.model;
      trace.mappedModel = model;
      trace.stream = body.stream === true;
      // Same protocol in and out: only the model is rewritten. Unmapped, the client's own JSON text
      // goes upstream as is (no re-serialisation of what was just parsed).
      const upstreamBody = model === body.model ? (request.rawJsonBody ?? JSON.stringify(body)) : JSON.stringify({ ...body, model });
      const signal = abortOnClientClose(request, reply);
      const accept = body.stream === true ? 'text/event-stream' : 'application/json';
      const outcome = await forwardWithFailover({
        pool: deps.pool,
        model,
        providers: ['openai'],
        signal,
        send: (account) => {
          trace.account = account.label;
          return sendUpstream(deps.upstream, {
            url: openAIProvider.chatCompletionsUrl(account),
            method: 'POST',
            headers: openAIProvider.headers(account, accept),
            body: upstreamBody,
            signal,
            timeoutMs: config.request_timeout_s * 1000,
          });
        },
      });
      trace.ttfbMs = Math.round((performance.now() - trace.started) * 10) / 10;
      if (outcome.kind === 'error') {
        trace.error = outcome.error.kind;
        return sendProxyError(reply, 'openai', outcome.error);
      }
      if (outcome.kind === 'rejected') return relayRejection(reply, 'openai', outcome);
      return relaySuccess(reply, outcome.response);
    });

    app.get('/v1/models', async () => {
      const created = Math.floor(Date.now() / 1000);
      const models = await deps.models.list();
      return { object: 'list', data: models.map((id) => ({ id, object: 'model', created, owned_by: 'localgate' })) };
    });
  };
}
