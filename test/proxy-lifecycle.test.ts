import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createServer, connect, type Server } from 'node:net';
import { request } from 'undici';
import { LocalgateError } from '../shared/errors.js';
import { freePort } from './helpers/temp-home.js';
import { openService } from './helpers/running-service.js';
import { startFakeOpenAIUpstream, type FakeOpenAIUpstream } from './fakes/fake-openai-upstream.js';

type Harness = Awaited<ReturnType<typeof openService>>;

/** Resolves to 'connected' or the socket error code (e.g. ECONNREFUSED). */
function tryConnect(host: string, port: number): Promise<string> {
  return new Promise((resolve) => {
    const socket = connect({ host, port });
    socket.once('connect', () => {
      socket.destroy();
      resolve('connected');
    });
    socket.once('error', (error: NodeJS.ErrnoException) => resolve(error.code ?? 'error'));
  });
}

async function healthz(port: number, host = '127.0.0.1'): Promise<number> {
  const response = await request(`http://${host}:${port}/healthz`);
  await response.body.dump();
  return response.statusCode;
}

describe('proxy lifecycle', () => {
  let harness: Harness;
  let upstream: FakeOpenAIUpstream;
  let blocker: Server | undefined;

  beforeEach(async () => {
    upstream = await startFakeOpenAIUpstream();
    harness = await openService({ auth_mode: 'off' });
  });
  afterEach(async () => {
    await harness.close();
    await upstream.close();
    await new Promise<void>((resolve) => (blocker ? blocker.close(() => resolve()) : resolve()));
    blocker = undefined;
  });

  const addAccount = () => harness.service.addAccount({ provider: 'openai', base_url: upstream.baseUrl, api_key: upstream.apiKey });

  it('refuses to start with an empty pool, with the reference wording, and stays usable', async () => {
    const error = await harness.service.startProxy().catch((e: unknown) => e);
    expect(error).toBeInstanceOf(LocalgateError);
    expect((error as LocalgateError).code).toBe('NO_ACCOUNTS');
    expect((error as Error).message).toBe('No available accounts, please add an account first');
    expect(harness.service.status().proxy).toMatchObject({ state: 'stopped', last_error: { code: 'NO_ACCOUNTS' } });

    addAccount();
    const status = await harness.service.startProxy();
    expect(status.proxy.state).toBe('running');
    expect(status.proxy.last_error).toBeUndefined();
    expect(await healthz(harness.service.config().port)).toBe(200);
  });

  it('refuses to start on a busy port with the reference wording, and starts once the port is changed', async () => {
    addAccount();
    const port = harness.service.config().port;
    blocker = createServer();
    await new Promise<void>((resolve) => blocker!.listen(port, '127.0.0.1', () => resolve()));

    const error = await harness.service.startProxy().catch((e: unknown) => e);
    expect((error as LocalgateError).code).toBe('BIND_FAILED');
    expect((error as Error).message).toMatch(new RegExp(`^Failed to start proxy server: failed to bind address 127\\.0\\.0\\.1:${port}: EADDRINUSE`));
    expect(harness.service.status().proxy.state).toBe('stopped');

    const newPort = await freePort();
    await harness.service.updateConfig({ port: newPort });
    await harness.service.startProxy();
    expect(await healthz(newPort)).toBe(200);
  });

  it('releases the port on stop', async () => {
    addAccount();
    await harness.service.startProxy();
    const port = harness.service.config().port;
    expect(await tryConnect('127.0.0.1', port)).toBe('connected');
    const status = await harness.service.stopProxy();
    expect(status.proxy.state).toBe('stopped');
    expect(await tryConnect('127.0.0.1', port)).toBe('ECONNREFUSED');
    // Free means another program can bind it now.
    blocker = createServer();
    await new Promise<void>((resolve, reject) => {
      blocker!.once('error', reject);
      blocker!.listen(port, '127.0.0.1', () => resolve());
    });
  });

  it('re-binds on a port change while running, without a restart', async () => {
    addAccount();
    await harness.service.startProxy();
    const oldPort = harness.service.config().port;
    const newPort = await freePort();
    await harness.service.updateConfig({ port: newPort });
    expect(harness.service.status().proxy).toMatchObject({ state: 'running', port: newPort });
    expect(await healthz(newPort)).toBe(200);
    expect(await tryConnect('127.0.0.1', oldPort)).toBe('ECONNREFUSED');
  });

  it('binds loopback only with LAN access off, and all addresses with it on', async () => {
    addAccount();
    await harness.service.startProxy();
    const port = harness.service.config().port;
    expect(harness.service.status().proxy.host).toBe('127.0.0.1');
    // 127.0.0.2 is another local address: a loopback-only listener must refuse it.
    expect(await tryConnect('127.0.0.2', port)).toBe('ECONNREFUSED');

    await harness.service.updateConfig({ allow_lan_access: true });
    expect(harness.service.status().proxy.host).toBe('0.0.0.0');
    expect(await tryConnect('127.0.0.2', port)).toBe('connected');
    expect(await healthz(port, '127.0.0.2')).toBe(200);
  });

  it('checks its own /healthz the way a client would', async () => {
    addAccount();
    const down = await harness.service.healthzCheck();
    expect(down).toMatchObject({ ok: false, error: expect.stringContaining('refused') });
    await harness.service.startProxy();
    await harness.service.updateConfig({ auth_mode: 'strict' });
    const up = await harness.service.healthzCheck();
    expect(up).toMatchObject({ ok: true, status: 200, body: '{"status":"ok"}', url: `http://127.0.0.1:${harness.service.config().port}/healthz` });
  });

  it('lets in-flight requests finish when stopping', async () => {
    addAccount();
    await harness.service.startProxy();
    upstream.fallback = { kind: 'ok', text: 'slow answer here', delayBetweenChunksMs: 150 };
    const inflight = request(`${harness.origin()}/v1/chat/completions`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ model: 'gpt-4o-mini', stream: true, messages: [{ role: 'user', content: 'x' }] }),
    }).then((response) => response.body.text());
    await new Promise((resolve) => setTimeout(resolve, 100));
    const stopStarted = performance.now();
    await harness.service.stopProxy();
    const text = await inflight;
    // Stopping waited for the stream, and did not hold the port for the whole grace period.
    expect(performance.now() - stopStarted).toBeLessThan(4_000);
    expect(text).toContain('data: [DONE]');
    expect(text).toContain('answer');
  });
});
