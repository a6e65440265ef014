import cors from '@fastify/cors';
import type { FastifyInstance } from 'fastify';
import type { ProxyConfig } from '../../../shared/config.js';
import { protocolForPath, sendProxyError } from '../client-protocol.js';
import { proxyError } from '../../core/proxy-error.js';
import { isAllowedHost } from './allowed-hosts.js';
import { isAllowedOrigin } from './allowed-origins.js';
import { WARNINGS_HEADER } from '../warnings-header.js';

/** Request headers the SDKs send from browsers; answered in preflights. */
const ALLOWED_HEADERS = [
  'authorization',
  'content-type',
  'x-api-key',
  'x-goog-api-key',
  'x-goog-api-client',
  'anthropic-version',
  'anthropic-beta',
  'anthropic-dangerous-direct-browser-access',
  'openai-organization',
  'openai-project',
  'openai-beta',
  'x-stainless-arch',
  'x-stainless-lang',
  'x-stainless-os',
  'x-stainless-package-version',
  'x-stainless-retry-count',
  'x-stainless-runtime',
  'x-stainless-runtime-version',
  'x-stainless-timeout',
  'x-stainless-helper-method',
  'x-stainless-async',
];

/**
 * The proxy's browser-facing guards, in hook order: Host check (DNS rebinding) and Origin check
 * (deny by default) refuse a request before anything else runs; then CORS answers preflights
 * (with Private Network Access) and stamps CORS headers on every reply, streams and errors
 * included, before auth runs — so a browser can read a 401.
 */
export function registerWebSafety(app: FastifyInstance, config: () => ProxyConfig): void {
  // A page may POST text/plain without a preflight (a "simple" CORS request); every API here takes
  // JSON, so any other body type is refused with 415 (Fastify's own error, in the client's format).
  app.removeContentTypeParser('text/plain');
  // `done` rather than async (no promise per request); a refusal is answered here and stops the chain.
  app.addHook('onRequest', (request, reply, done) => {
    const live = config();
    if (!isAllowedHost(request.headers.host, live)) {
      sendProxyError(reply, protocolForPath(request.url), proxyError('permission', `Host "${request.headers.host}" is not served by this Localgate proxy (DNS rebinding protection). With LAN access on, add it to allowed_hosts.`, 421));
      return;
    }
    const origin = request.headers.origin;
    if (origin !== undefined && !isAllowedOrigin(origin, live)) {
      sendProxyError(reply, protocolForPath(request.url), proxyError('permission', `Origin ${origin} may not call this Localgate proxy. Add it to cors_allowed_origins to allow it.`, 403));
      return;
    }
    if (request.method === 'OPTIONS' && request.headers['access-control-request-private-network'] === 'true') {
      reply.header('access-control-allow-private-network', 'true');
    }
    done();
  });
  // Origins reaching this point are allowed (or absent: not a browser), so CORS reflects them.
  app.register(cors, {
    origin: true,
    methods: ['GET', 'POST', 'OPTIONS'],
    allowedHeaders: ALLOWED_HEADERS,
    exposedHeaders: ['retry-after', 'x-request-id', 'content-type', WARNINGS_HEADER],
    maxAge: 600,
  });
}
