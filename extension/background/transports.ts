import type { TransportKind } from '../utils/view-protocol';

/**
 * The two ways the background reaches the daemon, reduced to what the connection manager needs.
 * Both carry the shared control envelope, one JSON message per request, reply or event.
 */

/** The subset of a `runtime.Port` from `connectNative` that we use. */
export interface NativePortLike {
  postMessage(message: unknown): void;
  disconnect(): void;
  onMessage: { addListener(listener: (message: unknown) => void): void };
  onDisconnect: { addListener(listener: (port: NativePortLike) => void): void };
  /** Firefox reports why the port closed here; Chromium uses `runtime.lastError`. */
  error?: { message?: string } | null;
}

/** The subset of the DOM `WebSocket` that we use. */
export interface WebSocketLike {
  readonly readyState: number;
  send(data: string): void;
  close(code?: number, reason?: string): void;
  onopen: ((event: unknown) => void) | null;
  onmessage: ((event: { data: unknown }) => void) | null;
  onclose: ((event: { code?: number; reason?: string }) => void) | null;
  onerror: ((event: unknown) => void) | null;
}

export interface TransportDeps {
  connectNative(name: string): NativePortLike;
  /** Chromium's `runtime.lastError` at the time a native port disconnects. */
  lastErrorMessage(): string | undefined;
  createWebSocket(url: string, protocols: string[]): WebSocketLike;
}

export interface TransportCallbacks {
  /** The transport can carry messages (native: right away, the browser queues; WS: on open). */
  onOpen(): void;
  /** A parsed JSON value from the daemon (not yet validated). */
  onMessage(message: unknown): void;
  /** The transport is gone. `error` is the browser's reason, if any. Called at most once. */
  onClose(error: string | undefined): void;
}

export interface Transport {
  readonly kind: TransportKind;
  send(message: unknown): void;
  close(): void;
}

/**
 * Errors that mean the native host is not installed for this browser (or not for this extension):
 * Chromium "Specified native messaging host not found." / "Access to the specified native
 * messaging host is forbidden.", Firefox "No such native application dev.localgate.host".
 */
export function isNativeHostMissingError(message: string | undefined): boolean {
  if (!message) return false;
  return /native messaging host not found|no such native application|native messaging host is forbidden/i.test(message);
}

export function openNativeTransport(deps: TransportDeps, hostName: string, callbacks: TransportCallbacks): Transport {
  let closed = false;
  const finish = (error: string | undefined) => {
    if (closed) return;
    closed = true;
    callbacks.onClose(error);
  };
  let port: NativePortLike;
  try {
    port = deps.connectNative(hostName);
  } catch (error) {
    // Firefox throws synchronously when the permission is missing; report it as a close.
    queueMicrotask(() => finish(error instanceof Error ? error.message : String(error)));
    return { kind: 'native', send() {}, close() { closed = true; } };
  }
  port.onMessage.addListener((message) => {
    if (!closed) callbacks.onMessage(message);
  });
  port.onDisconnect.addListener((p) => {
    const message = p?.error?.message || port.error?.message || deps.lastErrorMessage() || undefined;
    finish(message);
  });
  queueMicrotask(() => {
    if (!closed) callbacks.onOpen();
  });
  return {
    kind: 'native',
    send(message) {
      if (!closed) port.postMessage(message);
    },
    close() {
      if (closed) return;
      closed = true;
      try {
        port.disconnect();
      } catch {
        // already gone
      }
    },
  };
}

const WS_OPEN = 1;

export function openWebSocketTransport(
  deps: TransportDeps,
  url: string,
  protocols: string[],
  callbacks: TransportCallbacks,
): Transport {
  let closed = false;
  const finish = (error: string | undefined) => {
    if (closed) return;
    closed = true;
    callbacks.onClose(error);
  };
  let socket: WebSocketLike;
  try {
    socket = deps.createWebSocket(url, protocols);
  } catch (error) {
    queueMicrotask(() => finish(error instanceof Error ? error.message : String(error)));
    return { kind: 'websocket', send() {}, close() { closed = true; } };
  }
  socket.onopen = () => {
    if (!closed) callbacks.onOpen();
  };
  socket.onmessage = (event) => {
    if (closed || typeof event.data !== 'string') return;
    let message: unknown;
    try {
      message = JSON.parse(event.data);
    } catch {
      message = { malformed: true };
    }
    callbacks.onMessage(message);
  };
  socket.onerror = () => {
    // A close event always follows; it carries what little the browser tells us.
  };
  socket.onclose = (event) => finish(event.reason || (event.code ? `WebSocket closed (${event.code})` : undefined));
  return {
    kind: 'websocket',
    send(message) {
      if (!closed && socket.readyState === WS_OPEN) socket.send(JSON.stringify(message));
    },
    close() {
      if (closed) return;
      closed = true;
      try {
        socket.close(1000, 'client closed');
      } catch {
        // already closed
      }
    },
  };
}
