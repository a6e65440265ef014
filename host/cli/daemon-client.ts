import { randomBytes } from 'node:crypto';
import WebSocket from 'ws';
import type { z } from 'zod';
import { ControlInboundSchema, type ControlEvent } from '../../shared/control/envelope.js';
import { CONTROL_MESSAGES, type ControlMessageType, type ControlResult } from '../../shared/control/messages.js';
import { ERROR_CODES, LocalgateError } from '../../shared/errors.js';
import { openControlSocket } from '../control/open-control-socket.js';
import { readControlToken } from '../store/control-token.js';
import { readLiveDaemonFile, type DaemonFile } from '../store/daemon-file.js';

/** What a caller sends: the payload schema's input (defaults not yet applied). */
export type ControlPayloadInput<T extends ControlMessageType> = z.input<(typeof CONTROL_MESSAGES)[T]['payload']>;

const DEFAULT_TIMEOUT_MS = 10_000;

interface Pending {
  type: ControlMessageType;
  resolve(result: unknown): void;
  reject(error: Error): void;
  timer: NodeJS.Timeout;
}

/**
 * A control-protocol client over the daemon's WebSocket, for Node processes (the CLI, the native
 * relay). Requests are matched to replies by id; replies and events are validated by the shared
 * schemas; an error reply becomes a LocalgateError with the daemon's code and message.
 */
export class DaemonClient {
  readonly #socket: WebSocket;
  readonly #pending = new Map<string, Pending>();
  readonly #eventListeners = new Set<(event: ControlEvent) => void>();
  readonly #closeListeners = new Set<() => void>();
  /**
   * Ids name one request for the daemon's de-duplication (host/control/request-ledger.ts), which
   * spans connections: a random prefix keeps them apart from every other client's.
   */
  readonly #idPrefix = randomBytes(8).toString('hex');
  #nextId = 1;

  private constructor(socket: WebSocket) {
    this.#socket = socket;
    socket.on('message', (data) => this.#receive(data.toString()));
    socket.on('close', () => {
      this.#failAll(new LocalgateError('DAEMON_UNREACHABLE', 'The connection to the Localgate daemon closed'));
      for (const listener of this.#closeListeners) listener();
    });
    socket.on('error', () => undefined); // 'close' follows and fails whatever is pending.
  }

  /** Opens a control connection on 127.0.0.1:port, after both sides proved they hold the token. */
  static async connect(options: { port: number; token: string; timeoutMs?: number }): Promise<DaemonClient> {
    return new DaemonClient(await openControlSocket({ port: options.port, token: options.token, timeoutMs: options.timeoutMs ?? DEFAULT_TIMEOUT_MS }));
  }

  /** Sends one request and resolves with its validated result. */
  request<T extends ControlMessageType>(type: T, payload?: ControlPayloadInput<T>, options: { timeoutMs?: number } = {}): Promise<ControlResult<T>> {
    const id = `${this.#idPrefix}.${this.#nextId++}`;
    return new Promise((resolve, reject) => {
      if (this.#socket.readyState !== WebSocket.OPEN) {
        reject(new LocalgateError('DAEMON_UNREACHABLE', 'The connection to the Localgate daemon is closed'));
        return;
      }
      const timer = setTimeout(() => {
        this.#pending.delete(id);
        reject(new LocalgateError('TIMEOUT', `${ERROR_CODES.TIMEOUT.message} (${type})`));
      }, options.timeoutMs ?? DEFAULT_TIMEOUT_MS);
      this.#pending.set(id, { type, resolve: resolve as (result: unknown) => void, reject, timer });
      this.#socket.send(JSON.stringify({ id, type, ...(payload === undefined ? {} : { payload }) }));
    });
  }

  /** Subscribes to pushed events (`status`, `monitor.entry`). Returns the unsubscribe function. */
  onEvent(listener: (event: ControlEvent) => void): () => void {
    this.#eventListeners.add(listener);
    return () => this.#eventListeners.delete(listener);
  }

  /** Called once the connection has closed, whichever side closed it. Returns the unsubscribe function. */
  onClose(listener: () => void): () => void {
    this.#closeListeners.add(listener);
    return () => this.#closeListeners.delete(listener);
  }

  /** Closes the connection, cleanly if the daemon answers within a second. */
  async close(): Promise<void> {
    if (this.#socket.readyState === WebSocket.CLOSED) return;
    const closed = new Promise((resolve) => this.#socket.once('close', resolve));
    this.#socket.close(1000);
    const timer = setTimeout(() => this.#socket.terminate(), 1_000);
    await closed;
    clearTimeout(timer);
  }

  #receive(text: string): void {
    let message: z.infer<typeof ControlInboundSchema>;
    try {
      message = ControlInboundSchema.parse(JSON.parse(text));
    } catch {
      return; // Not ours to act on; a request it belonged to will time out.
    }
    if ('event' in message) {
      for (const listener of this.#eventListeners) listener(message);
      return;
    }
    const pending = this.#pending.get(message.id);
    if (!pending) return;
    this.#pending.delete(message.id);
    clearTimeout(pending.timer);
    if (!message.ok) {
      pending.reject(new LocalgateError(message.error.code, message.error.message));
      return;
    }
    const result = CONTROL_MESSAGES[pending.type].result.safeParse(message.result);
    if (result.success) pending.resolve(result.data);
    else pending.reject(new LocalgateError('INTERNAL', `The daemon sent an unexpected ${pending.type} result`));
  }

  #failAll(error: Error): void {
    for (const pending of this.#pending.values()) {
      clearTimeout(pending.timer);
      pending.reject(error);
    }
    this.#pending.clear();
  }
}

/** A connection to the daemon of a data dir, with what daemon.json says about it. */
export interface DaemonConnection {
  client: DaemonClient;
  daemon: DaemonFile;
}

/**
 * Connects to the live daemon of `dataDir`, or returns undefined when none runs (no daemon.json,
 * or its pid is gone). A daemon that runs but cannot be reached is an error, not "none": editing
 * files behind its back would be overwritten by its next save.
 */
export async function connectToDaemon(dataDir: string): Promise<DaemonConnection | undefined> {
  const daemon = readLiveDaemonFile(dataDir);
  if (!daemon) return undefined;
  const token = readControlToken(dataDir);
  if (!token) {
    throw new LocalgateError('DAEMON_UNREACHABLE', `A Localgate daemon runs (pid ${daemon.pid}) but the control token in ${dataDir} is missing`);
  }
  const client = await DaemonClient.connect({ port: daemon.control_port, token });
  return { client, daemon };
}
