import type { FastifyInstance } from 'fastify';

/** `/healthz`, `/health` and `HEAD /`: the shortest closed loop; touches no account, model or upstream. */
export async function healthRoutes(app: FastifyInstance): Promise<void> {
  const schema = {
    response: {
      200: { type: 'object', properties: { status: { type: 'string' } }, required: ['status'] },
    },
  };
  const handler = async () => ({ status: 'ok' });
  app.get('/healthz', { schema }, handler);
  app.get('/health', { schema }, handler);
  // Claude Code probes its base URL with `HEAD /` at start-up; a 404 there reads as "wrong URL".
  app.head('/', async (_request, reply) => reply.code(200).send());
}
