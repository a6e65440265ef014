import { ControlInboundSchema, type ControlEvent, type ControlReply } from '../../shared/control/envelope';
import { CONTROL_MESSAGES, ConfigViewSchema, SLOW_REQUEST_TIMEOUTS_MS, type ControlMessageType } from '../../shared/control/messages';
import { ClientHandshake } from '../../shared/control/handshake';
import type { Pairing } from '../../shared/control/pairing';
import { ERROR_CODES, type ErrorCode, type ErrorPayload } from '../../shared/errors';
import { NATIVE_HOST_NAME } from '../../shared/extension-identity';
import { MonitorEntrySchema } from '../../shared/monitor';
import { DaemonStatusSchema } from '../../shared/status';
import type { ConnectionInfo, Outcome, TransportKind, ViewEvent } from '../utils/view-protocol';
import {
  isNativeHostMissingError,
  openNativeTransport,
  openWebSocketTransport,
  type Transport,
  type TransportDeps,
} from './transports';
import { webCryptoHandshake } from './webcrypto-handshake';

export const DEFAULT_REQUEST_TIMEOUT_MS = 15_000;

export interface ConnectionManagerOptions {
  transports: TransportDeps;
  /** The stored WebSocket pairing, read each time the fallback is considered. */
  loadPairing(): Promise<Pairing | null>;
  nativeHostName?: string;
  requestTimeoutMs?: number;
  /** Diagnostics for dropped messages; defaults to console.warn. */
  warn?(message: string): void;
}

interface Pending {
  type: ControlMessageType;
  message: { id: string; type: string; payload?: unknown };
  resolve(outcome: Outcome<unknown>): void;
  timer: ReturnType<typeof setTimeout>;
  /** The transport the request went out on, or null while it waits for one. */
  sentOn: Transport | null;
}

/** Where the manager is: no transport, trying native, looking for a pairing, or on a WebSocket. */
type Phase = 'idle' | 'native' | 'fallback' | 'websocket';

export function failure(code: ErrorCode, message: string = ERROR_CODES[code].message): { ok: false; error: ErrorPayload } {
  return { ok: false, error: { code, message } };
}

/** Payload failures named like the daemon names them, so the popup shows a useful message. */
const PAYLOAD_ERROR: Partial<Record<ControlMessageType, ErrorCode>> = {
  'config.update': 'INVALID_CONFIG',
  'accounts.add': 'INVALID_ACCOUNT',
  'cors.allowOrigin': 'INVALID_CONFIG',
  'cors.removeOrigin': 'INVALID_CONFIG',
};

/**
 * Owns the background's one connection to the daemon.
 *
 * - Connects lazily (on a request or `connect()`): the native host first; if the browser says the
 *   host is not installed, the paired WebSocket; without a pairing, state `native-host-missing`.
 * - Requests get fresh wire ids, wait for a transport, and settle exactly once: with the reply
 *   (its result validated against CONTROL_MESSAGES[type].result), or TIMEOUT, or the error that
 *   ended the transport. Never rejects.
 * - A request still waiting when its transport is dropped and replaced (retry, a new pairing) goes
 *   out again on the new one with the same id; the daemon answers a repeated id of a request that
 *   is not safe to repeat (start, stop, add account, …) with its first answer, never a second run.
 * - The paired WebSocket opens only after the control handshake: the daemon proves it holds the
 *   pairing token before anything is sent; a failed handshake is NOT_PAIRED.
 * - Every inbound message is validated (ControlInboundSchema, then the result or event schema);
 *   invalid ones are dropped, or fail the request they answer with INVALID_MESSAGE.
 * - After a disconnect nothing reconnects until the next request (the worker may stop any time;
 *   a new worker starts from scratch).
 */
export class ConnectionManager {
  readonly #options: ConnectionManagerOptions;
  readonly #timeoutMs: number;
  readonly #pending = new Map<string, Pending>();
  readonly #stateListeners = new Set<(info: ConnectionInfo) => void>();
  readonly #eventListeners = new Set<(event: ViewEvent) => void>();
  #info: ConnectionInfo = { state: 'connecting' };
  #phase: Phase = 'idle';
  #transport: Transport | null = null;
  #transportOpen = false;
  /**
   * The daemon answers a request that is not safe to repeat once per id, across connections
   * (shared/control/messages.ts SAFE_TO_REPEAT): a random prefix per worker keeps our ids apart
   * from every other client's, and from a previous worker's.
   */
  readonly #idPrefix: string;
  #seq = 0;

  constructor(options: ConnectionManagerOptions) {
    this.#options = options;
    this.#timeoutMs = options.requestTimeoutMs ?? DEFAULT_REQUEST_TIMEOUT_MS;
    this.#idPrefix = webCryptoHandshake.randomNonce().slice(0, 16);
  }

  get info(): ConnectionInfo {
    return this.#info;
  }

  get pendingCount(): number {
    return this.#pending.size;
  }

  onStateChange(listener: (info: ConnectionInfo) => void): () => void {
    this.#stateListeners.add(listener);
    return () => this.#stateListeners.delete(listener);
  }

  /** Validated daemon events (`status`, `config`, `monitor.entry`). */
  onEvent(listener: (event: ViewEvent) => void): () => void {
    this.#eventListeners.add(listener);
    return () => this.#eventListeners.delete(listener);
  }

  /** Starts connecting unless a connection exists or is being made. */
  connect(): void {
    if (this.#phase !== 'idle') return;
    this.#openNative();
  }

  /** Drops the current connection (if any) and connects again, native first. */
  retry(): void {
    this.#dropTransport();
    this.#setInfo({ state: 'connecting' });
    this.connect();
  }

  /** The pairing changed: unless the native host is serving us, reconnect to use it. */
  pairingChanged(): void {
    if (this.#phase === 'native' && this.#info.state === 'connected') return;
    this.retry();
  }

  /** Closes the transport if nothing is waiting on it (no views are open). */
  closeIfIdle(): boolean {
    if (this.#pending.size > 0 || this.#phase === 'idle') return false;
    this.#dropTransport();
    this.#setInfo({ state: 'connecting' });
    return true;
  }

  request(type: ControlMessageType, payload?: unknown): Promise<Outcome<unknown>> {
    const spec = CONTROL_MESSAGES[type];
    if (!spec) return Promise.resolve(failure('UNKNOWN_MESSAGE'));
    const checked = spec.payload.safeParse(payload);
    if (!checked.success) {
      const issue = checked.error.issues[0];
      const code = PAYLOAD_ERROR[type] ?? 'INVALID_MESSAGE';
      const detail = issue ? `${issue.path.length > 0 ? `${issue.path.join('.')}: ` : ''}${issue.message}` : '';
      return Promise.resolve(failure(code, detail ? `${ERROR_CODES[code].message}: ${detail}` : undefined));
    }
    const id = `bg-${this.#idPrefix}-${++this.#seq}`;
    const message = payload === undefined ? { id, type } : { id, type, payload };
    return new Promise((resolve) => {
      const timer = setTimeout(() => this.#settle(id, failure('TIMEOUT')), SLOW_REQUEST_TIMEOUTS_MS[type] ?? this.#timeoutMs);
      this.#pending.set(id, { type, message, resolve, timer, sentOn: null });
      this.connect();
      this.#flush();
    });
  }

  // --- transports -------------------------------------------------------------------------

  #openNative(): void {
    this.#phase = 'native';
    this.#transportOpen = false;
    let heardBack = false;
    this.#setInfo({ state: 'connecting', transport: 'native' });
    const transport: Transport = openNativeTransport(this.#options.transports, this.#options.nativeHostName ?? NATIVE_HOST_NAME, {
      onOpen: () => {
        if (this.#transport !== transport) return;
        this.#transportOpen = true;
        this.#flush();
      },
      onMessage: (message) => {
        if (this.#transport !== transport) return;
        heardBack = true;
        this.#handleInbound(message, 'native');
      },
      onClose: (error) => {
        if (this.#transport !== transport) return;
        this.#transport = null;
        this.#transportOpen = false;
        if (!heardBack && isNativeHostMissingError(error)) {
          void this.#fallBack();
        } else {
          this.#lost('native');
        }
      },
    });
    this.#transport = transport;
  }

  async #fallBack(): Promise<void> {
    this.#phase = 'fallback';
    let pairing: Pairing | null = null;
    try {
      pairing = await this.#options.loadPairing();
    } catch {
      pairing = null;
    }
    if (this.#phase !== 'fallback') return; // retried meanwhile
    if (!pairing) {
      this.#phase = 'idle';
      this.#setInfo({
        state: 'native-host-missing',
        code: 'NATIVE_HOST_MISSING',
        message: ERROR_CODES.NATIVE_HOST_MISSING.message,
        paired: false,
      });
      this.#failAll('NATIVE_HOST_MISSING');
      return;
    }
    this.#openWebSocket(pairing);
  }

  #openWebSocket(pairing: Pairing): void {
    this.#phase = 'websocket';
    this.#transportOpen = false;
    this.#setInfo({ state: 'connecting', transport: 'websocket', paired: true });
    // Both proofs cover the port dialed, so the handshake fails if a stranger there relays it elsewhere.
    const handshake = new ClientHandshake({ token: pairing.token, port: Number(new URL(pairing.url).port), crypto: webCryptoHandshake });
    const transport: Transport = openWebSocketTransport(
      this.#options.transports,
      pairing.url,
      handshake,
      {
        onOpen: () => {
          if (this.#transport !== transport) return;
          this.#transportOpen = true;
          this.#markConnected('websocket');
          this.#flush();
        },
        onMessage: (message) => {
          if (this.#transport !== transport) return;
          this.#handleInbound(message, 'websocket');
        },
        onClose: (error, code) => {
          if (this.#transport !== transport) return;
          this.#transport = null;
          this.#transportOpen = false;
          this.#lost('websocket', code === 'NOT_PAIRED' ? { code, message: error ?? ERROR_CODES.NOT_PAIRED.message } : undefined);
        },
      },
    );
    this.#transport = transport;
  }

  /**
   * The transport went away on its own: report it, fail what it carried, reconnect lazily. The
   * reason defaults to an unreachable daemon; a failed control handshake says NOT_PAIRED.
   */
  #lost(kind: TransportKind, reason: ErrorPayload = { code: 'DAEMON_UNREACHABLE', message: ERROR_CODES.DAEMON_UNREACHABLE.message }): void {
    this.#phase = 'idle';
    this.#setInfo({
      state: 'error',
      transport: kind,
      code: reason.code,
      message: reason.message,
      ...(kind === 'websocket' ? { paired: true } : {}),
    });
    this.#failAll(reason.code, reason.message);
  }

  #dropTransport(): void {
    const transport = this.#transport;
    this.#transport = null;
    this.#transportOpen = false;
    this.#phase = 'idle';
    transport?.close();
  }

  #flush(): void {
    const transport = this.#transport;
    if (!transport || !this.#transportOpen) return;
    for (const pending of this.#pending.values()) {
      if (pending.sentOn === transport) continue;
      pending.sentOn = transport;
      transport.send(pending.message);
    }
  }

  // --- inbound ----------------------------------------------------------------------------

  #handleInbound(raw: unknown, kind: TransportKind): void {
    const parsed = ControlInboundSchema.safeParse(raw);
    if (!parsed.success) {
      const id = typeof raw === 'object' && raw !== null ? (raw as { id?: unknown }).id : undefined;
      if (typeof id === 'string' && this.#pending.has(id)) {
        this.#settle(id, failure('INVALID_MESSAGE'));
      } else {
        this.#warn('dropped a malformed message from the daemon');
      }
      return;
    }
    const message = parsed.data;
    if ('event' in message) {
      this.#markConnected(kind);
      this.#handleEvent(message);
    } else {
      this.#handleReply(message, kind);
    }
  }

  #handleReply(reply: ControlReply, kind: TransportKind): void {
    if (!reply.ok && reply.error.code === 'DAEMON_UNREACHABLE' && kind === 'native') {
      // The relay is there but cannot reach (or start) the daemon: keep the port, report it.
      this.#setInfo({ state: 'error', transport: 'native', code: 'DAEMON_UNREACHABLE', message: reply.error.message });
    } else {
      this.#markConnected(kind);
    }
    const pending = this.#pending.get(reply.id);
    if (!pending) {
      this.#warn(`dropped a reply nobody is waiting for (${reply.id})`);
      return;
    }
    if (!reply.ok) {
      this.#settle(reply.id, { ok: false, error: reply.error });
      return;
    }
    const result = CONTROL_MESSAGES[pending.type].result.safeParse(reply.result);
    if (!result.success) {
      this.#warn(`dropped an invalid ${pending.type} result`);
      this.#settle(reply.id, failure('INVALID_MESSAGE'));
      return;
    }
    this.#settle(reply.id, { ok: true, result: result.data });
  }

  #handleEvent(event: ControlEvent): void {
    let out: ViewEvent;
    if (event.event === 'status') {
      const data = DaemonStatusSchema.safeParse(event.data);
      if (!data.success) return this.#warn('dropped an invalid status event');
      out = { event: 'status', data: data.data };
    } else if (event.event === 'config') {
      const data = ConfigViewSchema.safeParse(event.data);
      if (!data.success) return this.#warn('dropped an invalid config event');
      out = { event: 'config', data: data.data };
    } else if (event.event === 'monitor.entry') {
      const data = MonitorEntrySchema.safeParse(event.data);
      if (!data.success) return this.#warn('dropped an invalid monitor entry');
      out = { event: 'monitor.entry', data: data.data };
    } else {
      return this.#warn(`dropped an unknown event (${event.event.slice(0, 50)})`);
    }
    for (const listener of this.#eventListeners) listener(out);
  }

  // --- bookkeeping ------------------------------------------------------------------------

  #markConnected(kind: TransportKind): void {
    if (this.#info.state === 'connected' && this.#info.transport === kind) return;
    this.#setInfo({ state: 'connected', transport: kind, ...(kind === 'websocket' ? { paired: true } : {}) });
  }

  #settle(id: string, outcome: Outcome<unknown>): void {
    const pending = this.#pending.get(id);
    if (!pending) return;
    clearTimeout(pending.timer);
    this.#pending.delete(id);
    pending.resolve(outcome);
  }

  #failAll(code: ErrorCode, message?: string): void {
    for (const id of [...this.#pending.keys()]) this.#settle(id, failure(code, message));
  }

  #setInfo(info: ConnectionInfo): void {
    const previous = this.#info;
    this.#info = info;
    if (
      previous.state === info.state &&
      previous.transport === info.transport &&
      previous.code === info.code &&
      previous.message === info.message
    ) {
      return;
    }
    for (const listener of this.#stateListeners) listener(info);
  }

  #warn(message: string): void {
    (this.#options.warn ?? ((text: string) => console.warn(`[localgate] ${text}`)))(message);
  }
}
