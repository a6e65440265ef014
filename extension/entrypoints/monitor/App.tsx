import { useEffect, useState } from 'preact/hooks';
import { MonitorEntrySchema, type MonitorEntry, type StatsWindow } from '../../../shared/monitor';
import type { BackgroundClient } from '../../utils/background-client';
import { errorText } from '../../utils/error-text';
import { countText, formatClock, formatLatency } from '../../utils/format';
import { formatCount, t, type PlainKey } from '../../utils/i18n';
import type { ConnectionInfo } from '../../utils/view-protocol';
import { StatsPanel } from './StatsPanel';
import { useMonitorStats, type StatsTiming } from './use-monitor-stats';

export const MAX_ROWS = 500;

const CONNECTION_WORDS: Record<ConnectionInfo['state'], PlainKey> = {
  connected: 'connectionLive',
  connecting: 'connectionConnecting',
  'native-host-missing': 'connectionNativeHostMissing',
  error: 'connectionError',
};

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
      if (!reply.ok) return setError(errorText(reply.error));
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
        <h1>{t('monitorTitle')}</h1>
        <span id="monitor-connection" class="muted">
          {t(CONNECTION_WORDS[connection.state])}
        </span>
        <span id="monitor-count" class="muted">
          {countText('requestCount', entries.length)}
        </span>
        <button id="monitor-pause" type="button" class="secondary small" aria-pressed={paused} onClick={() => setPaused(!paused)}>
          {paused ? t('resume') : t('pause')}
        </button>
        <button id="monitor-clear" type="button" class="secondary small" onClick={() => setEntries([])}>
          {t('clear')}
        </button>
      </header>
      {(error || connection.message) && (
        <p id="monitor-error" class="error banner" role="alert">
          {error ?? errorText(connection)}
        </p>
      )}
      <StatsPanel stats={stats} error={statsError} window={statsWindow} onWindow={setStatsWindow} />
      <table id="monitor-table">
        <thead>
          <tr>
            <th scope="col">{t('columnTime')}</th>
            <th scope="col">{t('columnProtocol')}</th>
            <th scope="col">{t('columnPath')}</th>
            <th scope="col">{t('columnModel')}</th>
            <th scope="col">{t('columnAccount')}</th>
            <th scope="col">{t('columnStatus')}</th>
            <th scope="col">{t('columnLatency')}</th>
            <th scope="col">{t('columnTokens')}</th>
            <th scope="col">{t('columnWarnings')}</th>
          </tr>
        </thead>
        <tbody>
          {entries.length === 0 ? (
            <tr>
              <td colSpan={9} class="muted empty">
                {t('noRequestsYet')}
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
        {entry.stream ? t('streamed', { latency: formatLatency(entry.latency_ms) }) : formatLatency(entry.latency_ms)}
      </td>
      <td class="num">
        {entry.tokens_in === undefined ? '–' : formatCount(entry.tokens_in)} / {entry.tokens_out === undefined ? '–' : formatCount(entry.tokens_out)}
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
