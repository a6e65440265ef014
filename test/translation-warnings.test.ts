import { describe, expect, it, vi } from 'vitest';
import Anthropic from '@anthropic-ai/sdk';
import OpenAI from 'openai';
import type { MonitorEntry } from '../shared/monitor.js';
import { useProxyOverFakes } from './helpers/proxy-over-fakes.js';

/**
 * What a translation drops or changes reaches the user: real SDKs → Localgate → fake upstreams of
 * another family. The client reads the `x-localgate-warnings` header, the monitor entry and the
 * stats carry the codes, and only the answered attempt's warnings count.
 */

describe('translation warnings reach the user', () => {
  const fakes = useProxyOverFakes();
  const { account, serve } = fakes;
  const openaiClient = () => new OpenAI({ baseURL: `${fakes.harness().origin()}/v1`, apiKey: 'x', maxRetries: 0 });
  const anthropicClient = () => new Anthropic({ baseURL: fakes.harness().origin(), apiKey: 'x', maxRetries: 0 });
  /** The monitor entry of the only request served (entries are recorded when the reply closes). */
  const onlyEntry = () =>
    vi.waitFor(() => {
      const entries = fakes.harness().service.recentRequests();
      expect(entries).toHaveLength(1);
      return entries[0]!;
    });
  const codes = (entry: MonitorEntry) => (entry.warnings ?? []).map((warning) => warning.code);

  it('Anthropic client → OpenAI upstream: top_k is dropped, and the header, the entry and the stats say so', async () => {
    await serve([account.openai()]);
    fakes.openai().fallback = { kind: 'ok', text: 'hello' };
    // The Messages API takes top_k; this SDK version's types no longer list it.
    const params = { model: 'gpt-4o-mini', max_tokens: 50, top_k: 40, messages: [{ role: 'user' as const, content: 'hi' }] };
    const { data, response } = await anthropicClient()
      .messages.create(params as Anthropic.MessageCreateParamsNonStreaming)
      .withResponse();
    expect(data.content).toEqual([{ type: 'text', text: 'hello' }]);
    expect(fakes.openai().requests.at(-1)!.body).not.toHaveProperty('top_k');
    expect(response.headers.get('x-localgate-warnings')).toBe('dropped-top-k');

    const entry = await onlyEntry();
    expect(entry.warnings).toEqual([{ code: 'dropped-top-k', message: 'top_k: not an OpenAI parameter' }]);
    const stats = await fakes.harness().service.monitorStats('hour');
    expect(stats.by_warning).toEqual([{ code: 'dropped-top-k', requests: 1 }]);
  });

  it('a translated stream carries the header from its first byte: OpenAI client with a seed → Anthropic upstream', async () => {
    await serve([account.anthropic()]);
    fakes.anthropic().fallback = { kind: 'ok', text: 'streamed' };
    const { data: stream, response } = await openaiClient()
      .chat.completions.create({ model: 'claude-sonnet-4-5', seed: 7, stream: true, messages: [{ role: 'user', content: 'hi' }] })
      .withResponse();
    expect(response.headers.get('content-type')).toContain('text/event-stream');
    expect(response.headers.get('x-localgate-warnings')).toBe('dropped-seed');
    let text = '';
    for await (const chunk of stream) text += chunk.choices[0]?.delta.content ?? '';
    expect(text).toBe('streamed');
    expect(fakes.anthropic().requests.at(-1)!.body).not.toHaveProperty('seed');
    expect(codes(await onlyEntry())).toEqual(['dropped-seed']);
  });

  it('a pass-through drops nothing: no header, no warnings on the entry', async () => {
    await serve([account.openai()]);
    fakes.openai().fallback = { kind: 'ok', text: 'as is' };
    const { response } = await openaiClient()
      .chat.completions.create({ model: 'gpt-4o-mini', seed: 7, messages: [{ role: 'user', content: 'hi' }] })
      .withResponse();
    expect(fakes.openai().requests.at(-1)!.body.seed).toBe(7);
    expect(response.headers.get('x-localgate-warnings')).toBeNull();
    expect((await onlyEntry()).warnings).toBeUndefined();
  });

  describe('failover across families: only the answered attempt’s warnings count', () => {
    // Gemini has no `user` (dropped) but takes `seed`; Anthropic has no `seed` (dropped) but takes `user`.
    const ask = { model: 'gemini-2.5-flash', seed: 7, user: 'user-1', messages: [{ role: 'user' as const, content: 'hi' }] };

    // The first family's upstream answers its own 503 once; the second serves.
    const cases = [
      {
        name: 'Gemini answers 503, Anthropic serves: dropped-seed only',
        accounts: () => [account.gemini('A'), account.anthropic('B')],
        script: () => {
          fakes.gemini().queue.push({ kind: 'error', status: 503, rpcStatus: 'UNAVAILABLE', message: 'The model is overloaded.' });
          fakes.anthropic().fallback = { kind: 'ok', text: 'served' };
        },
        failed: () => fakes.gemini().requests,
        expected: 'dropped-seed',
      },
      {
        name: 'Anthropic answers 503, Gemini serves: dropped-user only',
        accounts: () => [account.anthropic('A'), account.gemini('B')],
        script: () => {
          fakes.anthropic().queue.push({ kind: 'error', status: 503, type: 'overloaded_error', message: 'Overloaded' });
          fakes.gemini().fallback = { kind: 'ok', text: 'served' };
        },
        failed: () => fakes.anthropic().requests,
        expected: 'dropped-user',
      },
    ];

    it.each(cases)('$name', async ({ accounts, script, failed, expected }) => {
      await serve(accounts());
      script();
      const { data, response } = await openaiClient().chat.completions.create(ask).withResponse();
      expect(data.choices[0]?.message.content).toBe('served');
      expect(failed()).toHaveLength(1);
      expect(response.headers.get('x-localgate-warnings')).toBe(expected);
      const entry = await onlyEntry();
      expect(entry.account).toBe('B');
      expect(codes(entry)).toEqual([expected]);
    });
  });
});
