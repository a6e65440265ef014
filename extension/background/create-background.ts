import { browser } from '#imports';
import { ConnectionManager, type ConnectionManagerOptions } from './connection-manager';
import type { NativePortLike, TransportDeps, WebSocketLike } from './transports';
import { ViewHub, type ViewHubOptions } from './view-hub';
import { pairingItem } from '../utils/storage-items';

/** The browser's real transports. */
export function browserTransports(): TransportDeps {
  return {
    connectNative: (name) => browser.runtime.connectNative(name) as unknown as NativePortLike,
    lastErrorMessage: () => browser.runtime.lastError?.message,
    createWebSocket: (url, protocols) => new WebSocket(url, protocols) as unknown as WebSocketLike,
  };
}

/** Wires the background's pieces together (no listeners: the entrypoint registers those). */
export function createBackground(
  overrides: Partial<ConnectionManagerOptions> = {},
  hubOptions: ViewHubOptions = {},
): { manager: ConnectionManager; hub: ViewHub } {
  const manager = new ConnectionManager({
    transports: browserTransports(),
    loadPairing: () => pairingItem.getValue(),
    ...overrides,
  });
  const hub = new ViewHub(
    manager,
    {
      get: () => pairingItem.getValue(),
      set: (pairing) => (pairing ? pairingItem.setValue(pairing) : pairingItem.removeValue()),
    },
    hubOptions,
  );
  return { manager, hub };
}
