/**
 * How a client reaches the daemon's control server over WebSocket. Shared because the extension's
 * background worker opens the same socket the CLI and the native relay open.
 *
 * Browsers cannot set headers on a WebSocket, so the per-install token travels in the subprotocol
 * list: the client offers `[CONTROL_SUBPROTOCOL, TOKEN_SUBPROTOCOL_PREFIX + token]` and the server
 * selects only `CONTROL_SUBPROTOCOL`, so the token is never echoed back.
 */
export const CONTROL_WS_PATH = '/control';

/** The protocol version the server selects. */
export const CONTROL_SUBPROTOCOL = 'localgate.v1';

/** Prefix of the subprotocol entry that carries the token (hex, so a valid header token). */
export const TOKEN_SUBPROTOCOL_PREFIX = 'localgate-token.';

/** Alternative token transport for Node clients, which can set headers. */
export const CONTROL_TOKEN_HEADER = 'x-localgate-token';

/** The subprotocol list a client offers. */
export function controlSubprotocols(token: string): [string, string] {
  return [CONTROL_SUBPROTOCOL, `${TOKEN_SUBPROTOCOL_PREFIX}${token}`];
}
