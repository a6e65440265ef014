import { EXTENSION_ID, FIREFOX_EXTENSION_ID } from '../../shared/extension-identity.js';

/**
 * Whether the browser says the caller is our extension (Chromium origin or Firefox add-on id).
 * A module of its own: the relay decides this before it loads anything else.
 */
export function isAllowedCaller(args: readonly string[]): boolean {
  return args.some((arg) => arg === `chrome-extension://${EXTENSION_ID}/` || arg === FIREFOX_EXTENSION_ID);
}
