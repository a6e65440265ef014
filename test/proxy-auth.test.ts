import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { request } from 'undici';
import { AUTH_MODES, type AuthMode } from '../shared/config.js';
import { startFakeOpenAIUpstream, type FakeOpenAIUpstream } from './fakes/fake-openai-upstream.js';
import { openService } from './helpers/running-service.js';

type Harness = Awaited<ReturnType<typeof openService>>;

/** Each way a client can present (or fail to present) the key. */
function keyForms(key: string): Record<string, Record<string, string>> {
  return {
    'no key': {},
    'wrong key (Bearer)': { authorization: 'Bearer sk-wrong-wrong-wrong' },
    'wrong key (x-api-key)': { 'x-api-key': 'sk-wrong-wrong-wrong' },
    'Authorization: Bearer K': { authorization: `Bearer ${key}` },
    'Authorization: K': { authorization: key },
    'x-api-key: K': { 'x-api-key': key },
    'x-goog-api-key: K': { 'x-goog-api-key': key },
  };
}

/** Whether a request must be let through, per the reference product's rules. */
function expectAllowed(mode: AuthMode, lan: boolean, path: string, form: string): boolean {
  const effective = mode === 'auto' ? (lan ? 'all_except_health' : 'off') : mode;
  const hasKey = !form.startsWith('no key') && !form.startsWith('wrong key');
  if (effective === 'off') return true;
  if (effective === 'all_except_health' && path === '/healthz') return true;
  return hasKey;
}

describe('auth matrix: every mode × /healthz and /v1/models × each key form', () => {
  let harness: Harness;
  let upstream: FakeOpenAIUpstream;

  beforeAll(async () => {
    upstream = await startFakeOpenAIUpstream();
    harness = await openService();
    harness.service.addAccount({ provider: 'openai', base_url: upstream.baseUrl, api_key: upstream.apiKey });
    await harness.service.startProxy();
  });
  afterAll(async () => {
    await harness.close();
    await upstream.close();
  });

  for (const mode of AUTH_MODES) {
    for (const lan of mode === 'auto' ? [false, true] : [false]) {
      it(`auth_mode=${mode}${mode === 'auto' ? ` allow_lan_access=${lan}` : ''}`, async () => {
        await harness.service.updateConfig({ auth_mode: mode, allow_lan_access: lan });
        const key = harness.service.config().api_key;
        const outcomes: string[] = [];
        for (const path of ['/healthz', '/v1/models']) {
          for (const [form, headers] of Object.entries(keyForms(key))) {
            // reset: a LAN switch re-binds the listener, so no keep-alive socket may be reused across cases.
            const response = await request(`${harness.origin()}${path}`, { headers, reset: true });
            const body = await response.body.text();
            const allowed = expectAllowed(mode, lan, path, form);
            outcomes.push(`${path} ${form}: ${response.statusCode}`);
            if (allowed) {
              expect(response.statusCode, `${path} ${form}`).toBe(200);
              if (path === '/healthz') expect(JSON.parse(body)).toEqual({ status: 'ok' });
            } else {
              expect(response.statusCode, `${path} ${form}`).toBe(401);
              const error = JSON.parse(body).error;
              expect(error.type).toBe('authentication_error');
              expect(error.message).toContain('x-api-key');
              expect(error.message).toContain('x-goog-api-key');
              expect(error.message).toMatch(form === 'no key' ? /Missing API key/ : /Invalid API key/);
              expect(body).not.toContain(key);
            }
          }
        }
        expect(outcomes).toHaveLength(14);
      });
    }
  }

  it('answers a 401 in each client protocol’s own error format', async () => {
    await harness.service.updateConfig({ auth_mode: 'strict', allow_lan_access: false });
    const anthropic = await request(`${harness.origin()}/v1/messages`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{}' });
    expect(anthropic.statusCode).toBe(401);
    const anthropicBody = (await anthropic.body.json()) as { type: string; error: { type: string } };
    expect(anthropicBody.type).toBe('error');
    expect(anthropicBody.error.type).toBe('authentication_error');

    const gemini = await request(`${harness.origin()}/v1beta/models/gemini-2.5-flash:generateContent`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{}' });
    expect(gemini.statusCode).toBe(401);
    const geminiBody = (await gemini.body.json()) as { error: { code: number; status: string } };
    expect(geminiBody.error).toMatchObject({ code: 401, status: 'UNAUTHENTICATED' });
  });

  it('lets CORS preflights (OPTIONS) through auth even in strict mode', async () => {
    await harness.service.updateConfig({ auth_mode: 'strict', allow_lan_access: false });
    const response = await request(`${harness.origin()}/v1/chat/completions`, { method: 'OPTIONS' });
    await response.body.dump();
    expect(response.statusCode).not.toBe(401);
  });
});
