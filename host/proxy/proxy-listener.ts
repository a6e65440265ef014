import type { FastifyInstance } from 'fastify';
import { LocalgateError } from '../../shared/errors.js';

/** How long a stop waits for in-flight requests before cutting their connections. */
export const GRACEFUL_STOP_MS = 5_000;

/**
 * Binds, releases and re-binds the proxy. A Fastify instance listens once, so every start builds
 * a fresh one; stopping closes the listener (the port is free when `stop` resolves).
 */
export class ProxyListener {
  #app: FastifyInstance | undefined;
  #address: { host: string; port: number } | undefined;

  constructor(private readonly build: () => FastifyInstance) {}

  get address(): { host: string; port: number } | undefined {
    return this.#address;
  }

  async start(host: string, port: number): Promise<void> {
    if (this.#app) await this.stop();
    const app = this.build();
    try {
      await app.listen({ host, port });
    } catch (error) {
      await app.close().catch(() => undefined);
      const reason = (error as NodeJS.ErrnoException).code ?? (error as Error).message;
      const detail = reason === 'EADDRINUSE' ? 'EADDRINUSE (address already in use; try another port)' : reason === 'EACCES' ? 'EACCES (permission denied; try a port above 1024)' : reason;
      throw new LocalgateError('BIND_FAILED', `Failed to start proxy server: failed to bind address ${host}:${port}: ${detail}`, { cause: error });
    }
    this.#app = app;
    this.#address = { host, port };
  }

  async stop(): Promise<void> {
    const app = this.#app;
    if (!app) return;
    this.#app = undefined;
    this.#address = undefined;
    // close() only drops the connections idle at that instant; a keep-alive connection whose
    // in-flight response ends later would hold the port for the keep-alive timeout, so idle ones
    // are swept as they appear, and whatever is still busy after the grace period is cut.
    const sweep = setInterval(() => app.server.closeIdleConnections(), 50);
    const deadline = setTimeout(() => app.server.closeAllConnections(), GRACEFUL_STOP_MS);
    try {
      await app.close();
    } finally {
      clearInterval(sweep);
      clearTimeout(deadline);
    }
  }
}
