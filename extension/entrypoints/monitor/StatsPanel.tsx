import type { MinuteBucket, MonitorStats, StatsGroup, StatsWindow, WarningCount } from '../../../shared/monitor';
import { formatClock } from '../../utils/format';

const count = new Intl.NumberFormat('en-US');

/** Summary, charts and per-account / per-model totals, above the monitor's table. */
export function StatsPanel({
  stats,
  error,
  window,
  onWindow,
}: {
  stats: MonitorStats | null;
  /** Why the last refresh failed (the last good stats stay shown). */
  error: string | null;
  window: StatsWindow;
  onWindow(window: StatsWindow): void;
}) {
  const label = window === 'hour' ? 'last hour' : 'last 24 h';
  return (
    <section id="monitor-stats" class="stats" aria-label="Summary">
      <div class="stats-bar">
        <p id="stats-summary">
          {stats ? (
            <>
              <strong>{count.format(stats.requests)}</strong> request{stats.requests === 1 ? '' : 's'} ·{' '}
              <strong class={stats.errors > 0 ? 'error' : undefined}>{count.format(stats.errors)}</strong> error{stats.errors === 1 ? '' : 's'}
              {stats.requests > 0 ? ` (${((stats.errors / stats.requests) * 100).toFixed(1)}%)` : ''} · {count.format(stats.tokens_in)} tokens in ·{' '}
              {count.format(stats.tokens_out)} out <span class="muted">({label})</span>
            </>
          ) : (
            <span class="muted">{error ? `Stats unavailable: ${error}` : 'Loading stats…'}</span>
          )}
        </p>
        <div class="segmented" role="group" aria-label="Window">
          {(['hour', 'day'] as const).map((choice) => (
            <button key={choice} id={`stats-window-${choice}`} type="button" class="secondary small" aria-pressed={window === choice} onClick={() => onWindow(choice)}>
              {choice === 'hour' ? 'Last hour' : 'Last day'}
            </button>
          ))}
        </div>
      </div>
      <div class="stats-charts">
        <RequestsChart buckets={stats?.per_minute ?? []} />
        <LatencyChart latency={stats?.latency_ms ?? null} />
      </div>
      <div class="stats-groups">
        <GroupTable id="stats-accounts" title="Account" groups={stats?.by_account ?? []} />
        <GroupTable id="stats-models" title="Model" groups={stats?.by_model ?? []} />
      </div>
      <WarningTable counts={stats?.by_warning ?? []} />
    </section>
  );
}

const CHART_WIDTH = 600;
const CHART_HEIGHT = 60;
const SLOT = CHART_WIDTH / 60;

/** 60 bars, one per minute, oldest left; the failed part of each bar is stacked on top in red. */
export function RequestsChart({ buckets }: { buckets: readonly MinuteBucket[] }) {
  const peak = Math.max(1, ...buckets.map((bucket) => bucket.requests));
  const total = buckets.reduce((sum, bucket) => sum + bucket.requests, 0);
  const errors = buckets.reduce((sum, bucket) => sum + bucket.errors, 0);
  const height = (value: number) => (value / peak) * (CHART_HEIGHT - 2);
  return (
    <figure id="chart-requests" class="chart">
      <figcaption>
        Requests per minute, last 60 min <span class="muted">(peak {buckets.length > 0 ? peak : 0})</span>
      </figcaption>
      <svg viewBox={`0 0 ${CHART_WIDTH} ${CHART_HEIGHT}`} preserveAspectRatio="none" role="img" aria-label={`${total} requests and ${errors} errors in the last 60 minutes`}>
        <line x1="0" x2={CHART_WIDTH} y1={CHART_HEIGHT - 0.5} y2={CHART_HEIGHT - 0.5} class="axis" />
        {buckets.map((bucket, index) => {
          const ok = height(bucket.requests - bucket.errors);
          const failed = height(bucket.errors);
          const x = index * SLOT + 1;
          return (
            <g key={bucket.start} data-testid="minute-bar" data-requests={bucket.requests} data-errors={bucket.errors}>
              <title>{`${formatClock(bucket.start).slice(0, 5)}: ${bucket.requests} request${bucket.requests === 1 ? '' : 's'}, ${bucket.errors} error${bucket.errors === 1 ? '' : 's'}`}</title>
              {ok > 0 && <rect class="bar-ok" x={x} width={SLOT - 2} y={CHART_HEIGHT - ok} height={ok} />}
              {failed > 0 && <rect class="bar-error" x={x} width={SLOT - 2} y={CHART_HEIGHT - ok - failed} height={failed} />}
            </g>
          );
        })}
      </svg>
    </figure>
  );
}

/** p50, p90 and p99 as three bars on one scale (p99's), each labelled with its value. */
export function LatencyChart({ latency }: { latency: MonitorStats['latency_ms'] }) {
  const rows = latency ? ([['p50', latency.p50], ['p90', latency.p90], ['p99', latency.p99]] as const) : [];
  const scale = Math.max(1, ...rows.map(([, value]) => value));
  return (
    <figure id="chart-latency" class="chart">
      <figcaption>Latency</figcaption>
      {latency ? (
        <svg viewBox="0 0 300 66" role="img" aria-label={rows.map(([name, value]) => `${name} ${Math.round(value)} ms`).join(', ')}>
          {rows.map(([name, value], index) => (
            <g key={name} data-testid="latency-bar" data-percentile={name} data-value={value}>
              <text x="0" y={index * 22 + 15} class="label">
                {name}
              </text>
              <rect class="bar-ok" x="34" y={index * 22 + 4} height="14" width={Math.max(1, (value / scale) * 180)} />
              <text x={40 + Math.max(1, (value / scale) * 180)} y={index * 22 + 15} class="value">
                {formatMs(value)}
              </text>
            </g>
          ))}
        </svg>
      ) : (
        <p class="muted empty">No requests in this window.</p>
      )}
    </figure>
  );
}

/** Requests, errors and tokens per account or model; the bar shows each row's share of all tokens. */
export function GroupTable({ id, title, groups }: { id: string; title: string; groups: readonly StatsGroup[] }) {
  const totalTokens = groups.reduce((sum, group) => sum + group.tokens_in + group.tokens_out, 0);
  return (
    <table id={id} class="stats-table">
      <thead>
        <tr>
          <th scope="col">{title}</th>
          <th scope="col" class="num">
            Requests
          </th>
          <th scope="col" class="num">
            Errors
          </th>
          <th scope="col" class="num">
            Tokens in / out
          </th>
        </tr>
      </thead>
      <tbody>
        {groups.length === 0 ? (
          <tr>
            <td colSpan={4} class="muted empty">
              None yet.
            </td>
          </tr>
        ) : (
          groups.map((group) => {
            const share = totalTokens > 0 ? ((group.tokens_in + group.tokens_out) / totalTokens) * 100 : 0;
            return (
              <tr key={group.name} data-testid="stats-group" data-name={group.name}>
                <td>
                  {group.name}
                  <span class="share" style={{ width: `${share.toFixed(1)}%` }} aria-hidden="true" />
                </td>
                <td class="num">{count.format(group.requests)}</td>
                <td class={group.errors > 0 ? 'num error' : 'num'}>{count.format(group.errors)}</td>
                <td class="num">
                  {count.format(group.tokens_in)} / {count.format(group.tokens_out)}
                </td>
              </tr>
            );
          })
        )}
      </tbody>
    </table>
  );
}

/** Requests per translation warning code; nothing shown while no request had one. */
export function WarningTable({ counts }: { counts: readonly WarningCount[] }) {
  if (counts.length === 0) return null;
  return (
    <table id="stats-warnings" class="stats-table">
      <thead>
        <tr>
          <th scope="col">Translation warning</th>
          <th scope="col" class="num">
            Requests
          </th>
        </tr>
      </thead>
      <tbody>
        {counts.map((warning) => (
          <tr key={warning.code} data-testid="stats-warning" data-code={warning.code}>
            <td>{warning.code}</td>
            <td class="num">{count.format(warning.requests)}</td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}

function formatMs(value: number): string {
  return value >= 10_000 ? `${(value / 1000).toFixed(1)} s` : `${Math.round(value)} ms`;
}
