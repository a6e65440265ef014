import type { FastifyInstance } from 'fastify';

/**
 * Claude Code posts telemetry to its base URL (`/api/event_logging/batch`). Answered here with
 * an empty 200 so it never reaches an upstream nor fills logs with 404s.
 */
export async function telemetryRoutes(app: FastifyInstance): Promise<void> {
  app.post('/api/event_logging/*', async () => ({}));
}
