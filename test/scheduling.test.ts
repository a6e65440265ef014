import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import OpenAI from 'openai';
import { startFakeOpenAIUpstream, type FakeOpenAIUpstream } from './fakes/fake-openai-upstream.js';
import { openService } from './helpers/running-service.js';

type Harness = Awaited<ReturnType<typeof openService>>;

/** Scheduling through the real proxy: the OpenAI SDK in front, two fake OpenAI upstreams behind. */
describe('account scheduling through the proxy', () => {
  let harness: Harness;
  let upstreamA: FakeOpenAIUpstream;
  let upstreamB: FakeOpenAIUpstream;
  let client: OpenAI;
  let idA: string;
  let idB: string;

  beforeEach(async () => {
    upstreamA = await startFakeOpenAIUpstream();
    upstreamB = await startFakeOpenAIUpstream();
    upstreamA.fallback = { kind: 'ok', text: 'from A' };
    upstreamB.fallback = { kind: 'ok', text: 'from B' };
    harness = await openService();
    idA = harness.service.addAccount({ provider: 'openai', base_url: upstreamA.baseUrl, api_key: upstreamA.apiKey, label: 'A' }).id;
    idB = harness.service.addAccount({ provider: 'openai', base_url: upstreamB.baseUrl, api_key: upstreamB.apiKey, label: 'B' }).id;
    await harness.service.startProxy();
    client = new OpenAI({ baseURL: `${harness.origin()}/v1`, apiKey: 'unused', maxRetries: 0 });
  });

  afterEach(async () => {
    await harness.close();
    await upstreamA.close();
    await upstreamB.close();
  });

  /** Sends one chat turn; returns which upstream answered. */
  async function ask(messages: OpenAI.Chat.ChatCompletionMessageParam[], model = 'gpt-4o-mini'): Promise<string> {
    const completion = await client.chat.completions.create({ model, messages });
    return completion.choices[0]?.message.content === 'from A' ? 'A' : completion.choices[0]?.message.content === 'from B' ? 'B' : 'other';
  }

  const first = (text: string): OpenAI.Chat.ChatCompletionMessageParam[] => [{ role: 'user', content: text }];
  const later = (text: string, turns: number): OpenAI.Chat.ChatCompletionMessageParam[] => [
    ...first(text),
    ...Array.from({ length: turns }, (_, i): OpenAI.Chat.ChatCompletionMessageParam[] => [
      { role: 'assistant', content: `answer ${i}` },
      { role: 'user', content: `follow-up ${i}` },
    ]).flat(),
  ];

  it('round robin (the default) alternates between the accounts', async () => {
    const served = [];
    for (let i = 0; i < 4; i++) served.push(await ask(first(`question ${i}`)));
    expect(served).toEqual(['A', 'B', 'A', 'B']);
  });

  it('a request that failed does not move round robin past an account it never asked', async () => {
    const upstreamC = await startFakeOpenAIUpstream();
    try {
      upstreamC.fallback = { kind: 'ok', text: 'from C' };
      harness.service.addAccount({ provider: 'openai', base_url: upstreamC.baseUrl, api_key: upstreamC.apiKey, label: 'C' });
      await harness.service.updateConfig({ max_attempts: 1 });
      upstreamA.queue.push({ kind: 'error', status: 500 });
      await expect(ask(first('question'))).rejects.toMatchObject({ status: 500 });
      // B was only looked at to tell the client when to come back: it is next.
      expect(await ask(first('next question'))).toBe('B');
    } finally {
      await upstreamC.close();
    }
  });

  it('sticky keeps each conversation on the account that served its first turn', async () => {
    await harness.service.updateConfig({ scheduling: 'sticky' });
    const served: Record<string, string[]> = { trip: [], party: [] };
    for (let turn = 0; turn < 3; turn++) {
      served.trip!.push(await ask(later('Plan a trip', turn)));
      served.party!.push(await ask(later('Plan a party', turn)));
    }
    // New conversations are spread round robin; each then stays where it started.
    expect(served).toEqual({ trip: ['A', 'A', 'A'], party: ['B', 'B', 'B'] });
    // An explicit session header wins over the message text.
    const header = await client.chat.completions.create(
      { model: 'gpt-4o-mini', messages: first('Plan a trip') },
      { headers: { 'x-localgate-session': 'explicit-1' } },
    );
    const again = await client.chat.completions.create({ model: 'gpt-4o-mini', messages: first('anything else') }, { headers: { 'x-localgate-session': 'explicit-1' } });
    expect(again.choices[0]?.message.content).toBe(header.choices[0]?.message.content);
  });

  it('sticky moves a conversation when its account cools, and keeps it on the new one', async () => {
    await harness.service.updateConfig({ scheduling: 'sticky' });
    expect(await ask(later('Plan a trip', 0))).toBe('A');
    upstreamA.queue.push({ kind: 'error', status: 429, headers: { 'retry-after': '60' } });
    expect(await ask(later('Plan a trip', 1))).toBe('B'); // failed over within the request
    expect(await ask(later('Plan a trip', 2))).toBe('B');
    harness.service.resetAccount(idA); // A is ready again; the conversation stays where it moved
    expect(await ask(later('Plan a trip', 3))).toBe('B');
  });

  it('fill_first uses the first account until it returns 429, then the next', async () => {
    await harness.service.updateConfig({ scheduling: 'fill_first' });
    const served = [];
    for (let i = 0; i < 3; i++) served.push(await ask(first(`q${i}`)));
    expect(served).toEqual(['A', 'A', 'A']);
    upstreamA.queue.push({ kind: 'error', status: 429, headers: { 'retry-after': '60' } });
    served.length = 0;
    for (let i = 0; i < 3; i++) served.push(await ask(first(`r${i}`)));
    expect(served).toEqual(['B', 'B', 'B']);
    expect(upstreamA.requests).toHaveLength(4); // three served, one 429, then left to rest
    expect(upstreamB.requests).toHaveLength(3);
    // Back to the first as soon as it is ready.
    harness.service.resetAccount(idA);
    expect(await ask(first('s'))).toBe('A');
  });

  it('the preferred account goes first; clearing it applies to the next request', async () => {
    await harness.service.updateConfig({ preferred_account: idB });
    const served = [];
    for (let i = 0; i < 3; i++) served.push(await ask(first(`q${i}`)));
    expect(served).toEqual(['B', 'B', 'B']);
    // While it rests, the others serve; no request waits for it.
    upstreamB.queue.push({ kind: 'error', status: 429, headers: { 'retry-after': '60' } });
    expect(await ask(first('r'))).toBe('A');
    expect(await ask(first('s'))).toBe('A');
    harness.service.resetAccount(idB);
    expect(await ask(first('t'))).toBe('B');
    await harness.service.updateConfig({ preferred_account: null });
    served.length = 0;
    for (let i = 0; i < 2; i++) served.push(await ask(first(`u${i}`)));
    expect(served.sort()).toEqual(['A', 'B']);
    expect(harness.service.configView()).toMatchObject({ scheduling: 'round_robin', preferred_account: null });
  });
});
