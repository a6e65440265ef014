import { ControlRequestSchema } from '../../shared/control/envelope';
import { isControlMessageType } from '../../shared/control/messages';
import { parsePairingString, type Pairing } from '../../shared/control/pairing';
import { VIEW_PORT_NAME, type BackgroundMessageType, type Outcome, type ViewEvent } from '../utils/view-protocol';
import { BACKGROUND_MESSAGES, isBackgroundMessageType } from './background-messages';
import { failure, type ConnectionManager } from './connection-manager';

/** The subset of a `runtime.Port` (from `runtime.onConnect`) that the hub uses. */
export interface ViewPortLike {
  readonly name: string;
  postMessage(message: unknown): void;
  onMessage: { addListener(listener: (message: unknown) => void): void };
  onDisconnect: { addListener(listener: () => void): void };
}

export interface PairingStore {
  get(): Promise<Pairing | null>;
  set(pairing: Pairing | null): Promise<void>;
}

export interface ViewHubOptions {
  /** Close the daemon connection this long after the last view closed (0 = never). */
  idleCloseMs?: number;
}

export const DEFAULT_IDLE_CLOSE_MS = 60_000;

/**
 * Serves the extension's views (popup, monitor): answers their requests through the connection
 * manager (or itself, for BACKGROUND_MESSAGES), and pushes every daemon event and every connection
 * state change to all open views.
 */
export class ViewHub {
  readonly #ports = new Set<ViewPortLike>();
  readonly #manager: ConnectionManager;
  readonly #pairing: PairingStore;
  readonly #idleCloseMs: number;
  #idleTimer: ReturnType<typeof setTimeout> | undefined;

  constructor(manager: ConnectionManager, pairing: PairingStore, options: ViewHubOptions = {}) {
    this.#manager = manager;
    this.#pairing = pairing;
    this.#idleCloseMs = options.idleCloseMs ?? DEFAULT_IDLE_CLOSE_MS;
    manager.onStateChange((info) => this.#broadcast({ event: 'connection', data: info }));
    manager.onEvent((event) => this.#broadcast(event));
  }

  get viewCount(): number {
    return this.#ports.size;
  }

  /** For `runtime.onConnect`: adopts ports named VIEW_PORT_NAME, ignores others. */
  accept(port: ViewPortLike): void {
    if (port.name !== VIEW_PORT_NAME) return;
    this.#ports.add(port);
    clearTimeout(this.#idleTimer);
    port.onMessage.addListener((message) => void this.#handle(port, message));
    port.onDisconnect.addListener(() => {
      this.#ports.delete(port);
      if (this.#ports.size === 0 && this.#idleCloseMs > 0) {
        this.#idleTimer = setTimeout(() => this.#manager.closeIfIdle(), this.#idleCloseMs);
      }
    });
    this.#post(port, { event: 'connection', data: this.#manager.info });
    this.#manager.connect();
  }

  async #handle(port: ViewPortLike, raw: unknown): Promise<void> {
    const parsed = ControlRequestSchema.safeParse(raw);
    if (!parsed.success) {
      const id = typeof raw === 'object' && raw !== null ? (raw as { id?: unknown }).id : undefined;
      if (typeof id === 'string') this.#post(port, { id, ...failure('INVALID_MESSAGE') });
      return;
    }
    const { id, type, payload } = parsed.data;
    let outcome: Outcome<unknown>;
    if (isBackgroundMessageType(type)) {
      outcome = await this.#handleBackgroundMessage(type, payload);
    } else if (isControlMessageType(type)) {
      outcome = await this.#manager.request(type, payload);
    } else {
      outcome = failure('UNKNOWN_MESSAGE');
    }
    this.#post(port, { id, ...outcome });
  }

  async #handleBackgroundMessage(type: BackgroundMessageType, payload: unknown): Promise<Outcome<unknown>> {
    const checked = BACKGROUND_MESSAGES[type].payload.safeParse(payload);
    if (!checked.success) return failure('INVALID_MESSAGE');
    switch (type) {
      case 'connection.state':
        return { ok: true, result: this.#manager.info };
      case 'connection.retry':
        this.#manager.retry();
        return { ok: true, result: this.#manager.info };
      case 'pairing.set': {
        const { pairing: text } = checked.data as { pairing: string };
        const parsed = parsePairingString(text);
        if (!parsed.ok) return failure('INVALID_MESSAGE', parsed.reason);
        await this.#pairing.set(parsed.pairing);
        this.#manager.pairingChanged();
        return { ok: true, result: { url: parsed.pairing.url } };
      }
      case 'pairing.clear':
        await this.#pairing.set(null);
        this.#manager.pairingChanged();
        return { ok: true, result: { cleared: true } };
    }
  }

  #broadcast(message: ViewEvent): void {
    for (const port of this.#ports) this.#post(port, message);
  }

  #post(port: ViewPortLike, message: unknown): void {
    try {
      port.postMessage(message);
    } catch {
      // The view closed between the request and the reply.
      this.#ports.delete(port);
    }
  }
}
