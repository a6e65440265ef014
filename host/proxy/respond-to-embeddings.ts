import type { FastifyReply, FastifyRequest } from 'fastify';
import type { ProxyDeps } from '../core/proxy-deps.js';
import { serveEmbeddings, type EmbeddingsCall } from '../pipeline/serve-embeddings.js';
import { sendProxyError } from './client-protocol.js';
import { relayRejection, relaySuccess } from './relay-upstream.js';
import { pipelineContext } from './pipeline-context.js';
import { setWarningsHeader } from './warnings-header.js';

/**
 * Serves an embeddings request (the pipeline decides the account, pass-through or translation,
 * failover) and writes the answer in the client's format: an error, an upstream's refusal, the
 * same-family upstream's bytes as they come, or the translated vectors.
 */
export async function respondToEmbeddings(request: FastifyRequest, reply: FastifyReply, deps: ProxyDeps, call: EmbeddingsCall): Promise<FastifyReply | void> {
  const format = call.family;
  const result = await serveEmbeddings(deps, call, pipelineContext(request, reply));
  setWarningsHeader(reply, request.trace.warnings);
  switch (result.kind) {
    case 'error':
      return sendProxyError(reply, format, result.error);
    case 'rejected':
      return relayRejection(reply, format, result);
    case 'pass-through':
      return relaySuccess(reply, result.response, format);
    case 'translated':
      return reply.code(200).type('application/json; charset=utf-8').send(result.body);
  }
}
