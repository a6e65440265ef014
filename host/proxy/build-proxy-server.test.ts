import { afterEach, describe, expect, it } from 'vitest';
import { Agent } from 'undici';
import { ProxyConfigSchema } from '../../shared/config.js';
import { AccountPool } from '../pool/account-pool.js';
import { ModelCatalog } from '../pipeline/model-catalog.js';
import { SignatureMemory } from '../pipeline/signature-memory.js';
import { ResponseStore } from '../pipeline/response-store.js';
import { buildProxyServer } from './build-proxy-server.js';

function build() {
  const config = ProxyConfigSchema.parse({ api_key: 'sk-test-key-123', auth_mode: 'off', port: 8045 });
  const pool = new AccountPool([]);
  const upstream = new Agent();
  const app = buildProxyServer({ config: () => config, pool, upstream, models: new ModelCatalog(pool, upstream, () => ({})), version: 'test', signatures: new SignatureMemory(() => 0), responses: new ResponseStore(() => 0, () => 0) });
  return { app, upstream };
}

describe('proxy server without listening', () => {
  const opened: Array<ReturnType<typeof build>> = [];
  afterEach(async () => {
    for (const { app, upstream } of opened.splice(0)) {
      await app.close();
      await upstream.close();
    }
  });
  const inject = async (method: 'GET' | 'POST' | 'HEAD', url: string, payload?: string) => {
    const built = build();
    opened.push(built);
    return built.app.inject({ method, url, headers: { host: '127.0.0.1:8045', 'content-type': 'application/json' }, ...(payload === undefined ? {} : { payload }) });
  };

  it.each([
    ['/v1/v1/chat/completions', 'POST', /\/v1 twice.*http:\/\/127\.0\.0\.1:8045\/v1/],
    ['/chat/completions', 'POST', /\/v1 is missing.*http:\/\/127\.0\.0\.1:8045\/v1/],
    ['/models', 'GET', /\/v1 is missing/],
    ['/images/generations', 'POST', /\/v1 is missing/],
    ['/v1/chat/completions/responses', 'POST', /includes? \/chat\/completions.*http:\/\/127\.0\.0\.1:8045\/v1/],
    ['/v1/v1beta/models/gemini-2.5-flash:generateContent', 'POST', /Gemini clients add \/v1beta themselves/],
    ['/v1/models/gemini-2.5-flash:generateContent', 'POST', /Gemini requests go to \/v1beta/],
    ['/nothing/here', 'GET', /Localgate serves OpenAI clients at http:\/\/127\.0\.0\.1:8045\/v1/],
  ] as const)('explains a 404 on %s', async (url, method, hint) => {
    const response = await inject(method, url, method === 'POST' ? '{}' : undefined);
    expect(response.statusCode).toBe(404);
    const body = response.json();
    const message: string = body.error.message;
    expect(message).toMatch(hint);
    expect(message).toContain(url.split('?')[0]);
  });

  it('answers a 404 on Gemini and Anthropic paths in their own formats', async () => {
    const gemini = await inject('POST', '/v1/v1beta/models/x:generateContent', '{}');
    expect(gemini.json().error.status).toBe('NOT_FOUND');
    const anthropic = await inject('POST', '/v1/messages/nope', '{}');
    expect(anthropic.json()).toMatchObject({ type: 'error', error: { type: 'not_found_error' } });
  });

  it('answers malformed JSON with a 400 in the client’s format', async () => {
    const response = await inject('POST', '/v1/chat/completions', '{"model": "x", ');
    expect(response.statusCode).toBe(400);
    expect(response.json().error.type).toBe('invalid_request_error');
    expect(response.json().error.message).toMatch(/not valid JSON/);
  });

  it('validates the chat body before touching the pool', async () => {
    const response = await inject('POST', '/v1/chat/completions', '{"messages": []}');
    expect(response.statusCode).toBe(400);
    expect(response.json().error.message).toContain("'model'");
  });

  it('serves /healthz and /health without any account', async () => {
    for (const url of ['/healthz', '/health']) {
      const response = await inject('GET', url);
      expect(response.statusCode).toBe(200);
      expect(response.json()).toEqual({ status: 'ok' });
    }
  });

  it('answers the HEAD / probe Claude Code sends at start-up with a bodiless 200', async () => {
    const response = await inject('HEAD', '/');
    expect(response.statusCode).toBe(200);
    expect(response.body).toBe('');
  });
});

describe('Fastify JSON-schema compilers', () => {
  it('are never built: a route that declares a schema is refused, so ajv stays unloaded at start', async () => {
    const { app, upstream } = build();
    app.post('/schema-route', { schema: { body: { type: 'object' } } }, async () => ({}));
    await expect(app.ready()).rejects.toThrow(/validate with the zod schemas/);
    await upstream.close();
  });
});
