import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openService } from '../helpers/running-service.js';
import { CLIENTS, type ClientUnderTest } from './clients.js';
import { UPSTREAMS, type UpstreamUnderTest } from './upstreams.js';

/**
 * Every client SDK × every upstream family × {text, stream, tool call (streamed and not),
 * parallel tool calls, tool-result round trip, upstream error}. Same-family pairs exercise
 * pass-through, the others the translation core. Assertions check both what the SDK parsed and
 * what reached the upstream.
 */
for (const [clientName, makeClient] of Object.entries(CLIENTS)) {
  for (const [family, startUpstream] of Object.entries(UPSTREAMS)) {
    describe(`${clientName} → ${family} upstream`, () => {
      let harness: Awaited<ReturnType<typeof openService>>;
      let upstream: UpstreamUnderTest;
      let client: ClientUnderTest;

      beforeAll(async () => {
        upstream = await startUpstream();
        harness = await openService({ auth_mode: 'off' });
        harness.service.addAccount(upstream.account);
        await harness.service.startProxy();
        client = makeClient(harness.origin());
      });
      afterAll(async () => {
        await harness?.close();
        await upstream?.close();
      });

      it('text: answer parsed by the SDK; system prompt, user text and max tokens reach the upstream', async () => {
        upstream.answerText('Bonjour — 日本語 ok 🙂');
        const text = await client.text('Say hello in French', { system: 'You are terse.', maxTokens: 321 });
        expect(text).toBe('Bonjour — 日本語 ok 🙂');
        const body = upstream.lastBody();
        expect(upstream.systemText(body)).toContain('You are terse.');
        expect(upstream.userTexts(body).at(-1)).toBe('Say hello in French');
        expect(upstream.maxTokens(body)).toBe(321);
      });

      it('stream: text arrives in several chunks and intact', async () => {
        upstream.answerText('one two three four five six seven');
        const { text, chunks } = await client.stream('Count to seven');
        expect(text).toBe('one two three four five six seven');
        expect(chunks).toBeGreaterThan(1);
        expect(upstream.userTexts(upstream.lastBody()).at(-1)).toBe('Count to seven');
      });

      for (const stream of [false, true]) {
        it(`tool call${stream ? ', streamed' : ''}: arguments intact, tools reach the upstream`, async () => {
          upstream.answerToolCalls([{ id: 'call_a1', name: 'get_weather', args: { city: 'Paris', unit: 'celsius' } }]);
          const calls = await client.toolCalls('Weather in Paris?', stream);
          expect(calls).toHaveLength(1);
          expect(calls[0]).toMatchObject({ name: 'get_weather', args: { city: 'Paris', unit: 'celsius' } });
          expect(upstream.toolNames(upstream.lastBody())).toEqual(['get_weather', 'get_time']);
        });
      }

      it('parallel tool calls, streamed: every call with its own arguments', async () => {
        upstream.answerToolCalls([
          { id: 'call_p1', name: 'get_weather', args: { city: 'Tokyo' } },
          { id: 'call_p2', name: 'get_time', args: { timezone: 'Asia/Tokyo' } },
        ]);
        const calls = await client.toolCalls('Weather and time in Tokyo?', true);
        expect(calls.map((call) => ({ name: call.name, args: call.args }))).toEqual([
          { name: 'get_weather', args: { city: 'Tokyo' } },
          { name: 'get_time', args: { timezone: 'Asia/Tokyo' } },
        ]);
        if (calls[0]!.id !== undefined) expect(new Set(calls.map((call) => call.id)).size).toBe(2);
      });

      it('tool result round trip: the result reaches the upstream tied to its call', async () => {
        upstream.answerText('It is 21 °C in Paris.');
        const answer = await client.toolResultRoundTrip('{"temperature":21}');
        expect(answer).toBe('It is 21 °C in Paris.');
        const body = upstream.lastBody();
        const [call] = upstream.assistantCalls(body);
        const [result] = upstream.toolResults(body);
        expect(call).toMatchObject({ name: 'get_weather', args: { city: 'Paris' } });
        expect(JSON.parse(result!.content)).toMatchObject({ temperature: 21 });
        if (upstream.family === 'gemini') expect(result!.name).toBe('get_weather');
        else expect(result!.id).toBe(call!.id);
      });

      it('upstream error: the SDK raises its own error with the upstream status and message', async () => {
        upstream.answerError('Upstream says the request is malformed');
        const error = await client.error();
        expect(error.isSdkError).toBe(true);
        expect(error.status).toBe(400);
        expect(error.message).toContain('Upstream says the request is malformed');
      });
    });
  }
}
