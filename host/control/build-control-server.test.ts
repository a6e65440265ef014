import type { AddressInfo } from 'node:net';
import type { FastifyInstance } from 'fastify';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import WebSocket, { WebSocketServer } from 'ws';
import type { AccountView, NewAccount } from '../../shared/accounts.js';
import { CONTROL_SUBPROTOCOL } from '../../shared/control/control-websocket.js';
import { ClientHandshake, CONTROL_CLOSE_CODES } from '../../shared/control/handshake.js';
import { ControlReplySchema, type ControlReply } from '../../shared/control/envelope.js';
import { LocalgateError } from '../../shared/errors.js';
import { EXTENSION_ID } from '../../shared/extension-identity.js';
import type { MonitorEntry } from '../../shared/monitor.js';
import type { DaemonStatus } from '../../shared/status.js';
import { DaemonClient } from '../cli/daemon-client.js';
import type { ConfigView, LocalgateApi } from '../service/localgate-service.types.js';
import { buildControlServer } from './build-control-server.js';
import { nodeHandshakeCrypto } from './node-handshake-crypto.js';
import { openControlSocket } from './open-control-socket.js';

const TOKEN = 'a'.repeat(64);
const EXTENSION_ORIGIN = `chrome-extension://${EXTENSION_ID}`;
const CONFIG: ConfigView = {
  port: 8045,
  allow_lan_access: false,
  auth_mode: 'auto',
  api_key: 'sk-localgate-key-0',
  model_mapping: {},
  request_timeout_s: 600,
  default_max_tokens: {},
  cors_allowed_origins: [],
  allowed_hosts: [],
  log_retention_days: 7,
  monitor_capture_bodies: false,
  monitor_body_limit_bytes: 65536,
};

const account: AccountView = {
  id: 'acc_1',
  provider: 'openai',
  label: 'one',
  base_url: 'https://api.example/v1',
  api_key_masked: 'sk-abc…wxyz',
  enabled: true,
  status: { state: 'ready' },
};

function statusWith(activeAccounts: number): DaemonStatus {
  return {
    daemon: { pid: 1, version: '0.0.0', data_dir: '/tmp/x', started_at: 0 },
    proxy: { state: 'stopped', host: '127.0.0.1', port: 8045 },
    active_accounts: activeAccounts,
    accounts: [],
  };
}

/** Just enough of the service for the control server; anything else throws if reached. */
const entry: MonitorEntry = { id: 'r1', time: 1, method: 'POST', path: '/v1/chat/completions', protocol: 'openai', status: 200, latency_ms: 12 };

function fakeApi() {
  const listeners = new Set<(status: DaemonStatus) => void>();
  const monitorListeners = new Set<(entry: MonitorEntry) => void>();
  const configListeners = new Set<(config: ConfigView) => void>();
  const api = {
    dataDir: '/tmp/x',
    status: vi.fn(() => statusWith(0)),
    startProxy: vi.fn(async () => statusWith(0)),
    stopProxy: vi.fn(async () => statusWith(0)),
    addAccount: vi.fn(async (): Promise<AccountView> => account),
    // A service bug that put the raw key on a view must not reach the wire.
    listAccounts: vi.fn(() => [{ ...account, api_key: 'sk-the-real-upstream-key' }]),
    updateConfig: vi.fn(async () => {
      throw new LocalgateError('INVALID_CONFIG', 'Invalid configuration: port: too small');
    }),
    healthzCheck: vi.fn(async () => {
      throw new Error('a bug');
    }),
    recentRequests: vi.fn((limit?: number) => [{ ...entry, authorization: 'Bearer sk-leak' }].slice(0, limit)),
    onStatus: (listener: (status: DaemonStatus) => void) => {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
    onConfig: (listener: (config: ConfigView) => void) => {
      configListeners.add(listener);
      return () => configListeners.delete(listener);
    },
    onMonitorEntry: (listener: (entry: MonitorEntry) => void) => {
      monitorListeners.add(listener);
      return () => monitorListeners.delete(listener);
    },
    emit: (status: DaemonStatus) => listeners.forEach((listener) => listener(status)),
    emitEntry: (value: MonitorEntry) => monitorListeners.forEach((listener) => listener(value)),
    emitConfig: (config: ConfigView) => configListeners.forEach((listener) => listener(config)),
    listenerCount: () => listeners.size + monitorListeners.size + configListeners.size,
  };
  return api;
}

type FakeApi = ReturnType<typeof fakeApi>;

function nextMessage(socket: WebSocket): Promise<unknown> {
  return new Promise((resolve) => socket.once('message', (data) => resolve(JSON.parse(data.toString()))));
}

async function ask(socket: WebSocket, message: unknown): Promise<ControlReply> {
  const reply = nextMessage(socket);
  socket.send(typeof message === 'string' ? message : JSON.stringify(message));
  return ControlReplySchema.parse(await reply);
}

describe('control server', () => {
  let api: FakeApi;
  let app: FastifyInstance;
  let port: number;
  let onShutdown: ReturnType<typeof vi.fn<() => void>>;
  let connections: number;
  const sockets: WebSocket[] = [];

  beforeEach(async () => {
    api = fakeApi();
    onShutdown = vi.fn<() => void>();
    app = buildControlServer({ api: api as unknown as LocalgateApi, token: TOKEN, onShutdown, handshakeTimeoutMs: 500 });
    await app.listen({ host: '127.0.0.1', port: 0 });
    port = (app.server.address() as AddressInfo).port;
    connections = 0;
    app.websocketServer.on('connection', () => connections++);
  });

  afterEach(async () => {
    for (const socket of sockets.splice(0)) socket.terminate();
    await app.close();
  });

  /** A raw socket, opened (upgrade passed) but not authenticated, or the HTTP status that refused it. */
  function open(origin?: string): Promise<{ socket: WebSocket } | { status: number }> {
    const socket = new WebSocket(`ws://127.0.0.1:${port}/control`, [CONTROL_SUBPROTOCOL], origin ? { origin } : {});
    sockets.push(socket);
    return new Promise((resolve, reject) => {
      socket.once('open', () => resolve({ socket }));
      socket.once('unexpected-response', (_request, response) => {
        resolve({ status: response.statusCode ?? 0 });
        socket.terminate();
      });
      socket.once('error', reject);
    });
  }

  async function openRaw(origin?: string): Promise<WebSocket> {
    const opened = await open(origin);
    if (!('socket' in opened)) throw new Error(`refused with ${opened.status}`);
    return opened.socket;
  }

  /** A socket through the whole handshake, as the CLI and the native relay open it. */
  async function authenticated(): Promise<WebSocket> {
    const socket = await openControlSocket({ port, token: TOKEN, timeoutMs: 5_000 });
    sockets.push(socket);
    return socket;
  }

  function closed(socket: WebSocket): Promise<number> {
    return new Promise((resolve) => socket.once('close', (code) => resolve(code)));
  }

  describe('access: the origin before any socket, then the handshake before any answer', () => {
    it.each(['http://evil.example', 'https://localhost:3000', 'null', 'chrome-extension://someotherextensionidabcdefghijklm'])('refuses the origin %s with 403', async (origin) => {
      expect(await open(origin)).toEqual({ status: 403 });
      expect(connections).toBe(0);
      expect(api.status).not.toHaveBeenCalled();
    });

    it('runs the handshake for the Chrome and Firefox extension origins and local processes (no Origin)', async () => {
      for (const origin of [EXTENSION_ORIGIN, 'moz-extension://0b9d3b9e-6c53-4e3a-9a5f-1f2a3b4c5d6e', undefined]) {
        const socket = await openRaw(origin);
        const handshake = new ClientHandshake({ token: TOKEN, port, crypto: nodeHandshakeCrypto });
        socket.send(JSON.stringify(handshake.hello));
        const proof = await handshake.answer(await nextMessage(socket));
        expect(proof, String(origin)).toBeDefined();
        socket.send(JSON.stringify(proof));
        expect(await nextMessage(socket)).toEqual({ auth: 'ok' });
        expect(await ask(socket, { id: '1', type: 'proxy.status' })).toEqual({ id: '1', ok: true, result: statusWith(0) });
      }
    });

    it('selects only the version subprotocol', async () => {
      expect((await openRaw(EXTENSION_ORIGIN)).protocol).toBe(CONTROL_SUBPROTOCOL);
    });

    it('answers nothing sent before the handshake and closes the socket', async () => {
      const socket = await openRaw();
      const code = closed(socket);
      socket.send(JSON.stringify({ id: '1', type: 'daemon.shutdown' }));
      expect(await code).toBe(CONTROL_CLOSE_CODES.handshakeExpected);
      expect(onShutdown).not.toHaveBeenCalled();
    });

    it('closes a client whose proof is wrong as not paired, before it reaches a handler', async () => {
      const socket = await openRaw();
      socket.send(JSON.stringify(new ClientHandshake({ token: TOKEN, port, crypto: nodeHandshakeCrypto }).hello));
      await nextMessage(socket);
      const code = closed(socket);
      socket.send(JSON.stringify({ auth: 'proof', proof: 'e'.repeat(64) }));
      socket.send(JSON.stringify({ id: '1', type: 'proxy.status' }));
      expect(await code).toBe(CONTROL_CLOSE_CODES.notPaired);
      expect(api.status).not.toHaveBeenCalled();
    });

    it('leaves a client with another token unconvinced: it sends no proof and reports NOT_PAIRED', async () => {
      await expect(openControlSocket({ port, token: 'b'.repeat(64), timeoutMs: 5_000 })).rejects.toMatchObject({ code: 'NOT_PAIRED' });
      expect(api.status).not.toHaveBeenCalled();
    });

    it('closes a socket that does not finish the handshake in time', async () => {
      const socket = await openRaw();
      expect(await closed(socket)).toBe(CONTROL_CLOSE_CODES.handshakeTimeout);
    });

    it('pushes events only to sockets that finished the handshake', async () => {
      const stranger = await openRaw();
      const received: unknown[] = [];
      stranger.on('message', (data) => received.push(JSON.parse(data.toString())));
      const socket = await authenticated();
      const event = nextMessage(socket);
      api.emit(statusWith(2));
      expect(await event).toEqual({ event: 'status', data: statusWith(2) });
      expect(received).toEqual([]);
    });
  });

  describe('messages', () => {
    let socket: WebSocket;

    beforeEach(async () => {
      socket = await authenticated();
    });

    it('answers malformed, unknown and invalid messages with error replies and keeps the socket', async () => {
      expect(await ask(socket, 'not json')).toMatchObject({ id: '', ok: false, error: { code: 'INVALID_MESSAGE' } });
      expect(await ask(socket, { id: '2', payload: {} })).toMatchObject({ id: '2', ok: false, error: { code: 'INVALID_MESSAGE' } });
      expect(await ask(socket, { id: '3', type: 'proxy.explode' })).toMatchObject({ id: '3', ok: false, error: { code: 'UNKNOWN_MESSAGE' } });
      expect(await ask(socket, { id: '4', type: 'config.update', payload: { port: 'high' } })).toMatchObject({
        id: '4',
        ok: false,
        error: { code: 'INVALID_CONFIG', message: expect.stringContaining('port') },
      });
      expect(await ask(socket, { id: '5', type: 'accounts.setEnabled', payload: { id: 'x' } })).toMatchObject({ ok: false, error: { code: 'INVALID_MESSAGE' } });
      expect(api.updateConfig).not.toHaveBeenCalled();
      expect(await ask(socket, { id: '6', type: 'proxy.status' })).toMatchObject({ id: '6', ok: true });
    });

    it("passes the service's LocalgateErrors through and hides other failures as INTERNAL", async () => {
      expect(await ask(socket, { id: '1', type: 'config.update', payload: { port: 9000 } })).toEqual({
        id: '1',
        ok: false,
        error: { code: 'INVALID_CONFIG', message: 'Invalid configuration: port: too small' },
      });
      expect(await ask(socket, { id: '2', type: 'healthz.check' })).toEqual({ id: '2', ok: false, error: { code: 'INTERNAL', message: 'Internal error' } });
    });

    it('drops fields the result schema does not name, so a raw key cannot leak', async () => {
      const reply = await ask(socket, { id: '1', type: 'accounts.list' });
      expect(reply).toEqual({ id: '1', ok: true, result: [account] });
    });

    it('answers monitor.recent with the entries, limit passed through and unknown fields dropped', async () => {
      expect(await ask(socket, { id: '1', type: 'monitor.recent', payload: { limit: 5 } })).toEqual({ id: '1', ok: true, result: [entry] });
      expect(api.recentRequests).toHaveBeenCalledWith(5);
    });

    it('pushes monitor entries as events', async () => {
      const event = nextMessage(socket);
      api.emitEntry({ ...entry, authorization: 'Bearer sk-leak' } as MonitorEntry);
      expect(await event).toEqual({ event: 'monitor.entry', data: entry });
    });

    it('pushes status events to every connected socket', async () => {
      const other = await authenticated();
      const events = [nextMessage(socket), nextMessage(other)];
      api.emit(statusWith(3));
      for (const event of await Promise.all(events)) expect(event).toEqual({ event: 'status', data: statusWith(3) });
    });

    it('pushes the config after every change', async () => {
      const event = nextMessage(socket);
      api.emitConfig(CONFIG);
      expect(await event).toEqual({ event: 'config', data: CONFIG });
    });

    it('replies to daemon.shutdown, then calls the shutdown callback', async () => {
      expect(await ask(socket, { id: '9', type: 'daemon.shutdown' })).toEqual({ id: '9', ok: true, result: { stopping: true } });
      await vi.waitFor(() => expect(onShutdown).toHaveBeenCalledTimes(1));
    });
  });

  describe('requests resent after a reconnect', () => {
    const newAccount: NewAccount = { provider: 'openai', label: 'one', api_key: 'sk-abcdefghijklmnop', base_url: 'https://api.example/v1' };

    it('runs a request that is not safe to repeat once per id, on any connection, and answers the resend with the first answer', async () => {
      let finish!: () => void;
      api.addAccount.mockImplementationOnce(() => new Promise<AccountView>((resolve) => (finish = () => resolve(account))));
      const first = await authenticated();
      first.send(JSON.stringify({ id: 'bg-x-1', type: 'accounts.add', payload: newAccount }));
      await vi.waitFor(() => expect(api.addAccount).toHaveBeenCalledTimes(1));
      // The client lost its connection while the add was still running, reconnected, and resent it.
      first.terminate();
      const second = await authenticated();
      const resent = ask(second, { id: 'bg-x-1', type: 'accounts.add', payload: newAccount });
      finish();
      expect(await resent).toEqual({ id: 'bg-x-1', ok: true, result: account });
      // Once finished, a resend still gets the remembered answer.
      expect(await ask(second, { id: 'bg-x-1', type: 'accounts.add', payload: newAccount })).toEqual({ id: 'bg-x-1', ok: true, result: account });
      expect(api.addAccount).toHaveBeenCalledTimes(1);
      // A new id is a new request.
      expect(await ask(second, { id: 'bg-x-2', type: 'accounts.add', payload: newAccount })).toMatchObject({ ok: true });
      expect(api.addAccount).toHaveBeenCalledTimes(2);
    });

    it('does the same for start and stop', async () => {
      const socket = await authenticated();
      for (const type of ['proxy.start', 'proxy.stop'] as const) {
        expect(await ask(socket, { id: `${type}-1`, type })).toMatchObject({ ok: true });
        expect(await ask(socket, { id: `${type}-1`, type })).toMatchObject({ ok: true });
      }
      expect(api.startProxy).toHaveBeenCalledTimes(1);
      expect(api.stopProxy).toHaveBeenCalledTimes(1);
    });

    it('refuses an id reused for a different request instead of answering it with another one', async () => {
      const socket = await authenticated();
      expect(await ask(socket, { id: 'same', type: 'accounts.add', payload: newAccount })).toMatchObject({ ok: true });
      expect(await ask(socket, { id: 'same', type: 'accounts.add', payload: { ...newAccount, label: 'two' } })).toMatchObject({
        id: 'same',
        ok: false,
        error: { code: 'INVALID_MESSAGE', message: expect.stringContaining('already used') },
      });
      expect(api.addAccount).toHaveBeenCalledTimes(1);
    });

    it('runs reads every time', async () => {
      const socket = await authenticated();
      await ask(socket, { id: 'r', type: 'proxy.status' });
      await ask(socket, { id: 'r', type: 'proxy.status' });
      expect(api.status).toHaveBeenCalledTimes(2);
    });
  });

  it('stops listening to the service when closed', async () => {
    expect(api.listenerCount()).toBe(3);
    await app.close();
    expect(api.listenerCount()).toBe(0);
  });

  it('serves the DaemonClient, which reports refusals by code', async () => {
    const client = await DaemonClient.connect({ port, token: TOKEN });
    expect(await client.request('proxy.status')).toEqual(statusWith(0));
    await expect(client.request('config.update', { port: 80 })).rejects.toMatchObject({ code: 'INVALID_CONFIG' });
    await client.close();
    await expect(DaemonClient.connect({ port, token: 'wrong' })).rejects.toMatchObject({ code: 'NOT_PAIRED' });
  });
});

describe('a client facing a stranger on the control port', () => {
  let stranger: WebSocketServer;
  let port: number;
  let heard: string[];

  beforeEach(async () => {
    // Another local user bound the port the daemon wrote down, and plays along as best it can.
    stranger = new WebSocketServer({ host: '127.0.0.1', port: 0, handleProtocols: () => CONTROL_SUBPROTOCOL });
    await new Promise((resolve) => stranger.once('listening', resolve));
    port = (stranger.address() as AddressInfo).port;
    heard = [];
    stranger.on('connection', (socket) => {
      socket.on('message', (data) => {
        heard.push(data.toString());
        socket.send(JSON.stringify({ auth: 'challenge', nonce: 'ab'.repeat(32), proof: 'cd'.repeat(32) }));
        socket.send(JSON.stringify({ auth: 'ok' }));
      });
    });
  });

  afterEach(async () => {
    for (const client of stranger.clients) client.terminate();
    await new Promise((resolve) => stranger.close(resolve));
  });

  it('hears only a random nonce: no proof, no token, no request', async () => {
    await expect(DaemonClient.connect({ port, token: TOKEN })).rejects.toMatchObject({ code: 'NOT_PAIRED', message: expect.stringContaining('did not prove') });
    expect(heard).toHaveLength(1);
    expect(JSON.parse(heard[0]!)).toEqual({ auth: 'hello', nonce: expect.stringMatching(/^[0-9a-f]{64}$/) });
    expect(heard.join('')).not.toContain(TOKEN);
  });
});
