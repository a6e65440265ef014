import { useCallback, useEffect, useRef, useState } from 'preact/hooks';
import type { DaemonStatus } from '../../shared/status';
import type { BackgroundClient } from './background-client';
import { errorText } from './error-text';
import type { ConfigView } from './types';
import { requestDaemonSnapshot, type DaemonSnapshot } from './daemon-snapshot';
import type { ConnectionInfo } from './view-protocol';

export interface DaemonView {
  connection: ConnectionInfo;
  /** The last connection state that was not `connecting`, so a reconnect attempt does not flash the UI. */
  settled: ConnectionInfo['state'] | null;
  status: DaemonStatus | null;
  config: ConfigView | null;
  /** Why loading failed, if it did (in the UI's language). */
  error: string | null;
  /** Loads status and config once (on open and on every (re)connection). */
  load(): Promise<void>;
  /** A control reply carried a newer status or config: show it. */
  setStatus(status: DaemonStatus): void;
  setConfig(config: ConfigView): void;
}

/**
 * What a view (popup, options page) shows of the daemon: one snapshot of status and config when
 * it connects, then the status and config the daemon pushes and the results of the view's own actions.
 * Nothing is polled.
 */
export function useDaemon(client: BackgroundClient, firstSnapshot?: DaemonSnapshot): DaemonView {
  const [connection, setConnection] = useState<ConnectionInfo>({ state: 'connecting' });
  const [settled, setSettled] = useState<ConnectionInfo['state'] | null>(null);
  const [status, setStatus] = useState<DaemonStatus | null>(null);
  const [config, setConfig] = useState<ConfigView | null>(null);
  const [error, setError] = useState<string | null>(null);
  const loading = useRef(false);
  const unusedSnapshot = useRef(firstSnapshot);

  const load = useCallback(async () => {
    if (loading.current) return;
    loading.current = true;
    // The snapshot asked for before the first render serves the first load; later loads ask anew.
    const snapshot = unusedSnapshot.current ?? requestDaemonSnapshot(client);
    unusedSnapshot.current = undefined;
    const [nextStatus, nextConfig] = await snapshot;
    loading.current = false;
    if (nextStatus.ok) setStatus(nextStatus.result);
    if (nextConfig.ok) setConfig(nextConfig.result);
    const failed = !nextStatus.ok ? nextStatus : !nextConfig.ok ? nextConfig : null;
    setError(failed && !failed.ok ? errorText(failed.error) : null);
  }, [client]);

  useEffect(() => {
    const offConnection = client.on('connection', setConnection);
    const offStatus = client.on('status', setStatus);
    const offConfig = client.on('config', setConfig);
    void client.request('connection.state').then((reply) => reply.ok && setConnection(reply.result));
    void load();
    return () => {
      offConnection();
      offStatus();
      offConfig();
    };
  }, [client, load]);

  // Coming (back) to `connected` after anything else: load what we show.
  const previous = useRef(connection.state);
  useEffect(() => {
    if (connection.state !== 'connecting') setSettled(connection.state);
    if (connection.state === 'connected' && previous.current !== 'connected') void load();
    previous.current = connection.state;
  }, [connection.state, load]);

  return { connection, settled, status, config, error, load, setStatus, setConfig };
}
