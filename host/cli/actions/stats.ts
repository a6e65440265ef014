import * as z from 'zod';
import { STATS_WINDOWS, type MonitorStats, type StatsGroup } from '../../../shared/monitor.js';
import { MonitorRing } from '../../monitor/monitor-ring.js';
import { MonitorStatsSource } from '../../monitor/monitor-stats.js';
import { dataFile, resolveDataDir } from '../../store/data-dir.js';
import { connectToDaemon } from '../daemon-client.js';
import { formatTable, printJson, printLine } from '../output.js';

export const statsOptionsSchema = z.object({
  json: z.boolean().default(false),
  window: z.enum(STATS_WINDOWS).default('hour'),
});

export async function runStats(rawOptions: unknown): Promise<void> {
  const options = statsOptionsSchema.parse(rawOptions);
  const dataDir = resolveDataDir();
  const connection = await connectToDaemon(dataDir);
  let stats: MonitorStats;
  if (connection) {
    try {
      stats = await connection.client.request('monitor.stats', { window: options.window });
    } finally {
      await connection.client.close();
    }
  } else {
    // No daemon: an empty ring that "started" never, so everything comes from the files.
    const source = new MonitorStatsSource({ ring: new MonitorRing(1), logDir: dataFile(dataDir, 'logs'), startedAt: Number.POSITIVE_INFINITY });
    stats = await source.snapshot(options.window);
  }
  if (options.json) printJson(stats);
  else printLine(describeStats(stats));
}

const SPARK = '▁▂▃▄▅▆▇█';

/** The stats as a person reads them in a terminal. */
export function describeStats(stats: MonitorStats): string {
  const perMinute = stats.per_minute.map((bucket) => bucket.requests);
  const peak = Math.max(0, ...perMinute);
  const spark = perMinute.map((count) => (count === 0 ? ' ' : SPARK[Math.min(SPARK.length - 1, Math.floor((count / peak) * (SPARK.length - 1)))])).join('');
  const latency = stats.latency_ms ? `p50 ${Math.round(stats.latency_ms.p50)} ms, p90 ${Math.round(stats.latency_ms.p90)} ms, p99 ${Math.round(stats.latency_ms.p99)} ms` : '-';
  const groupTable = (title: string, groups: StatsGroup[]) =>
    groups.length === 0 ? [] : ['', formatTable([[title, 'requests', 'errors', 'tokens in', 'tokens out'], ...groups.map((g) => [g.name, String(g.requests), String(g.errors), String(g.tokens_in), String(g.tokens_out)])])];
  return [
    `Last ${stats.window}: ${plural(stats.requests, 'request')}, ${plural(stats.errors, 'error')}, ${stats.tokens_in} tokens in, ${stats.tokens_out} tokens out`,
    `Latency:  ${latency}`,
    `Per minute, last 60 (peak ${peak}): |${spark}|`,
    ...groupTable('account', stats.by_account),
    ...groupTable('model', stats.by_model),
    ...(stats.by_warning.length === 0 ? [] : ['', formatTable([['warning', 'requests'], ...stats.by_warning.map((w) => [w.code, String(w.requests)])])]),
  ].join('\n');
}

function plural(count: number, noun: string): string {
  return `${count} ${noun}${count === 1 ? '' : 's'}`;
}
