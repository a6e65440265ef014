import { readFileSync, statSync } from 'node:fs';
import path from 'node:path';
import OpenAI from 'openai';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { dispatchControlMessage } from '../host/control/dispatch-control-message.js';
import type { ConfigView } from '../host/service/localgate-service.types.js';
import { startFakeOpenAIUpstream, type FakeOpenAIUpstream } from './fakes/fake-openai-upstream.js';
import { openService } from './helpers/running-service.js';

type Harness = Awaited<ReturnType<typeof openService>>;

/** `accounts.update` and the pushed `config`, over the control protocol against the real service. */
describe('accounts.update control message', () => {
  let harness: Harness;
  let upstream: FakeOpenAIUpstream;
  let nextId = 1;

  beforeEach(async () => {
    upstream = await startFakeOpenAIUpstream();
    harness = await openService();
  });

  afterEach(async () => {
    await harness.close();
    await upstream.close();
  });

  const send = (type: string, payload?: unknown) =>
    dispatchControlMessage(JSON.stringify({ id: String(nextId++), type, payload }), harness.service, { requestShutdown: () => undefined });
  const savedAccounts = () => JSON.parse(readFileSync(path.join(harness.home, 'accounts.json'), 'utf8')).accounts as Array<Record<string, unknown>>;

  it('changes only the fields named, saves them (0600) and never sends the key back', async () => {
    const { id } = harness.service.addAccount({ provider: 'openai', base_url: 'http://127.0.0.1:9/v1', api_key: 'sk-old-secret-key', label: 'work', models: ['gpt-4o'] });
    const reply = await send('accounts.update', { id, label: 'team', base_url: 'http://127.0.0.1:10/v1/', models: ['gpt-4o*', 'o3'] });
    expect(reply).toMatchObject({ ok: true, result: { id, label: 'team', base_url: 'http://127.0.0.1:10/v1', models: ['gpt-4o*', 'o3'], enabled: true } });
    expect(JSON.stringify(reply)).not.toContain('sk-old-secret-key');
    expect(savedAccounts()).toEqual([
      { id, provider: 'openai', label: 'team', base_url: 'http://127.0.0.1:10/v1', api_key: 'sk-old-secret-key', models: ['gpt-4o*', 'o3'], enabled: true },
    ]);
    expect(statSync(path.join(harness.home, 'accounts.json')).mode & 0o777).toBe(0o600);

    expect(await send('accounts.update', { id, models: null, api_key: 'sk-new-secret-key' })).toMatchObject({ ok: true });
    const [saved] = savedAccounts();
    expect(saved).not.toHaveProperty('models');
    expect(saved!.api_key).toBe('sk-new-secret-key');
  });

  it('refuses what an added account would refuse, and an unknown id, changing nothing', async () => {
    const { id } = harness.service.addAccount({ provider: 'openai', base_url: 'http://127.0.0.1:9/v1', api_key: 'sk-old-secret-key', label: 'work' });
    expect(await send('accounts.update', { id, base_url: 'ftp://x' })).toMatchObject({ ok: false, error: { code: 'INVALID_ACCOUNT' } });
    expect(await send('accounts.update', { id, label: '' })).toMatchObject({ ok: false, error: { code: 'INVALID_ACCOUNT' } });
    expect(await send('accounts.update', { id, provider: 'gemini' })).toMatchObject({ ok: false, error: { code: 'INVALID_ACCOUNT' } });
    expect(await send('accounts.update', { id: 'acc_nothere', label: 'x' })).toMatchObject({ ok: false, error: { code: 'ACCOUNT_NOT_FOUND' } });
    expect(savedAccounts()[0]).toMatchObject({ label: 'work', base_url: 'http://127.0.0.1:9/v1', api_key: 'sk-old-secret-key' });
  });

  it('a new key for an account whose key was rejected serves at once', async () => {
    const client = new OpenAI({ baseURL: `${harness.origin()}/v1`, apiKey: 'unused', maxRetries: 0 });
    const chat = () => client.chat.completions.create({ model: 'gpt-4o-mini', messages: [{ role: 'user', content: 'hi' }] });
    const { id } = harness.service.addAccount({ provider: 'openai', base_url: upstream.baseUrl, api_key: 'sk-wrong-key', label: 'bad' });
    await harness.service.startProxy();
    await expect(chat()).rejects.toMatchObject({ status: 503 });
    expect(harness.service.listAccounts()[0]!.status).toMatchObject({ state: 'disabled', kind: 'key-rejected' });

    expect(await send('accounts.update', { id, api_key: upstream.apiKey })).toMatchObject({ ok: true, result: { status: { state: 'ready' } } });
    upstream.fallback = { kind: 'ok', text: 'with the new key' };
    expect((await chat()).choices[0]?.message.content).toBe('with the new key');
    // Its model list is fetched again with the new key (the count the views show).
    await expect.poll(() => harness.service.listAccounts()[0]!.model_count).toBe(2);
    expect(upstream.modelListRequests.at(-1)!.headers.authorization).toBe(`Bearer ${upstream.apiKey}`);
  });

  it('a label change keeps what the pool knows about the key', async () => {
    const client = new OpenAI({ baseURL: `${harness.origin()}/v1`, apiKey: 'unused', maxRetries: 0 });
    const { id } = harness.service.addAccount({ provider: 'openai', base_url: upstream.baseUrl, api_key: 'sk-wrong-key', label: 'bad' });
    await harness.service.startProxy();
    await expect(client.chat.completions.create({ model: 'gpt-4o-mini', messages: [{ role: 'user', content: 'hi' }] })).rejects.toMatchObject({ status: 503 });
    expect(await send('accounts.update', { id, label: 'still bad' })).toMatchObject({ ok: true, result: { status: { state: 'disabled', kind: 'key-rejected' } } });
  });
});

describe('config pushed to control clients', () => {
  let harness: Harness;

  beforeEach(async () => {
    harness = await openService();
  });
  afterEach(() => harness.close());

  it('every change reaches onConfig listeners, a regenerated key too (saved 0600)', async () => {
    const pushed: ConfigView[] = [];
    harness.service.onConfig((config) => pushed.push(config));
    await harness.service.updateConfig({ scheduling: 'sticky' });
    const regenerated = await harness.service.regenerateApiKey();
    expect(pushed.map((config) => config.scheduling)).toEqual(['sticky', 'sticky']);
    expect(pushed[1]!.api_key).toBe(regenerated.api_key);
    expect(regenerated.api_key).toMatch(/^sk-/);
    expect(pushed[0]!.api_key).not.toBe(regenerated.api_key);
    const configFile = path.join(harness.home, 'config.json');
    expect(JSON.parse(readFileSync(configFile, 'utf8')).api_key).toBe(regenerated.api_key);
    expect(statSync(configFile).mode & 0o777).toBe(0o600);
  });

  it('a refused change pushes nothing', async () => {
    const pushed: ConfigView[] = [];
    harness.service.onConfig((config) => pushed.push(config));
    await expect(harness.service.updateConfig({ port: 80 })).rejects.toMatchObject({ code: 'INVALID_CONFIG' });
    expect(pushed).toEqual([]);
  });
});
