import type { AddressInfo } from 'node:net';
import type { FastifyInstance } from 'fastify';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import WebSocket from 'ws';
import type { AccountView } from '../../shared/accounts.js';
import { controlSubprotocols, CONTROL_SUBPROTOCOL } from '../../shared/control/control-websocket.js';
import { ControlReplySchema, type ControlReply } from '../../shared/control/envelope.js';
import { LocalgateError } from '../../shared/errors.js';
import { EXTENSION_ID } from '../../shared/extension-identity.js';
import type { MonitorEntry } from '../../shared/monitor.js';
import type { DaemonStatus } from '../../shared/status.js';
import { DaemonClient } from '../cli/daemon-client.js';
import type { ConfigView, LocalgateApi } from '../service/localgate-service.types.js';
import { buildControlServer } from './build-control-server.js';

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
  let onShutdown: ReturnType<typeof vi.fn<() => void>>;
  let connections: number;

  beforeEach(async () => {
    api = fakeApi();
    onShutdown = vi.fn<() => void>();
    app = buildControlServer({ api: api as unknown as LocalgateApi, token: TOKEN, onShutdown });
    await app.ready();
    connections = 0;
    app.websocketServer.on('connection', () => connections++);
  });

  afterEach(async () => {
    await app.close();
  });

  const protocolHeader = (token: string) => ({ 'sec-websocket-protocol': controlSubprotocols(token).join(', ') });

  describe('access, decided before any socket exists', () => {
    it.each(['http://evil.example', 'https://localhost:3000', 'null', 'chrome-extension://someotherextensionidabcdefghijklm'])(
      'refuses the origin %s with 403, even with the right token',
      async (origin) => {
        await expect(app.injectWS('/control', { headers: { origin, ...protocolHeader(TOKEN) } })).rejects.toThrow('Unexpected server response: 403');
        expect(connections).toBe(0);
        expect(api.status).not.toHaveBeenCalled();
      },
    );

    it('refuses a missing token with 401', async () => {
      await expect(app.injectWS('/control', { headers: { origin: EXTENSION_ORIGIN, 'sec-websocket-protocol': CONTROL_SUBPROTOCOL } })).rejects.toThrow(
        'Unexpected server response: 401',
      );
      expect(connections).toBe(0);
    });

    it('refuses a wrong token with 401, from the subprotocol list or the header', async () => {
      await expect(app.injectWS('/control', { headers: { origin: EXTENSION_ORIGIN, ...protocolHeader('b'.repeat(64)) } })).rejects.toThrow(
        'Unexpected server response: 401',
      );
      await expect(app.injectWS('/control', { headers: { 'x-localgate-token': TOKEN.slice(1) } })).rejects.toThrow('Unexpected server response: 401');
      expect(connections).toBe(0);
    });

    it('accepts the extension origin with the token in the subprotocol list', async () => {
      const socket = await app.injectWS('/control', { headers: { origin: EXTENSION_ORIGIN, ...protocolHeader(TOKEN) } });
      const reply = await ask(socket, { id: '1', type: 'proxy.status' });
      expect(reply).toEqual({ id: '1', ok: true, result: statusWith(0) });
      expect(connections).toBe(1);
      socket.terminate();
    });

    it('accepts a Firefox extension origin with the token', async () => {
      const origin = 'moz-extension://0b9d3b9e-6c53-4e3a-9a5f-1f2a3b4c5d6e';
      const socket = await app.injectWS('/control', { headers: { origin, ...protocolHeader(TOKEN) } });
      expect((await ask(socket, { id: '1', type: 'proxy.status' })).ok).toBe(true);
      socket.terminate();
    });

    it('accepts a local process (no Origin) with the token in a header', async () => {
      const socket = await app.injectWS('/control', { headers: { 'x-localgate-token': TOKEN } });
      expect((await ask(socket, { id: '7', type: 'proxy.status' })).ok).toBe(true);
      socket.terminate();
    });
  });

  describe('messages', () => {
    let socket: WebSocket;

    beforeEach(async () => {
      socket = await app.injectWS('/control', { headers: { 'x-localgate-token': TOKEN } });
    });

    afterEach(() => socket.terminate());

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
      const other = await app.injectWS('/control', { headers: { 'x-localgate-token': TOKEN } });
      const events = [nextMessage(socket), nextMessage(other)];
      api.emit(statusWith(3));
      for (const event of await Promise.all(events)) expect(event).toEqual({ event: 'status', data: statusWith(3) });
      other.terminate();
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

  it('stops listening to the service when closed', async () => {
    expect(api.listenerCount()).toBe(3);
    await app.close();
    expect(api.listenerCount()).toBe(0);
  });
});

describe('control server on a real port', () => {
  let app: FastifyInstance;
  let port: number;

  beforeEach(async () => {
    app = buildControlServer({ api: fakeApi() as unknown as LocalgateApi, token: TOKEN, onShutdown: () => {} });
    await app.listen({ host: '127.0.0.1', port: 0 });
    port = (app.server.address() as AddressInfo).port;
  });

  afterEach(async () => {
    await app.close();
  });

  function open(protocols: string[], origin?: string): Promise<{ socket: WebSocket } | { status: number }> {
    const socket = new WebSocket(`ws://127.0.0.1:${port}/control`, protocols, origin ? { origin } : {});
    return new Promise((resolve, reject) => {
      socket.once('open', () => resolve({ socket }));
      socket.once('unexpected-response', (_request, response) => {
        resolve({ status: response.statusCode ?? 0 });
        socket.terminate();
      });
      socket.once('error', reject);
    });
  }

  it('selects only the version subprotocol, never echoing the token', async () => {
    const opened = await open(controlSubprotocols(TOKEN), EXTENSION_ORIGIN);
    if (!('socket' in opened)) throw new Error(`refused with ${opened.status}`);
    expect(opened.socket.protocol).toBe(CONTROL_SUBPROTOCOL);
    opened.socket.terminate();
  });

  it('refuses a web page origin with 403 and a wrong token with 401', async () => {
    expect(await open(controlSubprotocols(TOKEN), 'http://evil.example')).toEqual({ status: 403 });
    expect(await open(controlSubprotocols('0'.repeat(64)), EXTENSION_ORIGIN)).toEqual({ status: 401 });
  });

  it('serves the DaemonClient, which reports refusals by code', async () => {
    const client = await DaemonClient.connect({ port, token: TOKEN });
    expect(await client.request('proxy.status')).toEqual(statusWith(0));
    await expect(client.request('config.update', { port: 80 })).rejects.toMatchObject({ code: 'INVALID_CONFIG' });
    await client.close();
    await expect(DaemonClient.connect({ port, token: 'wrong' })).rejects.toMatchObject({ code: 'NOT_PAIRED' });
  });
});
