import { readFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { request } from 'undici';
import { openService } from './helpers/running-service.js';

type Harness = Awaited<ReturnType<typeof openService>>;

/** One path per client protocol, and how its error body names the message and the kind. */
const PROTOCOLS = {
  openai: {
    path: '/v1/chat/completions',
    body: (content: string) => ({ model: 'gpt-4o-mini', messages: [{ role: 'user', content }] }),
    read: (json: any) => ({ message: json.error.message as string, kind: json.error.type as string }),
  },
  anthropic: {
    path: '/v1/messages',
    body: (content: string) => ({ model: 'claude-sonnet-4-5', max_tokens: 64, messages: [{ role: 'user', content }] }),
    read: (json: any) => {
      expect(json.type).toBe('error');
      return { message: json.error.message as string, kind: json.error.type as string };
    },
  },
  gemini: {
    path: '/v1beta/models/gemini-2.5-flash:generateContent',
    body: (content: string) => ({ contents: [{ role: 'user', parts: [{ text: content }] }] }),
    read: (json: any) => ({ message: json.error.message as string, kind: json.error.status as string }),
  },
} as const;

describe('request limits, through a real listener', () => {
  let harness: Harness;

  beforeAll(async () => {
    // 1 MB instead of the default 32 so the test need not send 32 MB.
    harness = await openService({ max_body_mb: 1 }, { demo: true });
    await harness.service.startProxy();
  });
  afterAll(async () => harness.close());

  const post = (path: string, body: string | Buffer, headers: Record<string, string> = { 'content-type': 'application/json' }) =>
    request(`${harness.origin()}${path}`, { method: 'POST', body, headers });

  for (const [name, protocol] of Object.entries(PROTOCOLS)) {
    it(`${name}: a body over max_body_mb gets 413 in the ${name} error format`, async () => {
      const body = JSON.stringify(protocol.body('x'.repeat(1024 * 1024 + 10)));
      const response = await post(protocol.path, body);
      expect(response.statusCode).toBe(413);
      const error = protocol.read(await response.body.json());
      expect(error.message).toContain('larger than 1 MB');
      expect(error.message).toContain('max_body_mb');
    });

    it(`${name}: malformed JSON gets 400 in the ${name} error format`, async () => {
      const response = await post(protocol.path, '{"model": "m", "messages": [');
      expect(response.statusCode).toBe(400);
      const error = protocol.read(await response.body.json());
      expect(error.message).toMatch(/not valid JSON/);
    });

    // Prototype poisoning: a body that would set an object's prototype once merged is refused
    // (also when the key is spelled with JSON escapes, which the parser's fast path must not miss).
    for (const [label, text] of [
      ['__proto__', '{"model":"m","messages":[],"__proto__":{"polluted":true}}'],
      ['escaped __proto__', '{"model":"m","messages":[],"\\u005f_proto__":{"polluted":true}}'],
      ['nested __proto__', '{"model":"m","messages":[{"role":"user","content":"hi","__proto__":{"x":1}}]}'],
      ['constructor.prototype', '{"model":"m","messages":[],"constructor":{"prototype":{"polluted":true}}}'],
    ] as const) {
      it(`${name}: a body with ${label} gets 400 in the ${name} error format`, async () => {
        const response = await post(protocol.path, text);
        expect(response.statusCode).toBe(400);
        const error = protocol.read(await response.body.json());
        expect(error.message).toMatch(/not valid JSON/);
        expect(({} as { polluted?: boolean }).polluted).toBeUndefined();
      });
    }

    it(`${name}: a body that is not JSON (wrong content-type) gets 415 in the ${name} error format`, async () => {
      const response = await post(protocol.path, JSON.stringify(protocol.body('hi')), { 'content-type': 'text/plain' });
      expect(response.statusCode).toBe(415);
      const error = protocol.read(await response.body.json());
      expect(error.message).toContain('Unsupported Media Type');
    });
  }

  it('accepts a 500 KB Claude-Code-sized body', async () => {
    const fixture = JSON.parse(readFileSync(new URL('../host/codecs/anthropic-messages/__fixtures__/claude-code-request.json', import.meta.url), 'utf8'));
    // Claude Code's real bodies are mostly system prompt, tool definitions and history.
    const body = { ...fixture, stream: false, system: [{ type: 'text', text: 'You are Claude Code. '.repeat(25_000) }], messages: [{ role: 'user', content: 'the last message' }] };
    const text = JSON.stringify(body);
    expect(text.length).toBeGreaterThan(500 * 1024);
    const response = await post('/v1/messages', text, { 'content-type': 'application/json', 'anthropic-version': '2023-06-01' });
    const json = (await response.body.json()) as any;
    expect(response.statusCode, JSON.stringify(json)).toBe(200);
    expect(json.content[0].text).toContain('the last message');
  });

  it('answers oversized headers (> 16 KB) with 431 and keeps serving', async () => {
    const response = await request(`${harness.origin()}/v1/models`, { headers: { 'x-padding': 'y'.repeat(17 * 1024) } });
    expect(response.statusCode).toBe(431);
    await response.body.dump();
    const health = await request(`${harness.origin()}/healthz`);
    expect(health.statusCode).toBe(200);
    expect(await health.body.json()).toEqual({ status: 'ok' });
    const models = await request(`${harness.origin()}/v1/models`);
    expect(models.statusCode).toBe(200);
    await models.body.dump();
  });
});
