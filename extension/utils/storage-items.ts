import { storage } from '#imports';
import type { Pairing } from '../../shared/control/pairing';

/**
 * Every storage item the extension keeps, each declared once (style-anchors §4.6).
 * `local:` = browser.storage.local, private to the extension.
 */

/** The WebSocket fallback pairing: the control URL and the per-install token. */
export const pairingItem = storage.defineItem<Pairing | null>('local:pairing', {
  fallback: null,
  version: 1,
});

export const INSTALL_BROWSERS = ['chrome', 'chromium', 'edge', 'brave', 'firefox'] as const;
export type InstallBrowser = (typeof INSTALL_BROWSERS)[number];

/** Which browser the "install the native host" command is shown for (remembered). */
export const installBrowserItem = storage.defineItem<InstallBrowser | null>('local:installBrowser', {
  fallback: null,
  version: 1,
});
