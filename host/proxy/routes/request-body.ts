import type { FastifyRequest } from 'fastify';
import type { PassThroughBody } from '../../providers/upstream-provider.js';

/** The body as a JSON object, or undefined when it is anything else. */
export function objectBody(request: FastifyRequest): Record<string, unknown> | undefined {
  const body = request.body;
  return typeof body === 'object' && body !== null && !Array.isArray(body) ? (body as Record<string, unknown>) : undefined;
}

/**
 * The client's own request for a same-family upstream. Its JSON text goes along only when the
 * body is what it sent (not `rewritten`, e.g. with foreign signatures removed), to be passed on
 * byte-exact.
 */
export function passThroughOf(request: FastifyRequest, body: Record<string, unknown>, rewritten?: Record<string, unknown>): PassThroughBody {
  return rewritten ? { body: rewritten } : { body, rawText: request.rawJsonBody, rawBytes: request.rawJsonBytes };
}
