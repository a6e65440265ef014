import { CONTROL_WS_PATH } from './control-websocket.js';

/**
 * A pairing string lets a browser without the native host reach the daemon's control WebSocket
 * directly. The CLI prints it, the user pastes it into the popup once:
 *
 *     localgate-pair:ws://127.0.0.1:8045/control#<token>
 *
 * The URL must point at a loopback address (the control server never listens elsewhere). The
 * token stays in the extension: it keys the control handshake (shared/control/handshake.ts).
 */
export const PAIRING_PREFIX = 'localgate-pair:';

export interface Pairing {
  /** `ws://127.0.0.1:PORT/control` */
  url: string;
  token: string;
}

const LOOPBACK_HOSTS = new Set(['127.0.0.1', 'localhost', '[::1]']);
/** RFC 7230 `token` characters: what `localgate pair` prints (hex) and older pairings held. */
const TOKEN_PATTERN = /^[A-Za-z0-9!#$%&'*+.^_`|~-]{8,512}$/;

export const PAIRING_FORMAT_HINT = `${PAIRING_PREFIX}ws://127.0.0.1:PORT${CONTROL_WS_PATH}#TOKEN`;

export function formatPairingString(pairing: Pairing): string {
  return `${PAIRING_PREFIX}${pairing.url}#${pairing.token}`;
}

/** The pairing in a pasted string, or a short reason it is not one (safe to show as is). */
export function parsePairingString(input: string): { ok: true; pairing: Pairing } | { ok: false; reason: string } {
  const text = input.trim();
  const fail = (reason: string) => ({ ok: false as const, reason });
  if (!text.startsWith(PAIRING_PREFIX)) return fail(`A pairing string starts with "${PAIRING_PREFIX}"`);
  const rest = text.slice(PAIRING_PREFIX.length);
  const hash = rest.lastIndexOf('#');
  if (hash < 0) return fail('The pairing string has no token (the part after "#")');
  const token = rest.slice(hash + 1);
  if (!TOKEN_PATTERN.test(token)) return fail('The pairing token is malformed');
  let url: URL;
  try {
    url = new URL(rest.slice(0, hash));
  } catch {
    return fail('The pairing string does not hold a valid URL');
  }
  if (url.protocol !== 'ws:') return fail('The pairing URL must start with ws://');
  if (!LOOPBACK_HOSTS.has(url.hostname)) return fail('The pairing URL must point at this computer (127.0.0.1)');
  if (!url.port) return fail('The pairing URL has no port');
  if (url.pathname !== CONTROL_WS_PATH) return fail(`The pairing URL must end with ${CONTROL_WS_PATH}`);
  if (url.search || url.username || url.password) return fail('The pairing URL has unexpected parts');
  return { ok: true, pairing: { url: `ws://${url.host}${CONTROL_WS_PATH}`, token } };
}
