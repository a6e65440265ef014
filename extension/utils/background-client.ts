import { browser } from '#imports';
import { ERROR_CODES } from '../../shared/errors';
import {
  VIEW_PORT_NAME,
  type Outcome,
  type ViewEventName,
  type ViewEvents,
  type ViewPayload,
  type ViewRequestType,
  type ViewResult,
} from './view-protocol';

/** The subset of a `runtime.Port` a view uses. */
export interface PortLike {
  postMessage(message: unknown): void;
  disconnect(): void;
  onMessage: { addListener(listener: (message: unknown) => void): void };
  onDisconnect: { addListener(listener: () => void): void };
}

/** How a view (popup, monitor) talks to the background worker. */
export interface BackgroundClient {
  /** Sends a request; resolves with the reply (never rejects). */
  request<T extends ViewRequestType>(type: T, ...payload: undefined extends ViewPayload<T> ? [ViewPayload<T>?] : [ViewPayload<T>]): Promise<Outcome<ViewResult<T>>>;
  /** Listens to an event; returns the unsubscribe function. */
  on<E extends ViewEventName>(event: E, listener: (data: ViewEvents[E]) => void): () => void;
  close(): void;
}

interface Waiting {
  resolve(outcome: Outcome<unknown>): void;
}

const RECONNECT_DELAY_MS = 250;

/**
 * A port to the background that survives the worker being stopped: when the port drops, waiting
 * requests fail (INTERNAL) and, while anyone listens to events, a new port is opened, which also
 * starts a new worker.
 */
export function connectToBackground(
  connect: () => PortLike = () => browser.runtime.connect({ name: VIEW_PORT_NAME }) as unknown as PortLike,
): BackgroundClient {
  const waiting = new Map<string, Waiting>();
  const listeners = new Map<string, Set<(data: unknown) => void>>();
  let port: PortLike | null = null;
  let closed = false;
  let seq = 0;
  let reconnectTimer: ReturnType<typeof setTimeout> | undefined;

  const ensurePort = (): PortLike => {
    if (port) return port;
    const current = connect();
    port = current;
    current.onMessage.addListener((message) => {
      if (typeof message !== 'object' || message === null) return;
      const record = message as Record<string, unknown>;
      if (typeof record.event === 'string') {
        for (const listener of listeners.get(record.event) ?? []) listener(record.data);
        return;
      }
      if (typeof record.id === 'string') {
        const entry = waiting.get(record.id);
        if (!entry) return;
        waiting.delete(record.id);
        entry.resolve(
          record.ok === true
            ? { ok: true, result: record.result }
            : { ok: false, error: (record.error as { code: never; message: string }) ?? { code: 'INTERNAL', message: ERROR_CODES.INTERNAL.message } },
        );
      }
    });
    current.onDisconnect.addListener(() => {
      if (port !== current) return;
      port = null;
      for (const [id, entry] of waiting) {
        waiting.delete(id);
        entry.resolve({ ok: false, error: { code: 'INTERNAL', message: ERROR_CODES.INTERNAL.message } });
      }
      if (!closed && [...listeners.values()].some((set) => set.size > 0)) {
        reconnectTimer = setTimeout(() => {
          if (!closed) ensurePort();
        }, RECONNECT_DELAY_MS);
      }
    });
    return current;
  };

  return {
    request(type, ...[payload]) {
      const id = `view-${Date.now().toString(36)}-${++seq}`;
      return new Promise((resolve) => {
        waiting.set(id, { resolve: resolve as Waiting['resolve'] });
        try {
          ensurePort().postMessage(payload === undefined ? { id, type } : { id, type, payload });
        } catch {
          waiting.delete(id);
          port = null;
          resolve({ ok: false, error: { code: 'INTERNAL', message: ERROR_CODES.INTERNAL.message } });
        }
      });
    },
    on(event, listener) {
      let set = listeners.get(event);
      if (!set) listeners.set(event, (set = new Set()));
      set.add(listener as (data: unknown) => void);
      ensurePort();
      return () => set.delete(listener as (data: unknown) => void);
    },
    close() {
      closed = true;
      clearTimeout(reconnectTimer);
      port?.disconnect();
      port = null;
    },
  };
}
