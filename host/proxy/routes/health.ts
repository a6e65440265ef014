import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';

const HEALTHY = '{"status":"ok"}';

/** `/healthz`, `/health` and `HEAD /`: the shortest closed loop; touches no account, model or upstream. */
export async function healthRoutes(app: FastifyInstance): Promise<void> {
  // The answer never changes: written as ready-made bytes, with nothing to serialise.
  const handler = async (_request: FastifyRequest, reply: FastifyReply) => reply.type('application/json; charset=utf-8').send(HEALTHY);
  app.get('/healthz', handler);
  app.get('/health', handler);
  // Claude Code probes its base URL with `HEAD /` at start-up; a 404 there reads as "wrong URL".
  app.head('/', async (_request, reply) => reply.code(200).send());
}
