import type { FastifyRequest } from 'fastify';

/** The body as a JSON object, or undefined when it is anything else. */
export function objectBody(request: FastifyRequest): Record<string, unknown> | undefined {
  const body = request.body;
  return typeof body === 'object' && body !== null && !Array.isArray(body) ? (body as Record<string, unknown>) : undefined;
}
