import type { BackgroundClient } from './background-client';
import type { Outcome, ViewResult } from './view-protocol';

/** The replies a view loads what it shows from: the daemon's status and config. */
export type DaemonSnapshot = Promise<[Outcome<ViewResult<'proxy.status'>>, Outcome<ViewResult<'config.get'>>]>;

/**
 * Asks the background for a snapshot. The popup asks as its script starts, before it loads the
 * rest of itself and renders: the request is what connects the background to the daemon when no
 * connection is up (and what starts the daemon when none runs), so it should not wait for them.
 */
export function requestDaemonSnapshot(client: BackgroundClient): DaemonSnapshot {
  return Promise.all([client.request('proxy.status'), client.request('config.get')]);
}
