import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { NATIVE_HOST_NAME } from '../../shared/extension-identity';
import type { Pairing } from '../../shared/control/pairing';
import { ConnectionManager } from '../background/connection-manager';
import type { ConnectionInfo, ViewEvent } from '../utils/view-protocol';
import { fakeTransports, flush, NOT_FOUND, SAMPLE_CONFIG, sampleStatus } from './fakes';

const PAIRING: Pairing = { url: 'ws://127.0.0.1:47001/control', token: 'a1b2c3d4e5f6a7b8' };

function setup(pairing: Pairing | null = null) {
  const transports = fakeTransports();
  const warnings: string[] = [];
  const states: ConnectionInfo[] = [];
  const events: ViewEvent[] = [];
  const manager = new ConnectionManager({
    transports: transports.deps,
    loadPairing: async () => pairing,
    warn: (message) => warnings.push(message),
  });
  manager.onStateChange((info) => states.push(info));
  manager.onEvent((event) => events.push(event));
  return { manager, transports, warnings, states, events };
}

function lastSent(list: unknown[]): { id: string; type: string; payload?: unknown } {
  return list.at(-1) as { id: string; type: string; payload?: unknown };
}

describe('ConnectionManager', () => {
  afterEach(() => {
    vi.useRealTimers();
  });

  it('tries the native host first and correlates the reply by id', async () => {
    const { manager, transports, states } = setup(PAIRING);
    const outcome = manager.request('proxy.status');
    await flush();
    expect(transports.ports).toHaveLength(1);
    expect(transports.ports[0]!.name).toBe(NATIVE_HOST_NAME);
    expect(transports.sockets).toHaveLength(0);
    const sent = lastSent(transports.ports[0]!.sent);
    expect(sent.type).toBe('proxy.status');

    transports.ports[0]!.receive({ id: 'someone-else', ok: true, result: {} }); // ignored
    transports.ports[0]!.receive({ id: sent.id, ok: true, result: sampleStatus({ state: 'running', url: 'http://127.0.0.1:8045' }) });
    await expect(outcome).resolves.toMatchObject({ ok: true, result: { proxy: { state: 'running' } } });
    expect(manager.info).toMatchObject({ state: 'connected', transport: 'native' });
    expect(states.map((s) => s.state)).toEqual(['connecting', 'connected']);
    expect(manager.pendingCount).toBe(0);
  });

  it('keeps concurrent requests apart', async () => {
    const { manager, transports } = setup();
    const status = manager.request('proxy.status');
    const accounts = manager.request('accounts.list');
    await flush();
    const [first, second] = transports.ports[0]!.sent as { id: string }[];
    expect(first!.id).not.toBe(second!.id);
    transports.ports[0]!.receive({ id: second!.id, ok: true, result: [] });
    transports.ports[0]!.receive({ id: first!.id, ok: false, error: { code: 'NO_ACCOUNTS', message: 'No available accounts, please add an account first' } });
    await expect(accounts).resolves.toEqual({ ok: true, result: [] });
    await expect(status).resolves.toEqual({
      ok: false,
      error: { code: 'NO_ACCOUNTS', message: 'No available accounts, please add an account first' },
    });
  });

  it('falls back to the paired WebSocket when the native host is not installed', async () => {
    const { manager, transports, states } = setup(PAIRING);
    const outcome = manager.request('proxy.status');
    await flush();
    transports.closeNative(transports.ports[0]!, NOT_FOUND);
    await flush();
    expect(transports.sockets).toHaveLength(1);
    const socket = transports.sockets[0]!;
    expect(socket.url).toBe(PAIRING.url);
    expect(socket.protocols).toEqual(['localgate.v2']); // the token never travels
    expect(socket.sent).toHaveLength(0); // not open yet

    socket.open();
    expect(socket.sent).toEqual([{ auth: 'hello', nonce: expect.stringMatching(/^[0-9a-f]{64}$/) }]);
    expect(manager.info).toMatchObject({ state: 'connecting', transport: 'websocket' });
    expect(await socket.playDaemonHandshake(PAIRING.token)).toBe(true);
    expect(manager.info).toMatchObject({ state: 'connected', transport: 'websocket' });
    expect(JSON.stringify(socket.sent)).not.toContain(PAIRING.token);
    const sent = lastSent(socket.sent);
    expect(sent.type).toBe('proxy.status');
    socket.receive({ id: sent.id, ok: true, result: sampleStatus() });
    await expect(outcome).resolves.toMatchObject({ ok: true });
    expect(states.map((s) => `${s.state}/${s.transport}`)).toEqual([
      'connecting/native',
      'connecting/websocket',
      'connected/websocket',
    ]);
  });

  describe('the paired WebSocket’s handshake', () => {
    async function pairedSocket() {
      const context = setup(PAIRING);
      const outcome = context.manager.request('accounts.add', { provider: 'openai', base_url: 'https://api.example/v1', api_key: 'sk-abcdefghijklmnop' });
      await flush();
      context.transports.closeNative(context.transports.ports[0]!, NOT_FOUND);
      await flush();
      const socket = context.transports.sockets[0]!;
      socket.open();
      return { ...context, outcome, socket };
    }

    it('sends nothing but its hello to a port whose owner cannot prove it holds the token, and reports NOT_PAIRED', async () => {
      const { manager, socket, outcome } = await pairedSocket();
      expect(await socket.playDaemonHandshake('ffffffffffffffff')).toBe(false);
      await expect(outcome).resolves.toMatchObject({ ok: false, error: { code: 'NOT_PAIRED', message: expect.stringContaining('did not prove') } });
      expect(socket.sent).toHaveLength(1);
      expect(socket.sent[0]).toMatchObject({ auth: 'hello' });
      expect(manager.info).toMatchObject({ state: 'error', transport: 'websocket', code: 'NOT_PAIRED', paired: true });
    });

    it('reports NOT_PAIRED when the daemon refuses its proof', async () => {
      const { manager, socket, outcome } = await pairedSocket();
      socket.fail(4401);
      await expect(outcome).resolves.toMatchObject({ ok: false, error: { code: 'NOT_PAIRED' } });
      expect(manager.info).toMatchObject({ code: 'NOT_PAIRED' });
    });

    it('gives up on a daemon that skips the challenge', async () => {
      const { socket, outcome } = await pairedSocket();
      socket.receive({ auth: 'ok' });
      await expect(outcome).resolves.toMatchObject({ ok: false, error: { code: 'NOT_PAIRED' } });
      expect(socket.sent).toHaveLength(1);
    });
  });

  it('resends a waiting request after a reconnect with the same id, so the daemon can answer it once', async () => {
    const { manager, transports } = setup();
    const outcome = manager.request('proxy.start');
    await flush();
    const first = lastSent(transports.ports[0]!.sent);
    manager.retry();
    await flush();
    expect(transports.ports).toHaveLength(2);
    expect(transports.ports[1]!.sent).toEqual([first]);
    transports.ports[1]!.receive({ id: first.id, ok: true, result: sampleStatus({ state: 'running' }) });
    await expect(outcome).resolves.toMatchObject({ ok: true });
  });

  it('gives each worker its own request ids', async () => {
    const one = setup();
    const two = setup();
    void one.manager.request('proxy.start');
    void two.manager.request('proxy.start');
    await flush();
    const [a, b] = [lastSent(one.transports.ports[0]!.sent).id, lastSent(two.transports.ports[0]!.sent).id];
    expect(a).toMatch(/^bg-[0-9a-f]{16}-1$/);
    expect(b).toMatch(/^bg-[0-9a-f]{16}-1$/);
    expect(a).not.toBe(b);
  });

  it('recognises Firefox’s missing-host error on port.error', async () => {
    const { manager, transports } = setup(null);
    const outcome = manager.request('proxy.status');
    await flush();
    const port = transports.ports[0]!;
    port.error = { message: `No such native application ${NATIVE_HOST_NAME}` };
    port.close();
    await expect(outcome).resolves.toMatchObject({ ok: false, error: { code: 'NATIVE_HOST_MISSING' } });
  });

  it('reports native-host-missing when there is no pairing', async () => {
    const { manager, transports } = setup(null);
    const outcome = manager.request('config.get');
    await flush();
    transports.closeNative(transports.ports[0]!, NOT_FOUND);
    await expect(outcome).resolves.toEqual({
      ok: false,
      error: { code: 'NATIVE_HOST_MISSING', message: 'The Localgate native host is not installed' },
    });
    expect(manager.info).toMatchObject({ state: 'native-host-missing', code: 'NATIVE_HOST_MISSING' });
    expect(transports.sockets).toHaveLength(0);
  });

  it('times out a request nobody answers', async () => {
    vi.useFakeTimers();
    const { manager, transports } = setup();
    const outcome = manager.request('proxy.status');
    await vi.advanceTimersByTimeAsync(14_999);
    expect(transports.ports[0]!.sent).toHaveLength(1);
    await vi.advanceTimersByTimeAsync(1);
    await expect(outcome).resolves.toEqual({
      ok: false,
      error: { code: 'TIMEOUT', message: 'The daemon did not answer in time' },
    });
    expect(manager.pendingCount).toBe(0);
  });

  it('waits longer for an account test (a model list may span slow pages)', async () => {
    vi.useFakeTimers();
    const { manager } = setup();
    let settled = false;
    const outcome = manager.request('accounts.test', { id: 'a1' }).finally(() => (settled = true));
    await vi.advanceTimersByTimeAsync(59_999);
    expect(settled).toBe(false);
    await vi.advanceTimersByTimeAsync(1);
    await expect(outcome).resolves.toMatchObject({ ok: false, error: { code: 'TIMEOUT' } });
  });

  describe('inbound validation', () => {
    it('rejects a reply whose result does not match the schema of its request type', async () => {
      const { manager, transports, warnings } = setup();
      const outcome = manager.request('proxy.status');
      await flush();
      const sent = lastSent(transports.ports[0]!.sent);
      transports.ports[0]!.receive({ id: sent.id, ok: true, result: { proxy: 'nope' } });
      await expect(outcome).resolves.toMatchObject({ ok: false, error: { code: 'INVALID_MESSAGE' } });
      expect(warnings.join('\n')).toMatch(/invalid proxy\.status result/);
    });

    it('rejects a malformed envelope answering a pending request, and drops other junk', async () => {
      const { manager, transports, warnings } = setup();
      const outcome = manager.request('proxy.status');
      await flush();
      const port = transports.ports[0]!;
      port.receive('hello');
      port.receive({ nonsense: true });
      expect(manager.pendingCount).toBe(1);
      const sent = lastSent(port.sent);
      port.receive({ id: sent.id, ok: false, error: { code: 'NOT_A_CODE', message: 'x' } });
      await expect(outcome).resolves.toMatchObject({ ok: false, error: { code: 'INVALID_MESSAGE' } });
      expect(warnings.length).toBeGreaterThanOrEqual(2);
    });

    it('forwards valid events and drops invalid or unknown ones', async () => {
      const { manager, transports, events } = setup();
      manager.connect();
      await flush();
      const port = transports.ports[0]!;
      port.receive({ event: 'status', data: sampleStatus({ state: 'running' }) });
      port.receive({ event: 'status', data: { bogus: 1 } });
      port.receive({ event: 'monitor.entry', data: { id: 'r1' } });
      port.receive({ event: 'unheard.of', data: {} });
      port.receive({
        event: 'monitor.entry',
        data: { id: 'r2', time: 1, method: 'POST', path: '/v1/chat/completions', protocol: 'openai', status: 200, latency_ms: 12 },
      });
      port.receive({ event: 'config', data: { ...SAMPLE_CONFIG, port: 'not a number' } });
      port.receive({ event: 'config', data: SAMPLE_CONFIG });
      expect(events.map((e) => e.event)).toEqual(['status', 'monitor.entry', 'config']);
      expect(events[1]!.data).toMatchObject({ id: 'r2' });
      expect(events[2]!.data).toEqual(SAMPLE_CONFIG);
      expect(manager.info.state).toBe('connected');
    });
  });

  it('validates payloads before sending', async () => {
    const { manager, transports } = setup();
    const outcome = await manager.request('config.update', { api_key: 'nope' });
    expect(outcome).toMatchObject({ ok: false, error: { code: 'INVALID_CONFIG' } });
    expect(!outcome.ok && outcome.error.message).toMatch(/^Invalid configuration: api_key: /);
    expect(transports.ports).toHaveLength(0);
  });

  it('fails in-flight requests when the host goes away, then reconnects lazily', async () => {
    const { manager, transports } = setup();
    const first = manager.request('proxy.status');
    await flush();
    const port = transports.ports[0]!;
    port.receive({ event: 'status', data: sampleStatus() });
    transports.closeNative(port, 'Native host has exited.');
    await expect(first).resolves.toMatchObject({ ok: false, error: { code: 'DAEMON_UNREACHABLE' } });
    expect(manager.info).toMatchObject({ state: 'error', transport: 'native' });
    expect(transports.ports).toHaveLength(1); // nothing reconnects by itself

    const second = manager.request('proxy.status');
    await flush();
    expect(transports.ports).toHaveLength(2);
    const sent = lastSent(transports.ports[1]!.sent);
    transports.ports[1]!.receive({ id: sent.id, ok: true, result: sampleStatus() });
    await expect(second).resolves.toMatchObject({ ok: true });
    expect(manager.info.state).toBe('connected');
  });

  it('reports a relay that cannot reach the daemon as an error state', async () => {
    const { manager, transports } = setup();
    const outcome = manager.request('proxy.status');
    await flush();
    const sent = lastSent(transports.ports[0]!.sent);
    transports.ports[0]!.receive({
      id: sent.id,
      ok: false,
      error: { code: 'DAEMON_UNREACHABLE', message: 'The Localgate daemon is not running and could not be started' },
    });
    await expect(outcome).resolves.toMatchObject({ ok: false, error: { code: 'DAEMON_UNREACHABLE' } });
    expect(manager.info).toMatchObject({ state: 'error', transport: 'native', code: 'DAEMON_UNREACHABLE' });
  });

  it('reports a WebSocket that will not open (daemon down or stale pairing)', async () => {
    const { manager, transports } = setup(PAIRING);
    const outcome = manager.request('proxy.status');
    await flush();
    transports.closeNative(transports.ports[0]!, NOT_FOUND);
    await flush();
    transports.sockets[0]!.fail();
    await expect(outcome).resolves.toMatchObject({ ok: false, error: { code: 'DAEMON_UNREACHABLE' } });
    expect(manager.info).toMatchObject({ state: 'error', transport: 'websocket', paired: true });
  });

  describe('closeIfIdle', () => {
    beforeEach(() => vi.useRealTimers());

    it('closes only when nothing is pending', async () => {
      const { manager, transports } = setup();
      const outcome = manager.request('proxy.status');
      await flush();
      expect(manager.closeIfIdle()).toBe(false);
      const sent = lastSent(transports.ports[0]!.sent);
      transports.ports[0]!.receive({ id: sent.id, ok: true, result: sampleStatus() });
      await outcome;
      expect(manager.closeIfIdle()).toBe(true);
      expect(transports.ports[0]!.disconnected).toBe(true);
    });
  });
});
