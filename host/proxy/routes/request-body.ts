import type { FastifyRequest } from 'fastify';
import { proxyError, type ProxyError } from '../../core/proxy-error.js';
import type { PassThroughBody } from '../../providers/upstream-provider.js';

/** The body as a JSON object, or undefined when it is anything else. */
export function objectBody(request: FastifyRequest): Record<string, unknown> | undefined {
  const body = request.body;
  return typeof body === 'object' && body !== null && !Array.isArray(body) ? (body as Record<string, unknown>) : undefined;
}

/**
 * An OpenAI request's body: a JSON object naming its model, or the 400 an OpenAI client gets for
 * anything else (every OpenAI route checks the same two things first).
 */
export function openAIModelBody(request: FastifyRequest): { body: Record<string, unknown> & { model: string } } | { error: ProxyError } {
  const body = objectBody(request);
  if (!body) return { error: proxyError('invalid-request', 'The request body must be a JSON object.') };
  if (typeof body.model !== 'string' || body.model === '') return { error: proxyError('invalid-request', "'model' is required and must be a string.") };
  return { body: body as Record<string, unknown> & { model: string } };
}

/**
 * The client's own request for a same-family upstream. Its JSON text goes along only when the
 * body is what it sent (not `rewritten`, e.g. with foreign signatures removed), to be passed on
 * byte-exact.
 */
export function passThroughOf(request: FastifyRequest, body: Record<string, unknown>, rewritten?: Record<string, unknown>): PassThroughBody {
  return rewritten ? { body: rewritten } : { body, rawText: request.rawJsonBody, rawBytes: request.rawJsonBytes };
}
