import { randomBytes } from 'node:crypto';
import Fastify, { LogController, type FastifyBaseLogger, type FastifyInstance } from 'fastify';
import { BodyCapture } from '../monitor/body-capture.js';
import { checkAuth } from './auth.js';
import { protocolForPath, sendProxyError } from './client-protocol.js';
import { kindForStatus, proxyError } from '../core/proxy-error.js';
import type { ProxyDeps } from '../core/proxy-deps.js';
import { NO_JSON_SCHEMA_COMPILERS } from '../core/no-json-schema-compilers.js';
import { keepRawJsonBody } from './raw-json-body.js';
import { monitorEntry } from './monitor-entry.js';
import { onReplyClosed, trackReplyClosed } from './reply-closed.js';
import { registerWebSafety } from './web-safety/web-safety.js';
import type { RequestTrace } from '../core/request-trace.js';
import { healthRoutes } from './routes/health.js';
import { notFoundMessage } from './routes/not-found.js';
import { openAIRoutes } from './routes/openai-routes.js';
import { anthropicRoutes } from './routes/anthropic-routes.js';
import { geminiRoutes } from './routes/gemini-routes.js';
import { imageRoutes } from './routes/image-routes.js';
import { telemetryRoutes } from './routes/telemetry-routes.js';

/** Claude Code sends 100–500 KB bodies; leave ample room while still bounding memory. */
export const BODY_LIMIT_BYTES = 32 * 1024 * 1024;

/**
 * Wires the client-facing proxy without listening (tests use `inject`; ProxyListener binds it).
 * Hooks run in order: auth (onRequest, before the body is even read), then the route.
 */
export function buildProxyServer(deps: ProxyDeps, options: { logger?: FastifyBaseLogger | false } = {}): FastifyInstance {
  // Request ids name monitor entries in the request log, which outlives this instance: Fastify's
  // own `req-1, req-2…` restarts with every proxy start, so each instance gets a random prefix.
  const idPrefix = randomBytes(4).toString('hex');
  let requestCount = 0;
  const bodyLimitMb = deps.config().max_body_mb;
  const app = Fastify({
    ...NO_JSON_SCHEMA_COMPILERS,
    genReqId: () => `${idPrefix}-${(++requestCount).toString(36)}`,
    ...(options.logger ? { loggerInstance: options.logger } : { logger: false }),
    // Per-request log lines would cost on every request; the monitor records requests instead.
    logController: new LogController({ disableRequestLogging: true }),
    bodyLimit: bodyLimitMb * 1024 * 1024,
    // Stopping the proxy must free the port promptly: idle keep-alive sockets close at once,
    // in-flight requests finish (ProxyListener bounds that wait).
    forceCloseConnections: 'idle',
    return503OnClosing: true,
  });

  keepRawJsonBody(app);
  trackReplyClosed(app);
  app.decorateRequest('trace', null as unknown as RequestTrace);
  // Hooks take `done` rather than being async: an async hook costs a promise and a trip through
  // the microtask queue per hook and request, for work that never waits.
  app.addHook('onRequest', (request, reply, done) => {
    const path = request.url.split('?', 1)[0]!;
    const health = path === '/healthz' || path === '/health';
    request.trace = { id: request.id, time: Date.now(), started: performance.now(), protocol: health ? 'health' : protocolForPath(request.url) };
    // Health checks are polled constantly by tools; they would drown the monitor.
    if (deps.monitor && !health) {
      const monitor = deps.monitor;
      const config = deps.config();
      if (config.monitor_capture_bodies) request.trace.capture = new BodyCapture(config.monitor_body_limit_bytes);
      onReplyClosed(reply, () =>
        monitor.push(monitorEntry(request.trace, request.method, path, reply.raw.statusCode, reply.raw.writableFinished, request.rawJsonBody)),
      );
    }
    done();
  });
  // What `reply.send` writes (errors, translated JSON); hijacked relays capture their own chunks.
  app.addHook('onSend', (request, _reply, payload, done) => {
    if (request.trace?.capture && (typeof payload === 'string' || Buffer.isBuffer(payload))) request.trace.capture.push(payload);
    done(null, payload);
  });
  registerWebSafety(app, deps.config);
  // Auth runs after CORS (registered above, so its hook is added once it has loaded): a browser
  // client must be able to read the 401.
  app.after(() => {
    app.addHook('onRequest', (request, reply, done) => {
      const failure = checkAuth(deps.config(), request.method, request.url, request.headers);
      // Answered here: the chain stops without `done`.
      if (failure) sendProxyError(reply, protocolForPath(request.url), failure);
      else done();
    });
  });

  app.setNotFoundHandler((request, reply) => {
    const origin = `http://${request.headers.host ?? `127.0.0.1:${deps.config().port}`}`;
    return sendProxyError(reply, protocolForPath(request.url), proxyError('not-found', notFoundMessage(request.method, request.url, origin)));
  });

  // Errors Fastify raises itself (malformed JSON, body too large, wrong content type) and anything
  // unexpected: answered in the client's protocol, without internals.
  app.setErrorHandler((error: Error & { statusCode?: number; code?: string }, request, reply) => {
    const status = error.statusCode && error.statusCode >= 400 && error.statusCode < 600 ? error.statusCode : 500;
    if (status >= 500) request.log.error({ err: error }, 'proxy error');
    const message =
      error.code === 'FST_ERR_CTP_BODY_TOO_LARGE'
        ? `The request body is larger than ${bodyLimitMb} MB (max_body_mb).`
        : error.code === 'FST_ERR_CTP_INVALID_JSON_BODY' || error instanceof SyntaxError
          ? `The request body is not valid JSON: ${error.message}`
          : status >= 500
            ? 'Internal proxy error.'
            : error.message;
    return sendProxyError(reply, protocolForPath(request.url), proxyError(kindForStatus(status), message, status));
  });

  app.register(healthRoutes);
  app.register(openAIRoutes(deps));
  app.register(imageRoutes(deps));
  app.register(anthropicRoutes(deps));
  app.register(geminiRoutes(deps));
  app.register(telemetryRoutes);
  return app;
}
