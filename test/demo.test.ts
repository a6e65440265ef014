import { afterEach, describe, expect, it } from 'vitest';
import OpenAI from 'openai';
import { openService } from './helpers/running-service.js';
import { loadAccounts } from '../host/store/accounts-store.js';

describe('--demo: the README example works with no upstream key', () => {
  let harness: Awaited<ReturnType<typeof openService>> | undefined;
  afterEach(async () => harness?.close());

  it('answers the OpenAI SDK from the built-in echo model, streamed and not, and never saves the demo account', async () => {
    harness = await openService({}, { demo: true });
    await harness.service.startProxy();
    const client = new OpenAI({ baseURL: `${harness.origin()}/v1`, apiKey: harness.service.config().api_key });

    const completion = await client.chat.completions.create({ model: 'gemini-3-flash', messages: [{ role: 'user', content: 'Hello, Localgate!' }] });
    expect(completion.choices[0]?.message.content).toBe('Echo from the Localgate demo model: Hello, Localgate!');

    let streamed = '';
    const stream = await client.chat.completions.create({ model: 'gemini-3-flash', messages: [{ role: 'user', content: 'stream me' }], stream: true });
    for await (const chunk of stream) streamed += chunk.choices[0]?.delta.content ?? '';
    expect(streamed).toBe('Echo from the Localgate demo model: stream me');

    const accounts = harness.service.listAccounts();
    expect(accounts).toHaveLength(1);
    expect(accounts[0]).toMatchObject({ id: 'demo', demo: true, label: 'demo (local echo model)' });
    expect(loadAccounts(harness.home)).toEqual([]);
  });

  it('never mixes with real accounts: a real account added during a demo is saved but not used', async () => {
    harness = await openService({}, { demo: true });
    harness.service.addAccount({ provider: 'openai', base_url: 'http://127.0.0.1:9/v1', api_key: 'sk-real-key-never-called', label: 'real' });
    await harness.service.startProxy();
    const client = new OpenAI({ baseURL: `${harness.origin()}/v1`, apiKey: 'unused', maxRetries: 0 });
    for (let i = 0; i < 3; i++) {
      const completion = await client.chat.completions.create({ model: 'm', messages: [{ role: 'user', content: `n${i}` }] });
      expect(completion.choices[0]?.message.content).toBe(`Echo from the Localgate demo model: n${i}`);
    }
    expect(loadAccounts(harness.home).map((a) => a.label)).toEqual(['real']);
  });
});
