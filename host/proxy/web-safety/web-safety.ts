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

/** What a preflight is told, and what a page may read of an answer (retry hints, translation warnings). */
const ALLOWED_METHODS = 'GET, POST, OPTIONS';
const ALLOWED_HEADERS_VALUE = ALLOWED_HEADERS.join(', ');
const EXPOSED_HEADERS = ['retry-after', 'x-request-id', 'content-type', WARNINGS_HEADER].join(', ');
const PREFLIGHT_MAX_AGE_S = '600';

/**
 * The proxy's browser-facing guards, in one hook: Host check (DNS rebinding) and Origin check
 * (deny by default) refuse a request before anything else runs; then CORS answers preflights
 * (with Private Network Access) and stamps CORS headers on every reply, streams and errors
 * included, before auth runs — so a browser can read a 401.
 *
 * CORS is these few lines rather than @fastify/cors: the plugin copied its options, built
 * closures and parsed the Vary header on every request, and added a hook of its own, for headers
 * that only a browser (which always sends Origin) reads.
 */
export function registerWebSafety(app: FastifyInstance, config: () => ProxyConfig): void {
  // A page may POST text/plain without a preflight (a "simple" CORS request); every API here takes
  // JSON, so any other body type is refused with 415 (Fastify's own error, in the client's format).
  app.removeContentTypeParser('text/plain');
  // `done` rather than async (no promise per request); an answer given here stops the chain.
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
    // Origins reaching this point are allowed (or absent: not a browser), so CORS reflects them.
    // The answer depends on the Origin, for any cache on the way.
    reply.header('vary', 'Origin');
    if (origin) {
      reply.header('access-control-allow-origin', origin);
      reply.header('access-control-expose-headers', EXPOSED_HEADERS);
    }
    if (request.method !== 'OPTIONS') {
      done();
      return;
    }
    // Every OPTIONS is a preflight here, answered before auth (a browser sends no key with it).
    if (!origin || !request.headers['access-control-request-method']) {
      reply.code(400).type('text/plain').send('Invalid Preflight Request');
      return;
    }
    if (request.headers['access-control-request-private-network'] === 'true') reply.header('access-control-allow-private-network', 'true');
    reply
      .header('access-control-allow-methods', ALLOWED_METHODS)
      .header('access-control-allow-headers', ALLOWED_HEADERS_VALUE)
      .header('access-control-max-age', PREFLIGHT_MAX_AGE_S)
      .code(204)
      .header('content-length', '0')
      .send();
  });
}
