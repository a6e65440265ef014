import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import Anthropic from '@anthropic-ai/sdk';
import OpenAI from 'openai';
import type { NewAccount } from '../shared/accounts.js';
import type { MonitorEntry } from '../shared/monitor.js';
import { startFakeAnthropicUpstream, type FakeAnthropicUpstream } from './fakes/fake-anthropic-upstream.js';
import { startFakeGeminiUpstream, type FakeGeminiUpstream } from './fakes/fake-gemini-upstream.js';
import { startFakeOpenAIUpstream, type FakeOpenAIUpstream } from './fakes/fake-openai-upstream.js';
import { openService } from './helpers/running-service.js';

/**
 * What a translation drops or changes reaches the user: real SDKs → Localgate → fake upstreams of
 * another family. The client reads the `x-localgate-warnings` header, the monitor entry and the
 * stats carry the codes, and only the answered attempt's warnings count.
 */

type Harness = Awaited<ReturnType<typeof openService>>;

describe('translation warnings reach the user', () => {
  let openai: FakeOpenAIUpstream;
  let anthropic: FakeAnthropicUpstream;
  let gemini: FakeGeminiUpstream;
  let harness: Harness | undefined;

  beforeAll(async () => {
    [openai, anthropic, gemini] = await Promise.all([startFakeOpenAIUpstream(), startFakeAnthropicUpstream(), startFakeGeminiUpstream()]);
  });
  afterEach(async () => {
    await harness?.close();
    harness = undefined;
    for (const upstream of [openai, anthropic, gemini]) {
      upstream.queue.length = 0;
      upstream.requests.length = 0;
    }
  });
  afterAll(async () => {
    await Promise.all([openai.close(), anthropic.close(), gemini.close()]);
  });

  const account = {
    openai: (label = 'openai') => ({ provider: 'openai' as const, base_url: openai.baseUrl, api_key: openai.apiKey, label }),
    anthropic: (label = 'anthropic') => ({ provider: 'anthropic' as const, base_url: anthropic.baseUrl, api_key: anthropic.apiKey, label }),
    gemini: (label = 'gemini') => ({ provider: 'gemini' as const, base_url: gemini.baseUrl, api_key: gemini.apiKey, label }),
  };
  async function serve(accounts: Array<NewAccount & { label: string }>) {
    harness = await openService({ auth_mode: 'off' });
    for (const added of accounts) harness.service.addAccount(added);
    await harness.service.startProxy();
    return harness;
  }
  const openaiClient = () => new OpenAI({ baseURL: `${harness!.origin()}/v1`, apiKey: 'x', maxRetries: 0 });
  const anthropicClient = () => new Anthropic({ baseURL: harness!.origin(), apiKey: 'x', maxRetries: 0 });
  /** The monitor entry of the only request served (entries are recorded when the reply closes). */
  const onlyEntry = () =>
    vi.waitFor(() => {
      const entries = harness!.service.recentRequests();
      expect(entries).toHaveLength(1);
      return entries[0]!;
    });
  const codes = (entry: MonitorEntry) => (entry.warnings ?? []).map((warning) => warning.code);

  it('Anthropic client → OpenAI upstream: top_k is dropped, and the header, the entry and the stats say so', async () => {
    await serve([account.openai()]);
    openai.fallback = { kind: 'ok', text: 'hello' };
    // The Messages API takes top_k; this SDK version's types no longer list it.
    const params = { model: 'gpt-4o-mini', max_tokens: 50, top_k: 40, messages: [{ role: 'user' as const, content: 'hi' }] };
    const { data, response } = await anthropicClient()
      .messages.create(params as Anthropic.MessageCreateParamsNonStreaming)
      .withResponse();
    expect(data.content).toEqual([{ type: 'text', text: 'hello' }]);
    expect(openai.requests.at(-1)!.body).not.toHaveProperty('top_k');
    expect(response.headers.get('x-localgate-warnings')).toBe('dropped-top-k');

    const entry = await onlyEntry();
    expect(entry.warnings).toEqual([{ code: 'dropped-top-k', message: 'top_k: not an OpenAI parameter' }]);
    const stats = await harness!.service.monitorStats('hour');
    expect(stats.by_warning).toEqual([{ code: 'dropped-top-k', requests: 1 }]);
  });

  it('a translated stream carries the header from its first byte: OpenAI client with a seed → Anthropic upstream', async () => {
    await serve([account.anthropic()]);
    anthropic.fallback = { kind: 'ok', text: 'streamed' };
    const { data: stream, response } = await openaiClient()
      .chat.completions.create({ model: 'claude-sonnet-4-5', seed: 7, stream: true, messages: [{ role: 'user', content: 'hi' }] })
      .withResponse();
    expect(response.headers.get('content-type')).toContain('text/event-stream');
    expect(response.headers.get('x-localgate-warnings')).toBe('dropped-seed');
    let text = '';
    for await (const chunk of stream) text += chunk.choices[0]?.delta.content ?? '';
    expect(text).toBe('streamed');
    expect(anthropic.requests.at(-1)!.body).not.toHaveProperty('seed');
    expect(codes(await onlyEntry())).toEqual(['dropped-seed']);
  });

  it('a pass-through drops nothing: no header, no warnings on the entry', async () => {
    await serve([account.openai()]);
    openai.fallback = { kind: 'ok', text: 'as is' };
    const { response } = await openaiClient()
      .chat.completions.create({ model: 'gpt-4o-mini', seed: 7, messages: [{ role: 'user', content: 'hi' }] })
      .withResponse();
    expect(openai.requests.at(-1)!.body.seed).toBe(7);
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
          gemini.queue.push({ kind: 'error', status: 503, rpcStatus: 'UNAVAILABLE', message: 'The model is overloaded.' });
          anthropic.fallback = { kind: 'ok', text: 'served' };
        },
        failed: () => gemini.requests,
        expected: 'dropped-seed',
      },
      {
        name: 'Anthropic answers 503, Gemini serves: dropped-user only',
        accounts: () => [account.anthropic('A'), account.gemini('B')],
        script: () => {
          anthropic.queue.push({ kind: 'error', status: 503, type: 'overloaded_error', message: 'Overloaded' });
          gemini.fallback = { kind: 'ok', text: 'served' };
        },
        failed: () => anthropic.requests,
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
