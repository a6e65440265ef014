import { afterEach, describe, expect, it } from 'vitest';
import { Agent } from 'undici';
import { networkInterfaces } from 'node:os';
import { ProxyConfigSchema, type ProxyConfigInput } from '../../../shared/config.js';
import { EXTENSION_ID } from '../../../shared/extension-identity.js';
import { AccountPool } from '../../pool/account-pool.js';
import { ModelCatalog } from '../../pipeline/model-catalog.js';
import { SignatureMemory } from '../../pipeline/signature-memory.js';
import { ResponseStore } from '../../pipeline/response-store.js';
import { buildProxyServer } from '../build-proxy-server.js';

function build(overrides: Partial<ProxyConfigInput> = {}) {
  const config = ProxyConfigSchema.parse({ api_key: 'sk-test-key-123', auth_mode: 'off', ...overrides });
  const pool = new AccountPool([]);
  const upstream = new Agent();
  const app = buildProxyServer({ config: () => config, pool, upstream, models: new ModelCatalog(pool, upstream, () => ({})), version: 'test', signatures: new SignatureMemory(() => 0), responses: new ResponseStore(() => 0, () => 0) });
  return { app, upstream };
}

describe('web safety', () => {
  const opened: Array<ReturnType<typeof build>> = [];
  afterEach(async () => {
    for (const { app, upstream } of opened.splice(0)) {
      await app.close();
      await upstream.close();
    }
  });
  const server = (overrides: Partial<ProxyConfigInput> = {}) => {
    const built = build(overrides);
    opened.push(built);
    return built.app;
  };

  describe('Host check against DNS rebinding', () => {
    it.each(['127.0.0.1:8045', 'localhost:8045', '[::1]:8045', '127.0.0.2', 'app.localhost:8045'])('serves loopback Host %s', async (host) => {
      const response = await server().inject({ method: 'GET', url: '/healthz', headers: { host } });
      expect(response.statusCode).toBe(200);
    });

    it('refuses any other Host with 421 in the client’s format, before auth and routing', async () => {
      const app = server({ auth_mode: 'strict' });
      const openai = await app.inject({ method: 'GET', url: '/v1/models', headers: { host: 'attacker.example:8045' } });
      expect(openai.statusCode).toBe(421);
      expect(openai.json().error.message).toMatch(/DNS rebinding/);
      const gemini = await app.inject({ method: 'POST', url: '/v1beta/models/x:generateContent', headers: { host: 'attacker.example' }, payload: {} });
      expect(gemini.json().error.status).toBe('PERMISSION_DENIED');
    });

    it('with LAN access on, also serves this machine’s addresses and the configured names', async () => {
      const app = server({ allow_lan_access: true, auth_mode: 'all_except_health', allowed_hosts: ['mybox.lan'] });
      const lanAddress = Object.values(networkInterfaces()).flat().find((a) => a && a.family === 'IPv4' && !a.internal)?.address;
      for (const host of ['mybox.lan:8045', ...(lanAddress ? [`${lanAddress}:8045`] : [])]) {
        expect((await app.inject({ method: 'GET', url: '/healthz', headers: { host } })).statusCode).toBe(200);
      }
      expect((await app.inject({ method: 'GET', url: '/healthz', headers: { host: 'attacker.example' } })).statusCode).toBe(421);
    });
  });

  describe('CORS, deny by default', () => {
    const preflight = (origin: string, extra: Record<string, string> = {}) => ({
      method: 'OPTIONS' as const,
      url: '/v1/chat/completions',
      headers: { host: '127.0.0.1:8045', origin, 'access-control-request-method': 'POST', 'access-control-request-headers': 'content-type,x-api-key', ...extra },
    });

    it('answers a preflight from a loopback page with methods, the SDKs’ headers and Private Network Access', async () => {
      const response = await server().inject(preflight('http://localhost:3000', { 'access-control-request-private-network': 'true' }));
      expect(response.statusCode).toBe(204);
      expect(response.headers['access-control-allow-origin']).toBe('http://localhost:3000');
      expect(String(response.headers['access-control-allow-methods'])).toContain('POST');
      const allowed = String(response.headers['access-control-allow-headers']);
      for (const header of ['authorization', 'x-api-key', 'anthropic-version', 'x-goog-api-key', 'content-type']) expect(allowed).toContain(header);
      expect(response.headers['access-control-allow-private-network']).toBe('true');
    });

    it('answers a preflight on any path before auth, with its cache time; refuses one that names no method', async () => {
      const app = server({ auth_mode: 'strict' });
      for (const url of ['/v1/messages', '/v1beta/models/x:generateContent', '/v1/embeddings']) {
        const response = await app.inject({ ...preflight('http://localhost:3000'), url });
        expect(response.statusCode, url).toBe(204);
        expect(response.headers['access-control-max-age']).toBe('600');
        expect(response.headers['content-length']).toBe('0');
        expect(response.headers.vary).toBe('Origin');
      }
      const { 'access-control-request-method': _method, ...noMethod } = preflight('http://localhost:3000').headers;
      const invalid = await app.inject({ method: 'OPTIONS', url: '/v1/chat/completions', headers: noMethod });
      expect(invalid.statusCode).toBe(400);
      expect(invalid.body).toBe('Invalid Preflight Request');
    });

    it('marks every answer as varying by Origin; a client without one gets no CORS grant', async () => {
      const response = await server().inject({ method: 'GET', url: '/v1/models', headers: { host: '127.0.0.1:8045' } });
      expect(response.statusCode).toBe(200);
      expect(response.headers.vary).toBe('Origin');
      expect(response.headers['access-control-allow-origin']).toBeUndefined();
    });

    it('allows the extension and listed origins, refuses the rest with 403', async () => {
      const app = server({ cors_allowed_origins: ['https://chat.example.com'] });
      for (const origin of [`chrome-extension://${EXTENSION_ID}`, 'https://chat.example.com', 'http://127.0.0.1:5173']) {
        const response = await app.inject(preflight(origin));
        expect(response.statusCode, origin).toBe(204);
        expect(response.headers['access-control-allow-origin']).toBe(origin);
      }
      for (const origin of ['https://evil.example', 'chrome-extension://aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa', 'null', 'http://127.0.0.1.evil.example']) {
        const refused = await app.inject(preflight(origin));
        expect(refused.statusCode, origin).toBe(403);
        expect(refused.headers['access-control-allow-origin']).toBeUndefined();
        const simple = await app.inject({ method: 'GET', url: '/v1/models', headers: { host: '127.0.0.1:8045', origin } });
        expect(simple.statusCode).toBe(403);
        expect(simple.json().error.message).toContain('cors_allowed_origins');
      }
    });

    it('puts CORS headers on a 401, so a browser client can read why', async () => {
      const response = await server({ auth_mode: 'strict' }).inject({ method: 'GET', url: '/v1/models', headers: { host: '127.0.0.1:8045', origin: 'http://localhost:3000' } });
      expect(response.statusCode).toBe(401);
      expect(response.headers['access-control-allow-origin']).toBe('http://localhost:3000');
      // Retry hints and translation warnings are readable from a page too.
      expect(String(response.headers['access-control-expose-headers']).split(/, */)).toEqual(expect.arrayContaining(['retry-after', 'x-localgate-warnings']));
    });

    it('accepts "*" only while auth is on', async () => {
      expect(ProxyConfigSchema.safeParse({ api_key: 'sk-1234567890', cors_allowed_origins: ['*'], auth_mode: 'off' }).success).toBe(false);
      expect(ProxyConfigSchema.safeParse({ api_key: 'sk-1234567890', cors_allowed_origins: ['*'], auth_mode: 'auto' }).success).toBe(false);
      expect(ProxyConfigSchema.safeParse({ api_key: 'sk-1234567890', cors_allowed_origins: ['*'], auth_mode: 'strict' }).success).toBe(true);
      const app = server({ cors_allowed_origins: ['*'], auth_mode: 'strict' });
      const response = await app.inject(preflight('https://anything.example'));
      expect(response.statusCode).toBe(204);
    });

    it('rejects allowlist entries that are not origins', () => {
      for (const bad of ['https://chat.example.com/', 'chat.example.com', 'https://x.example/path']) {
        expect(ProxyConfigSchema.safeParse({ api_key: 'sk-1234567890', cors_allowed_origins: [bad] }).success, bad).toBe(false);
      }
    });
  });
});
