import { setTimeout as delay } from 'node:timers/promises';
import websocket from '@fastify/websocket';
import Fastify, { type FastifyInstance } from 'fastify';
import { NO_JSON_SCHEMA_COMPILERS } from '../core/no-json-schema-compilers.js';
import type { RawData, WebSocket, WebSocketServer } from 'ws';
import { CONTROL_SUBPROTOCOL, CONTROL_WS_PATH } from '../../shared/control/control-websocket.js';
import type { ControlEvent, ControlReply } from '../../shared/control/envelope.js';
import { ERROR_CODES } from '../../shared/errors.js';
import { MonitorEntrySchema } from '../../shared/monitor.js';
import type { LocalgateApi } from '../service/localgate-service.types.js';
import { checkControlAccess } from './control-access.js';
import { dispatchControlMessage } from './dispatch-control-message.js';

/** The control server listens on loopback only, whatever `allow_lan_access` says. */
export const CONTROL_HOST = '127.0.0.1';

/** Control messages are small; anything near this is a mistake or an attack. */
const MAX_MESSAGE_BYTES = 1024 * 1024;

/** How long clients get to answer the close frame before their sockets are cut. */
const CLOSE_GRACE_MS = 1_000;

/** Where the control server reports what a person running the daemon should see. */
export interface ControlServerLog {
  warn(message: string): void;
  error(message: string): void;
}

export interface ControlServerOptions {
  api: LocalgateApi;
  /** The per-install control token every client must present. Never logged. */
  token: string;
  /** Called once, after the reply to `daemon.shutdown` has been written to its socket. */
  onShutdown: () => void;
  log?: ControlServerLog;
}

/**
 * Builds (does not start) the daemon's control server: one WebSocket route carrying the control
 * protocol of shared/control. Origin and token are checked in `onRequest`, which fastify-websocket
 * runs before it upgrades, so a refused client never gets a socket and never reaches a handler.
 * Every connected socket also receives `status` and `monitor.entry` events.
 */
export function buildControlServer(options: ControlServerOptions): FastifyInstance {
  const { api, token, onShutdown, log } = options;
  // Logging stays off: request logs would add nothing a person needs, and the token rides in a header.
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
      const refusal = checkControlAccess(request.headers, token);
      if (!refusal) return;
      log?.warn(`Refused a control connection (${refusal}) from origin ${request.headers.origin ?? '(none)'}`);
      return reply.code(ERROR_CODES[refusal].status).send({ code: refusal, message: ERROR_CODES[refusal].message });
    });

    instance.get(CONTROL_WS_PATH, { websocket: true }, (socket) => {
      socket.on('message', (data) => {
        let shutdownRequested = false;
        const context = { requestShutdown: () => void (shutdownRequested = true) };
        void dispatchControlMessage(textOf(data), api, context, {
          onInternalError: (type, error) => log?.error(`Control message ${type} failed: ${(error as Error)?.message ?? String(error)}`),
        }).then((reply) => send(socket, reply, shutdownRequested ? onShutdown : undefined));
      });
    });
  });

  const listening = (): boolean => (app.websocketServer?.clients.size ?? 0) > 0;
  /** Serialised once for every client (a monitor entry goes out once per proxied request). */
  const broadcast = (event: ControlEvent) => {
    let text: string | undefined;
    for (const client of app.websocketServer?.clients ?? []) {
      if (client.readyState === client.OPEN) client.send((text ??= JSON.stringify(event)));
    }
  };
  const unsubscribers = [
    api.onStatus((status) => broadcast({ event: 'status', data: status })),
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

function send(socket: WebSocket, message: ControlReply | ControlEvent, afterSent?: () => void): void {
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
