import { stat } from 'node:fs/promises';
import type { MinuteBucket, MonitorEntry, MonitorStats, StatsGroup, StatsWindow, WarningCount } from '../../shared/monitor.js';
import type { MonitorRing } from './monitor-ring.js';
import { listLogFiles, localDate, readLinesFrom } from './request-log-files.js';

const MINUTE_MS = 60_000;
export const WINDOW_MS: Record<StatsWindow, number> = { hour: 3_600_000, day: 86_400_000 };
/** Groups past this many (by requests) are folded into one `(other)` row: the answer stays small. */
const MAX_GROUPS = 50;
const NONE = '(none)';

/** The fields of an entry the stats read (of its warnings, only the codes). */
export type StatsRecord = Pick<MonitorEntry, 'id' | 'time' | 'status' | 'latency_ms' | 'error' | 'tokens_in' | 'tokens_out' | 'account' | 'model' | 'mapped_model'> & {
  warnings?: ReadonlyArray<{ code: string }> | undefined;
};

/**
 * Whether a request failed: HTTP status >= 400, or an error recorded after a 2xx (an upstream
 * stream that broke off). A client that went away (499, `client-disconnected`) is its own choice,
 * not a failure of the gateway, and is not counted.
 */
export function isFailure(record: Pick<StatsRecord, 'status' | 'error'>): boolean {
  if (record.error === 'client-disconnected' || record.status === 499) return false;
  return record.status >= 400 || record.error !== undefined;
}

/**
 * The stats of the records inside the window ending at `now`: a pure function over whatever
 * records it is given (duplicates are the caller's to avoid). `per_minute` always covers the 60
 * whole minutes ending with the current one, whatever the window.
 */
export function computeMonitorStats(records: Iterable<StatsRecord>, window: StatsWindow, now: number): MonitorStats {
  const from = now - WINDOW_MS[window];
  const firstMinute = Math.floor(now / MINUTE_MS) * MINUTE_MS - 59 * MINUTE_MS;
  const perMinute: MinuteBucket[] = Array.from({ length: 60 }, (_, i) => ({ start: firstMinute + i * MINUTE_MS, requests: 0, errors: 0 }));
  const accounts = new Map<string, StatsGroup>();
  const models = new Map<string, StatsGroup>();
  const warnings = new Map<string, number>();
  const latencies: number[] = [];
  let requests = 0;
  let errors = 0;
  let tokensIn = 0;
  let tokensOut = 0;

  for (const record of records) {
    const failed = isFailure(record);
    const bucket = perMinute[Math.floor((record.time - firstMinute) / MINUTE_MS)];
    if (bucket && record.time <= now) {
      bucket.requests += 1;
      if (failed) bucket.errors += 1;
    }
    if (record.time < from || record.time > now) continue;
    requests += 1;
    if (failed) errors += 1;
    tokensIn += record.tokens_in ?? 0;
    tokensOut += record.tokens_out ?? 0;
    latencies.push(record.latency_ms);
    addTo(accounts, record.account ?? NONE, record, failed);
    addTo(models, record.mapped_model ?? record.model ?? NONE, record, failed);
    for (const { code } of record.warnings ?? []) warnings.set(code, (warnings.get(code) ?? 0) + 1);
  }

  latencies.sort((a, b) => a - b);
  return {
    window,
    from,
    to: now,
    requests,
    errors,
    tokens_in: tokensIn,
    tokens_out: tokensOut,
    latency_ms: latencies.length === 0 ? null : { p50: percentile(latencies, 50), p90: percentile(latencies, 90), p99: percentile(latencies, 99) },
    per_minute: perMinute,
    by_account: ranked(accounts),
    by_model: ranked(models),
    by_warning: rankedWarnings(warnings),
  };
}

/** Most frequent first; past MAX_GROUPS codes, the rest fold into one `(other)` row. */
function rankedWarnings(counts: Map<string, number>): WarningCount[] {
  const sorted = [...counts].map(([code, requests]) => ({ code, requests })).sort((a, b) => b.requests - a.requests || (a.code < b.code ? -1 : a.code > b.code ? 1 : 0));
  if (sorted.length <= MAX_GROUPS) return sorted;
  const other = sorted.slice(MAX_GROUPS - 1).reduce((sum, group) => sum + group.requests, 0);
  return [...sorted.slice(0, MAX_GROUPS - 1), { code: '(other)', requests: other }];
}

/** Nearest-rank percentile of sorted values: the smallest value at or above `p` percent of them. */
export function percentile(sorted: readonly number[], p: number): number {
  const rank = Math.max(1, Math.ceil((p / 100) * sorted.length));
  return sorted[Math.min(rank, sorted.length) - 1]!;
}

function addTo(groups: Map<string, StatsGroup>, name: string, record: StatsRecord, failed: boolean): void {
  let group = groups.get(name);
  if (!group) groups.set(name, (group = { name, requests: 0, errors: 0, tokens_in: 0, tokens_out: 0 }));
  group.requests += 1;
  if (failed) group.errors += 1;
  group.tokens_in += record.tokens_in ?? 0;
  group.tokens_out += record.tokens_out ?? 0;
}

function ranked(groups: Map<string, StatsGroup>): StatsGroup[] {
  const sorted = [...groups.values()].sort((a, b) => b.requests - a.requests || (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
  if (sorted.length <= MAX_GROUPS) return sorted;
  const other: StatsGroup = { name: '(other)', requests: 0, errors: 0, tokens_in: 0, tokens_out: 0 };
  for (const group of sorted.slice(MAX_GROUPS - 1)) {
    other.requests += group.requests;
    other.errors += group.errors;
    other.tokens_in += group.tokens_in;
    other.tokens_out += group.tokens_out;
  }
  return [...sorted.slice(0, MAX_GROUPS - 1), other];
}

/**
 * The records the stats of a window need: the in-memory ring, plus the request log files when
 * the ring does not reach back to the window's start (more than 1,000 requests in the window, or
 * a daemon started within it). Entries in both are counted once (ids are unique per request).
 *
 * Files are read incrementally: each file from the byte where the previous snapshot stopped,
 * keeping only a compact record per line (no bodies), and only files of the last day or two.
 * So a monitor page refreshing every 10 s costs a few new lines per snapshot, not a re-read.
 */
export class MonitorStatsSource {
  readonly #ring: MonitorRing;
  readonly #logDir: string;
  readonly #startedAt: number;
  readonly #now: () => number;
  readonly #files = new Map<string, { offset: number; records: StatsRecord[] }>();

  constructor(options: { ring: MonitorRing; logDir: string; startedAt: number; now?: () => number }) {
    this.#ring = options.ring;
    this.#logDir = options.logDir;
    this.#startedAt = options.startedAt;
    this.#now = options.now ?? Date.now;
  }

  async snapshot(window: StatsWindow): Promise<MonitorStats> {
    const now = this.#now();
    // per_minute reaches back up to 60 whole minutes, a little before the hour window.
    const from = Math.min(now - WINDOW_MS[window], Math.floor(now / MINUTE_MS) * MINUTE_MS - 59 * MINUTE_MS);
    const ring: StatsRecord[] = this.#ring.recent();
    if (this.#ringCovers(ring, from)) return computeMonitorStats(ring, window, now);
    const inRing = new Set(ring.map((record) => record.id));
    const fromFiles = (await this.#fileRecordsSince(from, now)).filter((record) => !inRing.has(record.id));
    return computeMonitorStats([...ring, ...fromFiles], window, now);
  }

  /**
   * A full ring covers the window when its oldest entry had closed by the window's start (all
   * evicted entries closed before it); a ring that never wrapped covers what this daemon saw.
   */
  #ringCovers(ring: readonly StatsRecord[], from: number): boolean {
    const oldest = ring.at(-1);
    if (ring.length < this.#ring.capacity) return this.#startedAt <= from;
    return oldest !== undefined && oldest.time + oldest.latency_ms <= from;
  }

  async #fileRecordsSince(since: number, now: number): Promise<StatsRecord[]> {
    // Entries are written when they close, so one that arrived at `since` is in that day's file or a later one.
    const firstDate = localDate(since);
    const horizon = localDate(now - WINDOW_MS.day);
    const out: StatsRecord[] = [];
    const kept = new Set<string>();
    for (const file of await listLogFiles(this.#logDir)) {
      if (file.date < horizon) continue;
      kept.add(file.path);
      if (file.date < firstDate) continue;
      let cached = this.#files.get(file.path);
      if (!cached) this.#files.set(file.path, (cached = { offset: 0, records: [] }));
      try {
        const { size } = await stat(file.path);
        // Smaller than what was read: the file was replaced; start over.
        if (size < cached.offset) cached = { offset: 0, records: [] };
        const records = cached.records;
        if (size > cached.offset) cached.offset = await readLinesFrom(file.path, cached.offset, (line) => pushRecord(records, line));
        this.#files.set(file.path, cached);
      } catch (error) {
        if ((error as NodeJS.ErrnoException).code !== 'ENOENT') throw error;
        this.#files.delete(file.path);
        continue;
      }
      for (const record of cached.records) if (record.time >= since) out.push(record);
    }
    for (const path of this.#files.keys()) if (!kept.has(path)) this.#files.delete(path);
    return out;
  }
}

/** Keeps the stats fields of one log line (a torn or foreign line is skipped). */
function pushRecord(records: StatsRecord[], line: string): void {
  let raw: Record<string, unknown>;
  try {
    raw = JSON.parse(line) as Record<string, unknown>;
  } catch {
    return;
  }
  if (typeof raw !== 'object' || raw === null) return;
  const { id, time, status, latency_ms: latency } = raw;
  if (typeof id !== 'string' || typeof time !== 'number' || typeof status !== 'number' || typeof latency !== 'number') return;
  const record: StatsRecord = { id, time, status, latency_ms: latency };
  if (typeof raw.error === 'string') record.error = raw.error;
  if (typeof raw.tokens_in === 'number') record.tokens_in = raw.tokens_in;
  if (typeof raw.tokens_out === 'number') record.tokens_out = raw.tokens_out;
  if (typeof raw.account === 'string') record.account = raw.account;
  if (typeof raw.model === 'string') record.model = raw.model;
  if (typeof raw.mapped_model === 'string') record.mapped_model = raw.mapped_model;
  if (Array.isArray(raw.warnings)) {
    const codes = raw.warnings.flatMap((warning: unknown) => {
      const code = (warning as { code?: unknown } | null)?.code;
      return typeof code === 'string' ? [{ code }] : [];
    });
    if (codes.length > 0) record.warnings = codes;
  }
  records.push(record);
}
