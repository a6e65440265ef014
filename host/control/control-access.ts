import { createHash, timingSafeEqual } from 'node:crypto';
import type { IncomingHttpHeaders } from 'node:http';
import { CONTROL_TOKEN_HEADER, TOKEN_SUBPROTOCOL_PREFIX } from '../../shared/control/control-websocket.js';
import type { ErrorCode } from '../../shared/errors.js';
import { EXTENSION_ID } from '../../shared/extension-identity.js';

const CHROME_EXTENSION_ORIGIN = `chrome-extension://${EXTENSION_ID}`;

/**
 * Firefox gives every installed add-on a random per-profile UUID as its origin host
 * (`moz-extension://<uuid>`), unrelated to the add-on ID, so the origin cannot be pinned. Any
 * moz-extension origin passes this check; the per-install token, which only the paired extension
 * holds, is what keeps other add-ons out. Web pages can never present this scheme.
 */
const FIREFOX_EXTENSION_ORIGIN = /^moz-extension:\/\/[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/**
 * Whether a request's Origin may control Localgate. No Origin at all means a local process (the
 * CLI, the native relay): browsers always send Origin on WebSocket handshakes, so a web page
 * cannot pass as one. `null` and every http(s) origin are refused.
 */
export function isAllowedControlOrigin(origin: string | undefined): boolean {
  if (origin === undefined) return true;
  return origin === CHROME_EXTENSION_ORIGIN || FIREFOX_EXTENSION_ORIGIN.test(origin);
}

/** The token a client presented: from the subprotocol list (browsers) or the header (Node). */
export function presentedToken(headers: IncomingHttpHeaders): string | undefined {
  const header = headers[CONTROL_TOKEN_HEADER];
  if (typeof header === 'string' && header.length > 0) return header;
  const protocols = headers['sec-websocket-protocol'];
  if (typeof protocols !== 'string') return undefined;
  for (const entry of protocols.split(',')) {
    const protocol = entry.trim();
    if (protocol.startsWith(TOKEN_SUBPROTOCOL_PREFIX)) return protocol.slice(TOKEN_SUBPROTOCOL_PREFIX.length);
  }
  return undefined;
}

/**
 * Constant-time comparison. Hashing first gives both sides the same length, so neither the
 * content nor the length of the expected token leaks through timing.
 */
export function tokensMatch(presented: string, expected: string): boolean {
  const digest = (value: string) => createHash('sha256').update(value).digest();
  return timingSafeEqual(digest(presented), digest(expected));
}

/**
 * Decides a control request from its headers alone, before any socket exists: the error code to
 * refuse with (ORIGIN_FORBIDDEN → 403, NOT_PAIRED → 401), or undefined to let it through.
 */
export function checkControlAccess(headers: IncomingHttpHeaders, expectedToken: string): Extract<ErrorCode, 'ORIGIN_FORBIDDEN' | 'NOT_PAIRED'> | undefined {
  if (!isAllowedControlOrigin(headers.origin)) return 'ORIGIN_FORBIDDEN';
  const token = presentedToken(headers);
  if (token === undefined || !tokensMatch(token, expectedToken)) return 'NOT_PAIRED';
  return undefined;
}
