import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import OpenAI from 'openai';
import { dispatchControlMessage } from '../host/control/dispatch-control-message.js';
import { startFakeOpenAIUpstream, type FakeOpenAIUpstream } from './fakes/fake-openai-upstream.js';
import { openService } from './helpers/running-service.js';

type Harness = Awaited<ReturnType<typeof openService>>;

/** `accounts.reset` over the control protocol, against the real service and proxy. */
describe('accounts.reset control message', () => {
  let harness: Harness;
  let upstream: FakeOpenAIUpstream;
  let client: OpenAI;
  let nextId = 1;

  beforeEach(async () => {
    upstream = await startFakeOpenAIUpstream();
    harness = await openService();
    client = new OpenAI({ baseURL: `${harness.origin()}/v1`, apiKey: 'unused', maxRetries: 0 });
  });

  afterEach(async () => {
    await harness.close();
    await upstream.close();
  });

  const send = (type: string, payload?: unknown) =>
    dispatchControlMessage(JSON.stringify({ id: String(nextId++), type, payload }), harness.service, { requestShutdown: () => undefined });

  const chat = () => client.chat.completions.create({ model: 'gpt-4o-mini', messages: [{ role: 'user', content: 'hi' }] });

  it('makes a resting account serve the next request', async () => {
    const { id } = harness.service.addAccount({ provider: 'openai', base_url: upstream.baseUrl, api_key: upstream.apiKey, label: 'only' });
    await harness.service.startProxy();
    upstream.queue.push({ kind: 'error', status: 429, headers: { 'retry-after': '3600' } });
    await expect(chat()).rejects.toMatchObject({ status: 429 });
    // Resting for an hour, for the whole account or for the model: either way nothing is tried.
    const [resting] = harness.service.listAccounts();
    const rests = resting!.status.state === 'cooling' || (resting!.models_cooling ?? []).length > 0;
    expect(rests).toBe(true);
    await expect(chat()).rejects.toMatchObject({ status: 429 });
    expect(upstream.requests).toHaveLength(1);

    const reply = await send('accounts.reset', { id });
    expect(reply).toMatchObject({ ok: true, result: { id, status: { state: 'ready' } } });
    expect(reply.ok && Object.hasOwn(reply.result as object, 'models_cooling')).toBe(false);
    upstream.fallback = { kind: 'ok', text: 'back' };
    expect((await chat()).choices[0]?.message.content).toBe('back');
  });

  it('clears a rejection by the upstream but not a user\'s disable', async () => {
    const { id } = harness.service.addAccount({ provider: 'openai', base_url: upstream.baseUrl, api_key: 'sk-wrong-key', label: 'bad' });
    await harness.service.startProxy();
    await expect(chat()).rejects.toMatchObject({ status: 503 });
    expect(harness.service.listAccounts()[0]!.status).toMatchObject({ state: 'disabled', kind: 'key-rejected' });
    expect(await send('accounts.reset', { id })).toMatchObject({ ok: true, result: { status: { state: 'ready' } } });

    harness.service.setAccountEnabled(id, false);
    expect(await send('accounts.reset', { id })).toMatchObject({ ok: true, result: { enabled: false, status: { state: 'disabled', kind: 'by-user' } } });
  });

  it('reports an unknown id and a malformed payload', async () => {
    expect(await send('accounts.reset', { id: 'acc_nope' })).toMatchObject({ ok: false, error: { code: 'ACCOUNT_NOT_FOUND', message: 'No account with id "acc_nope"' } });
    expect(await send('accounts.reset', {})).toMatchObject({ ok: false, error: { code: 'INVALID_MESSAGE' } });
  });
});
