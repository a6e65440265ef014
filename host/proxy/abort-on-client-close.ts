import type { FastifyReply, FastifyRequest } from 'fastify';

/**
 * A signal that fires when the client goes away before the reply is complete, so the upstream
 * request (and its socket) is cancelled at once instead of streaming into the void.
 * (`close` on the response fires both on completion and on a dropped connection; only an
 * unfinished reply means the client left.)
 */
export function abortOnClientClose(_request: FastifyRequest, reply: FastifyReply): AbortSignal {
  const controller = new AbortController();
  reply.raw.once('close', () => {
    if (!reply.raw.writableFinished) controller.abort();
  });
  return controller.signal;
}
