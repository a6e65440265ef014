import WebSocket from 'ws';
import { CONTROL_SUBPROTOCOL, CONTROL_WS_PATH } from '../../shared/control/control-websocket.js';
import { ClientHandshake, CONTROL_CLOSE_CODES, isAuthAccepted } from '../../shared/control/handshake.js';
import { ERROR_CODES, LocalgateError } from '../../shared/errors.js';
import { nodeHandshakeCrypto } from './node-handshake-crypto.js';

export interface OpenControlSocketOptions {
  port: number;
  token: string;
  /** For the TCP connect, the upgrade and the handshake together. */
  timeoutMs: number;
}

/**
 * What a client says when the process on the control port cannot prove it holds our token. The
 * client cannot tell a stranger on the port from a daemon with another token, so it names both.
 */
export function unprovenDaemonMessage(port: number): string {
  return `The program on 127.0.0.1:${port} did not prove it holds this install's control token (another program may hold the control port, or the token changed); nothing was sent to it`;
}

/**
 * Opens a control WebSocket on 127.0.0.1:port and runs the client side of the challenge–response
 * (shared/control/handshake.ts) with the token, which never leaves this process. Resolves with a
 * socket the daemon has accepted and no listeners attached; rejects with a LocalgateError:
 * NOT_PAIRED (the daemon did not prove itself, or refused our proof), DAEMON_UNREACHABLE,
 * ORIGIN_FORBIDDEN, TIMEOUT.
 */
export function openControlSocket(options: OpenControlSocketOptions): Promise<WebSocket> {
  const { port } = options;
  const socket = new WebSocket(`ws://127.0.0.1:${port}${CONTROL_WS_PATH}`, [CONTROL_SUBPROTOCOL], { handshakeTimeout: options.timeoutMs });
  const handshake = new ClientHandshake({ token: options.token, port, crypto: nodeHandshakeCrypto });
  return new Promise((resolve, reject) => {
    let settled = false;
    const fail = (code: 'DAEMON_UNREACHABLE' | 'NOT_PAIRED' | 'ORIGIN_FORBIDDEN' | 'TIMEOUT', message: string) => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      socket.removeAllListeners();
      socket.on('error', () => undefined);
      socket.terminate();
      reject(new LocalgateError(code, message));
    };
    const timer = setTimeout(() => fail('TIMEOUT', `${ERROR_CODES.TIMEOUT.message} (control handshake)`), options.timeoutMs);
    // challenge: waiting for the daemon's proof; checking: verifying it (nothing else may arrive
    // meanwhile); accepted: our proof is sent, waiting for the daemon's ok.
    let stage: 'challenge' | 'checking' | 'accepted' = 'challenge';
    socket.once('open', () => socket.send(JSON.stringify(handshake.hello)));
    socket.on('message', (data) => {
      const message = safeJson(data.toString());
      if (stage === 'challenge') {
        stage = 'checking';
        void handshake.answer(message).then((proof) => {
          if (!proof) return fail('NOT_PAIRED', unprovenDaemonMessage(port));
          if (settled) return;
          stage = 'accepted';
          socket.send(JSON.stringify(proof));
        });
        return;
      }
      if (stage === 'checking' || !isAuthAccepted(message)) return fail('NOT_PAIRED', unprovenDaemonMessage(port));
      settled = true;
      clearTimeout(timer);
      socket.removeAllListeners();
      resolve(socket);
    });
    socket.once('close', (code) => {
      if (code === CONTROL_CLOSE_CODES.notPaired) fail('NOT_PAIRED', ERROR_CODES.NOT_PAIRED.message);
      else fail('DAEMON_UNREACHABLE', `The Localgate daemon on 127.0.0.1:${port} closed the control connection (${code})`);
    });
    socket.once('unexpected-response', (_request, response) => {
      const status = response.statusCode ?? 0;
      if (status === 403) fail('ORIGIN_FORBIDDEN', ERROR_CODES.ORIGIN_FORBIDDEN.message);
      else fail('DAEMON_UNREACHABLE', `The Localgate daemon refused the control connection (HTTP ${status})`);
    });
    socket.once('error', (error) => fail('DAEMON_UNREACHABLE', `Cannot reach the Localgate daemon on 127.0.0.1:${port}: ${(error as NodeJS.ErrnoException).code ?? error.message}`));
  });
}

function safeJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return undefined;
  }
}
