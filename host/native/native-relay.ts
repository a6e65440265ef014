import WebSocket from 'ws';
import { ControlInboundSchema, ControlRequestSchema, type ControlReply } from '../../shared/control/envelope.js';
import { ERROR_CODES, LocalgateError, toErrorPayload, type ErrorCode } from '../../shared/errors.js';
import { openControlSocket } from '../control/open-control-socket.js';
import { ensureControlToken } from '../store/control-token.js';
import { readLiveDaemonFile, type DaemonFile } from '../store/daemon-file.js';
import { isAllowedCaller } from './allowed-caller.js';
import { encodeNativeMessage, NativeMessageDecoder } from './native-framing.js';
import { spawnDaemon } from './spawn-daemon.js';

/** For the connect and the control handshake; a daemon just spawned is already listening. */
const CONNECT_TIMEOUT_MS = 10_000;

export interface RelayOptions {
  dataDir: string;
  /** argv after `native`: Chromium passes the caller origin, Firefox the manifest path and add-on id. */
  callerArgs: readonly string[];
  input: NodeJS.ReadableStream;
  output: NodeJS.WritableStream;
  /** Called once the relay is done (stdin ended, or the daemon went away). */
  exit(code: number): void;
  spawn?: typeof spawnDaemon;
  /**
   * The daemon start begun at launch (startDaemonUnlessRunning), for an allowed caller: resolves
   * with the daemon it started, or undefined when one was running. Used by the first connection only.
   */
  daemonStart?: Promise<DaemonFile | undefined>;
}

/**
 * `localgate native`: the process a browser starts for the extension. It frames messages on
 * stdin/stdout, starts the daemon if none runs, relays control messages both ways over the
 * daemon's WebSocket (validated in both directions), and exits as soon as stdin ends, because
 * the browser SIGKILLs a host still alive 2 s after its port closes. For our extension it
 * connects at once, without waiting for the first message: the popup that launched it is waiting.
 */
export function runNativeRelay(options: RelayOptions): void {
  const write = (message: unknown): void => {
    try {
      options.output.write(encodeNativeMessage(message));
    } catch {
      // Over the browser's 1 MB limit: tell the caller instead of sending a frame it would reject.
      const id = (message as { id?: unknown }).id;
      if (typeof id === 'string') options.output.write(encodeNativeMessage(errorReply(id, 'INTERNAL', 'The reply is larger than the 1 MB native messaging limit')));
    }
  };
  let finished = false;
  const finish = (code: number): void => {
    if (finished) return;
    finished = true;
    socket?.terminate();
    options.exit(code);
  };

  const allowed = isAllowedCaller(options.callerArgs);
  let socket: WebSocket | undefined;
  const queue: string[] = [];
  let connecting: Promise<void> | undefined;
  let daemonStart = options.daemonStart;

  const connect = (): Promise<void> =>
    (connecting ??= (async () => {
      const started = daemonStart;
      daemonStart = undefined; // A retry after a failure starts afresh.
      const daemon = (await started) ?? (await findOrStartDaemon());
      // Nothing from the extension goes out before the daemon proved it holds the token.
      const ws = await openControlSocket({ port: daemon.control_port, token: ensureControlToken(options.dataDir), timeoutMs: CONNECT_TIMEOUT_MS });
      ws.on('message', (data) => {
        const parsed = ControlInboundSchema.safeParse(safeJson(data.toString()));
        if (parsed.success) write(parsed.data);
      });
      // The daemon went away (shutdown, crash): end this host; the extension's next message
      // starts a fresh one, which starts a fresh daemon.
      ws.once('close', () => finish(0));
      ws.on('error', () => undefined);
      socket = ws;
      for (const text of queue.splice(0)) ws.send(text);
    })());
  const findOrStartDaemon = async (): Promise<DaemonFile> => readLiveDaemonFile(options.dataDir) ?? (await (options.spawn ?? spawnDaemon)(options.dataDir));
  /** Connects, or answers every queued request with why it could not; the next request tries again. */
  const connectOrReport = (): void => {
    connect().catch((error: unknown) => {
      const payload = error instanceof LocalgateError ? error.toPayload() : { code: 'DAEMON_UNREACHABLE' as const, message: ERROR_CODES.DAEMON_UNREACHABLE.message };
      for (const pending of queue.splice(0)) {
        const pendingId = (JSON.parse(pending) as { id: string }).id;
        write({ id: pendingId, ok: false, error: payload });
      }
      connecting = undefined;
    });
  };

  const decoder = new NativeMessageDecoder((message) => {
    const request = ControlRequestSchema.safeParse(message);
    const id = typeof (message as { id?: unknown })?.id === 'string' ? (message as { id: string }).id : '';
    if (!request.success) return write(errorReply(id || 'unknown', 'INVALID_MESSAGE'));
    if (!allowed) return write(errorReply(request.data.id, 'ORIGIN_FORBIDDEN'));
    const text = JSON.stringify(request.data);
    if (socket && socket.readyState === WebSocket.OPEN) return socket.send(text);
    queue.push(text);
    connectOrReport();
  });
  if (allowed) connectOrReport();

  options.input.on('data', (chunk: Buffer) => {
    try {
      decoder.push(chunk);
    } catch (error) {
      write(errorReply('unknown', 'INVALID_MESSAGE', toErrorPayload(error).code === 'INTERNAL' ? (error as Error).message : undefined));
      finish(1);
    }
  });
  options.input.once('end', () => finish(0));
  options.input.once('close', () => finish(0));
}

function errorReply(id: string, code: ErrorCode, message: string = ERROR_CODES[code].message): ControlReply {
  return { id, ok: false, error: { code, message } };
}

function safeJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return undefined;
  }
}
