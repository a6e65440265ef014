import type { FastifyInstance } from 'fastify';

/** `/healthz` and `/health`: the shortest closed loop; touches no account, model or upstream. */
export async function healthRoutes(app: FastifyInstance): Promise<void> {
  const schema = {
    response: {
      200: { type: 'object', properties: { status: { type: 'string' } }, required: ['status'] },
    },
  };
  const handler = async () => ({ status: 'ok' });
  app.get('/healthz', { schema }, handler);
  app.get('/health', { schema }, handler);
}
