import type { AddressInfo } from 'node:net';
import type { FastifyInstance } from 'fastify';
import OpenAI from 'openai';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type WebSocket from 'ws';
import { buildControlServer } from '../host/control/build-control-server.js';
import { openControlSocket } from '../host/control/open-control-socket.js';
import { ControlEventSchema } from '../shared/control/envelope.js';
import { DaemonStatusSchema, type DaemonStatus } from '../shared/status.js';
import { startFakeOpenAIUpstream, type FakeOpenAIUpstream } from './fakes/fake-openai-upstream.js';
import { OPENAI_401 } from './fakes/provider-errors.js';
import { openService } from './helpers/running-service.js';

const TOKEN = 'c'.repeat(64);

/**
 * What traffic does to the pool reaches control clients by itself: the real service and proxy,
 * the real control server, a WebSocket client as the popup's background worker holds, the OpenAI
 * SDK sending requests, a fake OpenAI upstream answering 429 / 401.
 */
describe('pool state changes are pushed to control clients', () => {
  let harness: Awaited<ReturnType<typeof openService>>;
  let control: FastifyInstance;
  let upstream: FakeOpenAIUpstream;
  let socket: WebSocket;
  /** Every `status` event received, with when it arrived. */
  const pushed: Array<{ at: number; status: DaemonStatus }> = [];

  beforeEach(async () => {
    pushed.length = 0;
    upstream = await startFakeOpenAIUpstream();
    harness = await openService();
    harness.service.addAccount({ provider: 'openai', base_url: upstream.baseUrl, api_key: upstream.apiKey, label: 'only' });
    await harness.service.startProxy();
    control = buildControlServer({ api: harness.service, token: TOKEN, onShutdown: () => undefined });
    await control.listen({ host: '127.0.0.1', port: 0 });
    const { port } = control.server.address() as AddressInfo;
    socket = await openControlSocket({ port, token: TOKEN, timeoutMs: 5_000 });
    socket.on('message', (data) => {
      const event = ControlEventSchema.parse(JSON.parse(data.toString()));
      if (event.event === 'status') pushed.push({ at: Date.now(), status: DaemonStatusSchema.parse(event.data) });
    });
  });

  afterEach(async () => {
    socket.close();
    await control.close();
    await harness.close();
    await upstream.close();
  });

  const chat = () => new OpenAI({ baseURL: `${harness.origin()}/v1`, apiKey: 'unused', maxRetries: 0 }).chat.completions.create({ model: 'gpt-4o-mini', messages: [{ role: 'user', content: 'hi' }] });
  const only = (status: DaemonStatus) => status.accounts[0]!;
  /** The first status pushed after `since` that satisfies `test`. */
  const pushedAfter = (since: number, test: (status: DaemonStatus) => boolean) => pushed.find((entry) => entry.at >= since && test(entry.status));

  it('a 429 through the proxy: the cooling is pushed within a second, and the account comes back ready by itself', async () => {
    upstream.queue.push({ kind: 'error', status: 429, headers: { 'retry-after': '1' } });
    upstream.fallback = { kind: 'ok', text: 'back' };
    await expect(chat()).rejects.toBeInstanceOf(OpenAI.RateLimitError);
    const answered = Date.now();
    await expect.poll(() => pushedAfter(answered - 1_000, (status) => (only(status).models_cooling?.length ?? 0) > 0), { timeout: 1_000, interval: 20 }).toBeDefined();
    const cooling = pushedAfter(answered - 1_000, (status) => (only(status).models_cooling?.length ?? 0) > 0)!;
    expect(cooling.at - answered).toBeLessThan(1_000);
    expect(only(cooling.status).models_cooling).toEqual([{ model: 'gpt-4o-mini', until: expect.any(Number), kind: 'rate-limited', reason: 'rate limited (HTTP 429)' }]);
    const restEnds = only(cooling.status).models_cooling![0]!.until;

    // Nobody asks: the rest's end is pushed, within a second of it.
    await expect.poll(() => pushedAfter(restEnds, (status) => only(status).models_cooling === undefined), { timeout: 3_000, interval: 20 }).toBeDefined();
    const ready = pushedAfter(restEnds, (status) => only(status).models_cooling === undefined)!;
    expect(ready.at - restEnds).toBeLessThan(1_000);
    expect(only(ready.status).status).toEqual({ state: 'ready' });
    expect((await chat()).choices[0]?.message.content).toBe('back');
  });

  it('a key rejected by the upstream is pushed as disabled', async () => {
    upstream.fallback = { kind: 'error', status: 401, body: OPENAI_401 };
    await expect(chat()).rejects.toMatchObject({ status: 503 });
    const answered = Date.now();
    await expect
      .poll(() => pushedAfter(answered - 1_000, (status) => only(status).status.state === 'disabled')?.status, { timeout: 1_000, interval: 20 })
      .toMatchObject({ active_accounts: 0, accounts: [{ status: { state: 'disabled', kind: 'key-rejected', reason: 'upstream rejected the key (HTTP 401)' } }] });
  });
});
