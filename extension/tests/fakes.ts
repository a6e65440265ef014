import { createHmac, randomBytes } from 'node:crypto';
import type { AccountView } from '../../shared/accounts';
import { AuthHelloSchema, AuthProofSchema, handshakeTranscript } from '../../shared/control/handshake';
import type { DaemonStatus } from '../../shared/status';
import type { ConfigView } from '../utils/types';
import type { NativePortLike, TransportDeps, WebSocketLike } from '../background/transports';

type Listener<T extends unknown[]> = (...args: T) => void;

function fakeEvent<T extends unknown[]>() {
  const listeners: Listener<T>[] = [];
  return {
    listeners,
    addListener(listener: Listener<T>) {
      listeners.push(listener);
    },
    removeListener(listener: Listener<T>) {
      const index = listeners.indexOf(listener);
      if (index >= 0) listeners.splice(index, 1);
    },
    fire(...args: T) {
      for (const listener of [...listeners]) listener(...args);
    },
  };
}

/** A native-messaging port; the test plays the host. */
export class FakeNativePort implements NativePortLike {
  readonly sent: unknown[] = [];
  readonly onMessage = fakeEvent<[unknown]>();
  readonly onDisconnect = fakeEvent<[NativePortLike]>();
  error: { message?: string } | null = null;
  disconnected = false;

  constructor(readonly name: string) {}

  postMessage(message: unknown): void {
    if (this.disconnected) throw new Error('Attempting to use a disconnected port object');
    this.sent.push(structuredClone(message));
  }
  disconnect(): void {
    this.disconnected = true;
  }
  /** The host sends a message. */
  receive(message: unknown): void {
    this.onMessage.fire(structuredClone(message));
  }
  /** The browser closes the port (Chromium style: reason via runtime.lastError). */
  close(): void {
    this.disconnected = true;
    this.onDisconnect.fire(this);
  }
}

export class FakeWebSocket implements WebSocketLike {
  readyState = 0;
  readonly sent: unknown[] = [];
  onopen: ((event: unknown) => void) | null = null;
  onmessage: ((event: { data: unknown }) => void) | null = null;
  onclose: ((event: { code?: number; reason?: string }) => void) | null = null;
  onerror: ((event: unknown) => void) | null = null;

  constructor(
    readonly url: string,
    readonly protocols: string[],
  ) {}

  send(data: string): void {
    this.sent.push(JSON.parse(data));
  }
  close(): void {
    this.readyState = 3;
  }
  open(): void {
    this.readyState = 1;
    this.onopen?.({});
  }
  receive(message: unknown): void {
    this.onmessage?.({ data: typeof message === 'string' ? message : JSON.stringify(message) });
  }
  /**
   * Plays the daemon's side of the control handshake with `token` (node:crypto, as the real daemon
   * computes it): answers the hello with a challenge, waits for the client's proof, checks it and
   * accepts. Returns whether the client sent a valid proof (false: it sent none, or a wrong one).
   */
  async playDaemonHandshake(token: string): Promise<boolean> {
    const hello = AuthHelloSchema.parse(this.sent[0]);
    const port = Number(new URL(this.url).port);
    const daemonNonce = randomBytes(32).toString('hex');
    const sign = (role: 'daemon' | 'client') => createHmac('sha256', token).update(handshakeTranscript(role, port, hello.nonce, daemonNonce)).digest('hex');
    this.receive({ auth: 'challenge', nonce: daemonNonce, proof: sign('daemon') });
    // The client checks with WebCrypto, which answers on a later task.
    for (let tries = 0; tries < 100 && this.sent.length < 2 && this.readyState !== 3; tries++) await new Promise((resolve) => setTimeout(resolve, 1));
    const proof = AuthProofSchema.safeParse(this.sent[1]);
    if (!proof.success || proof.data.proof !== sign('client')) return false;
    this.receive({ auth: 'ok' });
    return true;
  }
  fail(code = 1006): void {
    this.readyState = 3;
    this.onerror?.({});
    this.onclose?.({ code, reason: '' });
  }
}

/** Transports whose every port/socket the test can reach, with a scriptable lastError. */
export function fakeTransports() {
  const ports: FakeNativePort[] = [];
  const sockets: FakeWebSocket[] = [];
  let lastError: string | undefined;
  const deps: TransportDeps = {
    connectNative: (name) => {
      const port = new FakeNativePort(name);
      ports.push(port);
      return port;
    },
    lastErrorMessage: () => lastError,
    createWebSocket: (url, protocols) => {
      const socket = new FakeWebSocket(url, protocols);
      sockets.push(socket);
      return socket;
    },
  };
  return {
    deps,
    ports,
    sockets,
    /** Chromium: the port disconnects with lastError set. */
    closeNative(port: FakeNativePort, error?: string) {
      lastError = error;
      port.close();
      lastError = undefined;
    },
  };
}

/** Lets queued microtasks and promise callbacks run. */
export async function flush(times = 5): Promise<void> {
  for (let i = 0; i < times; i++) await Promise.resolve();
}

export const NOT_FOUND = 'Specified native messaging host not found.';

export function sampleStatus(overrides: Partial<DaemonStatus['proxy']> = {}, accounts: DaemonStatus['accounts'] = []): DaemonStatus {
  return {
    daemon: { pid: 42, version: '0.1.0', data_dir: '/tmp/lg', started_at: 1_700_000_000_000 },
    proxy: { state: 'stopped', host: '127.0.0.1', port: 8045, ...overrides },
    active_accounts: accounts.filter((a) => a.enabled && a.status.state === 'ready').length,
    accounts,
  };
}

export const SAMPLE_CONFIG: ConfigView = {
  port: 8045,
  allow_lan_access: false,
  auth_mode: 'off',
  api_key: 'sk-0123456789abcdef',
  model_mapping: {},
  default_max_tokens: {},
  cors_allowed_origins: [],
  allowed_hosts: [],
  request_timeout_s: 600,
  connect_timeout_s: 10,
  stream_idle_timeout_s: 300,
  max_attempts: 3,
  log_retention_days: 7,
  monitor_capture_bodies: false,
  monitor_body_limit_bytes: 65536,
  scheduling: 'round_robin',
  preferred_account: null,
};

export function sampleAccount(overrides: Partial<AccountView> = {}): AccountView {
  return {
    id: 'a1',
    provider: 'openai',
    label: 'work',
    base_url: 'https://api.openai.com/v1',
    api_key_masked: 'sk-abc…wxyz',
    enabled: true,
    status: { state: 'ready' },
    ...overrides,
  };
}
