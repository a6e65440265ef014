/**
 * How a client reaches the daemon's control server over WebSocket. Shared because the extension's
 * background worker opens the same socket the CLI and the native relay open.
 *
 * The client offers `[CONTROL_SUBPROTOCOL]`; the control token never travels, not even in the
 * upgrade: both sides prove they hold it once the socket is open (shared/control/handshake.ts).
 */
export const CONTROL_WS_PATH = '/control';

/** The protocol version the server selects. v2: challenge–response instead of a bearer token. */
export const CONTROL_SUBPROTOCOL = 'localgate.v2';
