import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { request } from 'undici';
import { startFakeGeminiUpstream, type FakeGeminiUpstream } from '../fakes/fake-gemini-upstream.js';
import { openService } from '../helpers/running-service.js';

/**
 * Gemini answers a short prompt with ONE stream event (content, finishReason and usage together)
 * and then ends. The proxy used to read that event while peeking for an error, and the upstream's
 * end arrived between the peek and the relay: nobody was listening, and the client hung until
 * `stream_idle_timeout_s`. Raw HTTP here (the SDK-driven corpus is in shape-corpus.test.ts).
 */
const ONE_EVENT = {
  candidates: [{ content: { role: 'model', parts: [{ text: 'OK' }] }, finishReason: 'STOP', index: 0 }],
  usageMetadata: { promptTokenCount: 3, candidatesTokenCount: 1, totalTokenCount: 4 },
  modelVersion: 'gemini-2.5-flash',
  responseId: 'one-event',
};

describe('a stream of exactly one event ends when the upstream ends', () => {
  let gemini: FakeGeminiUpstream;
  let harness: Awaited<ReturnType<typeof openService>>;

  beforeAll(async () => {
    gemini = await startFakeGeminiUpstream();
    // A long idle timeout: a hang would show as a test timeout, not as an idle-timeout error frame.
    harness = await openService({ auth_mode: 'off', stream_idle_timeout_s: 120 });
    harness.service.addAccount({ provider: 'gemini', base_url: gemini.baseUrl, api_key: gemini.apiKey, label: 'gemini' });
    await harness.service.startProxy();
  });
  afterAll(async () => {
    await harness.close();
    await gemini.close();
  });

  const cases = [
    { name: 'Gemini SSE, LF', path: '/v1beta/models/gemini-2.5-flash:streamGenerateContent?alt=sse', chunks: [`data: ${JSON.stringify(ONE_EVENT)}\n\n`], type: 'text/event-stream' },
    { name: 'Gemini SSE, CRLF', path: '/v1beta/models/gemini-2.5-flash:streamGenerateContent?alt=sse', chunks: [`data: ${JSON.stringify(ONE_EVENT)}\r\n\r\n`], type: 'text/event-stream' },
    { name: 'Gemini JSON array of one element', path: '/v1beta/models/gemini-2.5-flash:streamGenerateContent', chunks: [`[${JSON.stringify(ONE_EVENT)}]`], type: 'application/json' },
  ];

  for (const shape of cases) {
    it(`${shape.name}: a Gemini client gets the event and the end at once`, async () => {
      gemini.queue.push({ kind: 'script', chunks: shape.chunks, headers: { 'content-type': shape.type } });
      const started = Date.now();
      const response = await request(`${harness.origin()}${shape.path}`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ contents: [{ role: 'user', parts: [{ text: 'hi' }] }] }),
        bodyTimeout: 5_000,
      });
      const text = await response.body.text();
      expect(response.statusCode).toBe(200);
      expect(text).toContain('"OK"');
      expect(Date.now() - started).toBeLessThan(1_000);
    });

    it(`${shape.name}: an OpenAI Chat client (translated) gets the answer and [DONE] at once`, async () => {
      gemini.queue.push({ kind: 'script', chunks: shape.chunks, headers: { 'content-type': shape.type } });
      const started = Date.now();
      const response = await request(`${harness.origin()}/v1/chat/completions`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ model: 'gemini-2.5-flash', stream: true, messages: [{ role: 'user', content: 'hi' }] }),
        bodyTimeout: 5_000,
      });
      const text = await response.body.text();
      expect(response.statusCode).toBe(200);
      expect(text).toContain('"OK"');
      expect(text.trimEnd().endsWith('data: [DONE]')).toBe(true);
      expect(Date.now() - started).toBeLessThan(1_000);
    });
  }
});
