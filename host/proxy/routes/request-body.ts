import type { FastifyRequest } from 'fastify';

/** The body as a JSON object, or undefined when it is anything else. */
export function objectBody(request: FastifyRequest): Record<string, unknown> | undefined {
  const body = request.body;
  return typeof body === 'object' && body !== null && !Array.isArray(body) ? (body as Record<string, unknown>) : undefined;
}

/**
 * The client's body with only `model` changed. Unmapped, the client's own JSON text goes on as
 * is: nothing re-serialised, numbers and unknown fields byte-exact.
 */
export function bodyWithModel(request: FastifyRequest, body: Record<string, unknown>, model: string): string {
  if (body.model === model && request.rawJsonBody !== undefined) return request.rawJsonBody;
  return JSON.stringify({ ...body, model });
}
