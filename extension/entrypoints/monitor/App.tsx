import { useEffect, useState } from 'preact/hooks';
import { MonitorEntrySchema, type MonitorEntry, type StatsWindow } from '../../../shared/monitor';
import type { BackgroundClient } from '../../utils/background-client';
import { formatClock } from '../../utils/format';
import type { ConnectionInfo } from '../../utils/view-protocol';
import { StatsPanel } from './StatsPanel';
import { useMonitorStats, type StatsTiming } from './use-monitor-stats';

export const MAX_ROWS = 500;

/** Newest first, one row per id, at most MAX_ROWS. */
export function mergeEntries(current: MonitorEntry[], incoming: MonitorEntry[]): MonitorEntry[] {
  const byId = new Map<string, MonitorEntry>();
  for (const entry of [...incoming, ...current]) if (!byId.has(entry.id)) byId.set(entry.id, entry);
  return [...byId.values()].sort((a, b) => b.time - a.time).slice(0, MAX_ROWS);
}

function validEntries(values: unknown[]): MonitorEntry[] {
  return values.flatMap((value) => {
    const parsed = MonitorEntrySchema.safeParse(value);
    return parsed.success ? [parsed.data] : [];
  });
}

export function App({ client, statsTiming }: { client: BackgroundClient; statsTiming?: StatsTiming }) {
  const [entries, setEntries] = useState<MonitorEntry[]>([]);
  const [statsWindow, setStatsWindow] = useState<StatsWindow>('hour');
  const { stats, error: statsError } = useMonitorStats(client, statsWindow, statsTiming);
  const [connection, setConnection] = useState<ConnectionInfo>({ state: 'connecting' });
  const [error, setError] = useState<string | null>(null);
  const [paused, setPaused] = useState(false);

  useEffect(() => {
    const load = async () => {
      const reply = await client.request('monitor.recent', { limit: MAX_ROWS });
      if (!reply.ok) return setError(reply.error.message);
      setError(null);
      setEntries((current) => mergeEntries(current, validEntries(reply.result)));
    };
    let previous: ConnectionInfo['state'] = 'connecting';
    const offConnection = client.on('connection', (info) => {
      setConnection(info);
      if (info.state === 'connected' && previous !== 'connected') void load();
      previous = info.state;
    });
    void load();
    return offConnection;
  }, [client]);

  useEffect(() => {
    if (paused) return;
    return client.on('monitor.entry', (entry) => setEntries((current) => mergeEntries(current, [entry])));
  }, [client, paused]);

  return (
    <main class="monitor">
      <header class="monitor-header">
        <h1>Localgate monitor</h1>
        <span id="monitor-connection" class="muted">
          {connection.state === 'connected' ? 'live' : connection.state}
        </span>
        <span id="monitor-count" class="muted">
          {entries.length} request{entries.length === 1 ? '' : 's'}
        </span>
        <button id="monitor-pause" type="button" class="secondary small" aria-pressed={paused} onClick={() => setPaused(!paused)}>
          {paused ? 'Resume' : 'Pause'}
        </button>
        <button id="monitor-clear" type="button" class="secondary small" onClick={() => setEntries([])}>
          Clear
        </button>
      </header>
      {(error || connection.message) && (
        <p id="monitor-error" class="error banner" role="alert">
          {error ?? connection.message}
        </p>
      )}
      <StatsPanel stats={stats} error={statsError} window={statsWindow} onWindow={setStatsWindow} />
      <table id="monitor-table">
        <thead>
          <tr>
            <th scope="col">Time</th>
            <th scope="col">Protocol</th>
            <th scope="col">Path</th>
            <th scope="col">Model</th>
            <th scope="col">Account</th>
            <th scope="col">Status</th>
            <th scope="col">Latency</th>
            <th scope="col">Tokens in/out</th>
            <th scope="col">Warnings</th>
          </tr>
        </thead>
        <tbody>
          {entries.length === 0 ? (
            <tr>
              <td colSpan={9} class="muted empty">
                No requests yet.
              </td>
            </tr>
          ) : (
            entries.map((entry) => <Row key={entry.id} entry={entry} />)
          )}
        </tbody>
      </table>
    </main>
  );
}

function Row({ entry }: { entry: MonitorEntry }) {
  const model =
    entry.model && entry.mapped_model && entry.mapped_model !== entry.model
      ? `${entry.model} → ${entry.mapped_model}`
      : (entry.model ?? entry.mapped_model ?? '');
  const failed = entry.status >= 400;
  return (
    <tr data-testid="monitor-row" data-entry-id={entry.id} class={failed ? 'failed' : undefined}>
      <td>{formatClock(entry.time)}</td>
      <td>{entry.protocol}</td>
      <td class="path">
        <span class="muted">{entry.method}</span> {entry.path}
      </td>
      <td>{model}</td>
      <td>{entry.account ?? ''}</td>
      <td class={failed ? 'error' : 'ok'} title={entry.error}>
        {entry.status}
        {entry.error ? ` ${entry.error}` : ''}
      </td>
      <td class="num">
        {Math.round(entry.latency_ms)} ms{entry.stream ? ' (stream)' : ''}
      </td>
      <td class="num">
        {entry.tokens_in ?? '–'} / {entry.tokens_out ?? '–'}
      </td>
      <td class="warnings">
        {(entry.warnings ?? []).map((warning) => (
          <span key={warning.code} class="warning" data-testid="entry-warning" title={warning.message}>
            {warning.code}
          </span>
        ))}
      </td>
    </tr>
  );
}
