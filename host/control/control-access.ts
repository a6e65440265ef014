import { EXTENSION_ID } from '../../shared/extension-identity.js';

const CHROME_EXTENSION_ORIGIN = `chrome-extension://${EXTENSION_ID}`;

/**
 * Firefox gives every installed add-on a random per-profile UUID as its origin host
 * (`moz-extension://<uuid>`), unrelated to the add-on ID, so the origin cannot be pinned. Any
 * moz-extension origin passes this check; the control handshake, which only a holder of the
 * per-install token passes, is what keeps other add-ons out. Web pages can never present this scheme.
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
