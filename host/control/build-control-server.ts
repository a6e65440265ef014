import { setTimeout as delay } from 'node:timers/promises';
import websocket from '@fastify/websocket';
import Fastify, { type FastifyInstance } from 'fastify';
import { NO_JSON_SCHEMA_COMPILERS } from '../core/no-json-schema-compilers.js';
import type { RawData, WebSocket, WebSocketServer } from 'ws';
import { CONTROL_SUBPROTOCOL, CONTROL_WS_PATH } from '../../shared/control/control-websocket.js';
import type { ControlEvent, ControlReply } from '../../shared/control/envelope.js';
import { CONTROL_CLOSE_CODES, type AuthAccepted, type AuthChallenge } from '../../shared/control/handshake.js';
import { ERROR_CODES } from '../../shared/errors.js';
import { MonitorEntrySchema } from '../../shared/monitor.js';
import type { LocalgateApi } from '../service/localgate-service.types.js';
import { isAllowedControlOrigin } from './control-access.js';
import { DaemonHandshake } from './daemon-handshake.js';
import { dispatchControlMessage } from './dispatch-control-message.js';
import { RequestLedger } from './request-ledger.js';

/** The control server listens on loopback only, whatever `allow_lan_access` says. */
export const CONTROL_HOST = '127.0.0.1';

/** Control messages are small; anything near this is a mistake or an attack. */
const MAX_MESSAGE_BYTES = 1024 * 1024;

const HANDSHAKE_TIMEOUT_MS = 10_000;

/** How long clients get to answer the close frame before their sockets are cut. */
const CLOSE_GRACE_MS = 1_000;

/** Where the control server reports what a person running the daemon should see. */
export interface ControlServerLog {
  warn(message: string): void;
  error(message: string): void;
}

export interface ControlServerOptions {
  api: LocalgateApi;
  /** The per-install control token every client must prove it holds (it never travels). Never logged. */
  token: string;
  /** Called once, after the reply to `daemon.shutdown` has been written to its socket. */
  onShutdown: () => void;
  log?: ControlServerLog;
  /** How long a client has to finish the challenge–response after the upgrade. */
  handshakeTimeoutMs?: number;
}

/**
 * Builds (does not start) the daemon's control server: one WebSocket route carrying the control
 * protocol of shared/control. The Origin is checked in `onRequest`, which fastify-websocket runs
 * before it upgrades, so a web page never gets a socket. On the socket, the client and the daemon
 * first prove to each other that they hold the control token (DaemonHandshake); nothing else is
 * answered, and no event is pushed, before the client's proof checks. Requests that are not safe to
 * repeat are answered once per id (RequestLedger), across connections, so a client that resends
 * after a reconnect does not run them twice. Proven sockets receive `status`, `config` and
 * `monitor.entry` events.
 */
export function buildControlServer(options: ControlServerOptions): FastifyInstance {
  const { api, token, onShutdown, log, handshakeTimeoutMs = HANDSHAKE_TIMEOUT_MS } = options;
  /** Sockets whose client proved it holds the token: the only ones that get answers and events. */
  const authenticated = new Set<WebSocket>();
  const ledger = new RequestLedger();
  // Logging stays off: request logs would add nothing a person needs.
  const app = Fastify({ logger: false, ...NO_JSON_SCHEMA_COMPILERS });

  app.register(websocket, {
    options: {
      maxPayload: MAX_MESSAGE_BYTES,
      // Select only the version: the token entry of the offered list is never echoed back.
      handleProtocols: (protocols) => (protocols.has(CONTROL_SUBPROTOCOL) ? CONTROL_SUBPROTOCOL : false),
    },
    preClose: () => closeClients(app.websocketServer),
  });

  app.register(async (instance) => {
    // Added inside this child context so it runs after fastify-websocket's own onRequest hook,
    // which marks the request as an upgrade: only then does the plugin destroy the raw socket
    // of a refused upgrade after the 401/403 is written (otherwise it would linger half-open).
    instance.addHook('onRequest', async (request, reply) => {
      if (isAllowedControlOrigin(request.headers.origin)) return;
      log?.warn(`Refused a control connection from origin ${request.headers.origin ?? '(none)'}`);
      return reply.code(ERROR_CODES.ORIGIN_FORBIDDEN.status).send({ code: 'ORIGIN_FORBIDDEN', message: ERROR_CODES.ORIGIN_FORBIDDEN.message });
    });

    instance.get(CONTROL_WS_PATH, { websocket: true }, (socket) => {
      const port = listeningPort(app);
      if (port === undefined) return socket.close(CONTROL_CLOSE_CODES.handshakeExpected, 'Not listening');
      const handshake = new DaemonHandshake({ token, port });
      const timer = setTimeout(() => socket.close(CONTROL_CLOSE_CODES.handshakeTimeout, 'Handshake timeout'), handshakeTimeoutMs);
      socket.once('close', () => {
        clearTimeout(timer);
        authenticated.delete(socket);
      });
      socket.on('message', (data) => {
        if (!authenticated.has(socket)) {
          // Until the client proved itself, everything it sends is a handshake step.
          const step = handshake.receive(safeJson(textOf(data)));
          if ('close' in step) {
            clearTimeout(timer);
            if (step.close.code === CONTROL_CLOSE_CODES.notPaired) log?.warn('Refused a control connection: its handshake proof does not match the control token');
            return socket.close(step.close.code, step.close.reason);
          }
          if (step.authenticated) {
            clearTimeout(timer);
            authenticated.add(socket);
          }
          return send(socket, step.reply);
        }
        let shutdownRequested = false;
        const context = { requestShutdown: () => void (shutdownRequested = true) };
        void dispatchControlMessage(textOf(data), api, context, {
          ledger,
          onInternalError: (type, error) => log?.error(`Control message ${type} failed: ${(error as Error)?.message ?? String(error)}`),
        }).then((reply) => send(socket, reply, shutdownRequested ? onShutdown : undefined));
      });
    });
  });

  const listening = (): boolean => authenticated.size > 0;
  /** Serialised once for every client (a monitor entry goes out once per proxied request). */
  const broadcast = (event: ControlEvent) => {
    let text: string | undefined;
    for (const client of authenticated) {
      if (client.readyState === client.OPEN) client.send((text ??= JSON.stringify(event)));
    }
  };
  const unsubscribers = [
    api.onStatus((status) => broadcast({ event: 'status', data: status })),
    api.onConfig((config) => broadcast({ event: 'config', data: config })),
    api.onMonitorEntry((entry) => {
      // Nobody to tell: no validation, no serialisation on the request path.
      if (!listening()) return;
      // Only the schema's fields go out; an entry that does not fit is dropped, not thrown into the proxy.
      const parsed = MonitorEntrySchema.safeParse(entry);
      if (parsed.success) broadcast({ event: 'monitor.entry', data: parsed.data });
    }),
  ];
  app.addHook('onClose', async () => unsubscribers.forEach((unsubscribe) => unsubscribe()));

  return app;
}

/**
 * Replaces the plugin's default preClose, whose `close()` waits up to 30 s (ws's close timeout)
 * for a client that never answers the close frame; shutdown must not hang on one.
 */
async function closeClients(server: WebSocketServer): Promise<void> {
  const clients = [...server.clients];
  for (const client of clients) client.close(1001, 'Localgate daemon is shutting down');
  const allClosed = Promise.all(clients.map((client) => new Promise((resolve) => (client.readyState === client.CLOSED ? resolve(undefined) : client.once('close', resolve)))));
  await Promise.race([allClosed, delay(CLOSE_GRACE_MS, undefined, { ref: false })]);
  for (const client of clients) client.terminate();
  await new Promise((resolve) => server.close(resolve));
}

function send(socket: WebSocket, message: ControlReply | ControlEvent | AuthChallenge | AuthAccepted, afterSent?: () => void): void {
  if (socket.readyState !== socket.OPEN) {
    afterSent?.();
    return;
  }
  socket.send(JSON.stringify(message), () => afterSent?.());
}

function textOf(data: RawData): string {
  if (Array.isArray(data)) return Buffer.concat(data).toString('utf8');
  if (Buffer.isBuffer(data)) return data.toString('utf8');
  return Buffer.from(new Uint8Array(data)).toString('utf8');
}

/** The port this server listens on: both handshake proofs cover it (see shared/control/handshake.ts). */
function listeningPort(app: FastifyInstance): number | undefined {
  const address = app.server.address();
  return address !== null && typeof address === 'object' ? address.port : undefined;
}

function safeJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return undefined;
  }
}
