import { CONTROL_SUBPROTOCOL } from '../../shared/control/control-websocket';
import { CONTROL_CLOSE_CODES, isAuthAccepted, type ClientHandshake } from '../../shared/control/handshake';
import type { ErrorCode } from '../../shared/errors';
import type { TransportKind } from '../utils/view-protocol';

/** Why a paired WebSocket was given up during the handshake (shown with NOT_PAIRED). */
export const NOT_PROVEN =
  'The program on the paired port did not prove it holds the pairing token (the pairing may be outdated, or another program holds the port); nothing was sent to it';

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
  /**
   * The transport is gone. `error` is the browser's reason, if any; `code` is set when the
   * control handshake failed (NOT_PAIRED). Called at most once.
   */
  onClose(error: string | undefined, code?: ErrorCode): void;
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

/**
 * The paired WebSocket: opened with the version subprotocol only, then the control handshake
 * (shared/control/handshake.ts) runs before anything else. `onOpen` comes only once the daemon
 * proved it holds the pairing token and accepted ours; until then nothing the manager sends goes
 * out, and a socket whose other end cannot prove itself is closed with NOT_PAIRED.
 */
export function openWebSocketTransport(
  deps: TransportDeps,
  url: string,
  handshake: ClientHandshake,
  callbacks: TransportCallbacks,
): Transport {
  let closed = false;
  const finish = (error: string | undefined, code?: ErrorCode) => {
    if (closed) return;
    closed = true;
    callbacks.onClose(error, code);
  };
  let socket: WebSocketLike;
  try {
    socket = deps.createWebSocket(url, [CONTROL_SUBPROTOCOL]);
  } catch (error) {
    queueMicrotask(() => finish(error instanceof Error ? error.message : String(error)));
    return { kind: 'websocket', send() {}, close() { closed = true; } };
  }
  // challenge: waiting for the daemon's proof; checking: verifying it; accepted: our proof sent,
  // waiting for the daemon's ok; open: the control protocol runs.
  let stage: 'challenge' | 'checking' | 'accepted' | 'open' = 'challenge';
  const refuse = () => {
    try {
      socket.close(1000, 'handshake failed');
    } catch {
      // already closed
    }
    finish(NOT_PROVEN, 'NOT_PAIRED');
  };
  const handshakeStep = (message: unknown) => {
    if (stage === 'challenge') {
      stage = 'checking';
      void handshake.answer(message).then((proof) => {
        if (closed) return;
        if (!proof) return refuse();
        stage = 'accepted';
        socket.send(JSON.stringify(proof));
      });
    } else if (stage === 'accepted' && isAuthAccepted(message)) {
      stage = 'open';
      callbacks.onOpen();
    } else {
      refuse();
    }
  };
  socket.onopen = () => {
    if (!closed) socket.send(JSON.stringify(handshake.hello));
  };
  socket.onmessage = (event) => {
    if (closed || typeof event.data !== 'string') return;
    let message: unknown;
    try {
      message = JSON.parse(event.data);
    } catch {
      message = { malformed: true };
    }
    if (stage === 'open') callbacks.onMessage(message);
    else handshakeStep(message);
  };
  socket.onerror = () => {
    // A close event always follows; it carries what little the browser tells us.
  };
  socket.onclose = (event) => {
    if (event.code === CONTROL_CLOSE_CODES.notPaired) return finish(NOT_PROVEN, 'NOT_PAIRED');
    finish(event.reason || (event.code ? `WebSocket closed (${event.code})` : undefined));
  };
  return {
    kind: 'websocket',
    send(message) {
      if (!closed && stage === 'open' && socket.readyState === WS_OPEN) socket.send(JSON.stringify(message));
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
