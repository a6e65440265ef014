import type { MinuteBucket, MonitorStats, StatsGroup, StatsWindow, WarningCount } from '../../../shared/monitor';
import { countText, formatLatency, formatMinute, formatShare } from '../../utils/format';
import { formatCount, plural, t, tParts } from '../../utils/i18n';

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
  return (
    <section id="monitor-stats" class="stats" aria-label={t('summary')}>
      <div class="stats-bar">
        <p id="stats-summary">
          {stats ? (
            <>
              {tParts(plural('requestCount', stats.requests), { count: <strong>{formatCount(stats.requests)}</strong> })} ·{' '}
              {tParts(plural('errorCount', stats.errors), { count: <strong class={stats.errors > 0 ? 'error' : undefined}>{formatCount(stats.errors)}</strong> })}
              {stats.requests > 0 ? ` (${formatShare(stats.errors / stats.requests)})` : ''} ·{' '}
              {t(plural('tokensInOut', stats.tokens_in), { in: formatCount(stats.tokens_in), out: formatCount(stats.tokens_out) })}{' '}
              <span class="muted">{window === 'hour' ? t('inLastHour') : t('inLastDay')}</span>
            </>
          ) : (
            <span class="muted">{error ? t('statsUnavailable', { error }) : t('loadingStats')}</span>
          )}
        </p>
        <div class="segmented" role="group" aria-label={t('statsWindow')}>
          {(['hour', 'day'] as const).map((choice) => (
            <button key={choice} id={`stats-window-${choice}`} type="button" class="secondary small" aria-pressed={window === choice} onClick={() => onWindow(choice)}>
              {choice === 'hour' ? t('lastHour') : t('lastDay')}
            </button>
          ))}
        </div>
      </div>
      <div class="stats-charts">
        <RequestsChart buckets={stats?.per_minute ?? []} />
        <LatencyChart latency={stats?.latency_ms ?? null} />
      </div>
      <div class="stats-groups">
        <GroupTable id="stats-accounts" title={t('columnAccount')} groups={stats?.by_account ?? []} />
        <GroupTable id="stats-models" title={t('columnModel')} groups={stats?.by_model ?? []} />
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
        {t('requestsPerMinute')} <span class="muted">{t('chartPeak', { peak: formatCount(buckets.length > 0 ? peak : 0) })}</span>
      </figcaption>
      <svg viewBox={`0 0 ${CHART_WIDTH} ${CHART_HEIGHT}`} preserveAspectRatio="none" role="img" aria-label={t('chartTotals', { requests: countText('requestCount', total), errors: countText('errorCount', errors) })}>
        <line x1="0" x2={CHART_WIDTH} y1={CHART_HEIGHT - 0.5} y2={CHART_HEIGHT - 0.5} class="axis" />
        {buckets.map((bucket, index) => {
          const ok = height(bucket.requests - bucket.errors);
          const failed = height(bucket.errors);
          const x = index * SLOT + 1;
          return (
            <g key={bucket.start} data-testid="minute-bar" data-requests={bucket.requests} data-errors={bucket.errors}>
              <title>{t('minuteBar', { time: formatMinute(bucket.start), requests: countText('requestCount', bucket.requests), errors: countText('errorCount', bucket.errors) })}</title>
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
      <figcaption>{t('latency')}</figcaption>
      {latency ? (
        <svg viewBox="0 0 300 66" role="img" aria-label={rows.map(([name, value]) => `${name} ${formatLatency(value)}`).join(', ')}>
          {rows.map(([name, value], index) => (
            <g key={name} data-testid="latency-bar" data-percentile={name} data-value={value}>
              <text x="0" y={index * 22 + 15} class="label">
                {name}
              </text>
              <rect class="bar-ok" x="34" y={index * 22 + 4} height="14" width={Math.max(1, (value / scale) * 180)} />
              <text x={40 + Math.max(1, (value / scale) * 180)} y={index * 22 + 15} class="value">
                {formatLatency(value)}
              </text>
            </g>
          ))}
        </svg>
      ) : (
        <p class="muted empty">{t('noRequestsInWindow')}</p>
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
            {t('columnRequests')}
          </th>
          <th scope="col" class="num">
            {t('columnErrors')}
          </th>
          <th scope="col" class="num">
            {t('columnTokens')}
          </th>
        </tr>
      </thead>
      <tbody>
        {groups.length === 0 ? (
          <tr>
            <td colSpan={4} class="muted empty">
              {t('noneYet')}
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
                <td class="num">{formatCount(group.requests)}</td>
                <td class={group.errors > 0 ? 'num error' : 'num'}>{formatCount(group.errors)}</td>
                <td class="num">
                  {formatCount(group.tokens_in)} / {formatCount(group.tokens_out)}
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
          <th scope="col">{t('columnTranslationWarning')}</th>
          <th scope="col" class="num">
            {t('columnRequests')}
          </th>
        </tr>
      </thead>
      <tbody>
        {counts.map((warning) => (
          <tr key={warning.code} data-testid="stats-warning" data-code={warning.code}>
            <td>{warning.code}</td>
            <td class="num">{formatCount(warning.requests)}</td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}
