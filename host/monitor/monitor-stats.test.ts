import { appendFileSync, mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { MonitorEntry } from '../../shared/monitor.js';
import { MonitorStatsSchema } from '../../shared/monitor.js';
import { makeTempHome } from '../../test/helpers/temp-home.js';
import { MonitorRing } from './monitor-ring.js';
import { computeMonitorStats, isFailure, MonitorStatsSource, percentile } from './monitor-stats.js';
import { localDate } from './request-log-files.js';

const MINUTE = 60_000;
/** 12:00:30 local time: the current minute began 30 s ago. */
const NOW = new Date(2025, 2, 14, 12, 0, 30).getTime();

function entry(id: string, secondsAgo: number, extra: Partial<MonitorEntry> = {}): MonitorEntry {
  return { id, time: NOW - secondsAgo * 1000, method: 'POST', path: '/v1/chat/completions', protocol: 'openai', status: 200, latency_ms: 10, ...extra };
}

const ENTRIES: MonitorEntry[] = [
  entry('ok-now', 10, { latency_ms: 100, account: 'A', model: 'gpt-4o', mapped_model: 'm1', tokens_in: 10, tokens_out: 20 }),
  entry('failed-last-minute', 70, { status: 500, error: 'upstream', latency_ms: 300, account: 'A', model: 'gpt-4o', mapped_model: 'm1' }),
  entry('ok-half-hour', 30 * 60, { latency_ms: 200, account: 'B', model: 'm2', tokens_in: 5, tokens_out: 5 }),
  entry('client-left', 30 * 60, { error: 'client-disconnected', latency_ms: 50, account: 'B', model: 'm2' }),
  entry('unauthorized', 5, { status: 401, latency_ms: 1 }),
  entry('rate-limited-2h', 2 * 3600, { status: 429, error: 'rate-limit', latency_ms: 1000, account: 'A', mapped_model: 'm1', tokens_in: 1 }),
  entry('too-old', 25 * 3600, { latency_ms: 5000, account: 'C', tokens_in: 1000 }),
];

describe('computeMonitorStats', () => {
  it('counts the last hour exactly: requests, failures, tokens, percentiles, groups', () => {
    const stats = computeMonitorStats(ENTRIES, 'hour', NOW);
    expect(MonitorStatsSchema.parse(stats)).toEqual(stats);
    expect(stats).toMatchObject({ window: 'hour', from: NOW - 3_600_000, to: NOW, requests: 5, errors: 2, tokens_in: 15, tokens_out: 25 });
    // Latencies 1, 50, 100, 200, 300 → nearest rank.
    expect(stats.latency_ms).toEqual({ p50: 100, p90: 300, p99: 300 });
    expect(stats.by_account).toEqual([
      { name: 'A', requests: 2, errors: 1, tokens_in: 10, tokens_out: 20 },
      { name: 'B', requests: 2, errors: 0, tokens_in: 5, tokens_out: 5 },
      { name: '(none)', requests: 1, errors: 1, tokens_in: 0, tokens_out: 0 },
    ]);
    // By the model sent upstream, the client's when unmapped.
    expect(stats.by_model).toEqual([
      { name: 'm1', requests: 2, errors: 1, tokens_in: 10, tokens_out: 20 },
      { name: 'm2', requests: 2, errors: 0, tokens_in: 5, tokens_out: 5 },
      { name: '(none)', requests: 1, errors: 1, tokens_in: 0, tokens_out: 0 },
    ]);
  });

  it('fills 60 whole-minute buckets ending with the current minute', () => {
    const { per_minute: buckets } = computeMonitorStats(ENTRIES, 'hour', NOW);
    const currentMinute = new Date(2025, 2, 14, 12, 0, 0).getTime();
    expect(buckets).toHaveLength(60);
    expect(buckets[0]!.start).toBe(currentMinute - 59 * MINUTE);
    expect(buckets[59]).toEqual({ start: currentMinute, requests: 2, errors: 1 });
    expect(buckets[58]).toEqual({ start: currentMinute - MINUTE, requests: 1, errors: 1 });
    expect(buckets[29]).toEqual({ start: currentMinute - 30 * MINUTE, requests: 2, errors: 0 });
    const others = buckets.filter((_, index) => ![29, 58, 59].includes(index));
    expect(others.every((bucket) => bucket.requests === 0 && bucket.errors === 0)).toBe(true);
  });

  it('the day window adds what the hour leaves out, and nothing older than 24 h', () => {
    const stats = computeMonitorStats(ENTRIES, 'day', NOW);
    expect(stats).toMatchObject({ requests: 6, errors: 3, tokens_in: 16, tokens_out: 25, latency_ms: { p50: 100, p90: 1000, p99: 1000 } });
    expect(stats.by_account[0]).toEqual({ name: 'A', requests: 3, errors: 2, tokens_in: 11, tokens_out: 20 });
    expect(stats.by_account.map((group) => group.name)).not.toContain('C');
    // per_minute is the last hour whatever the window.
    expect(stats.per_minute.reduce((sum, bucket) => sum + bucket.requests, 0)).toBe(5);
  });

  it('has no percentiles and empty groups when nothing happened', () => {
    const stats = computeMonitorStats([], 'hour', NOW);
    expect(stats).toMatchObject({ requests: 0, errors: 0, latency_ms: null, by_account: [], by_model: [] });
    expect(stats.per_minute).toHaveLength(60);
  });

  it('takes nearest-rank percentiles', () => {
    const values = Array.from({ length: 100 }, (_, i) => i + 1);
    expect([percentile(values, 50), percentile(values, 90), percentile(values, 99)]).toEqual([50, 90, 99]);
    expect([percentile([7], 50), percentile([7], 99)]).toEqual([7, 7]);
    expect(percentile([1, 2], 50)).toBe(1);
  });

  it('counts 4xx/5xx and errors after a 2xx as failures, not a client that left', () => {
    expect(isFailure({ status: 200 })).toBe(false);
    expect(isFailure({ status: 404 })).toBe(true);
    expect(isFailure({ status: 200, error: 'upstream-stream-error' })).toBe(true);
    expect(isFailure({ status: 200, error: 'client-disconnected' })).toBe(false);
    expect(isFailure({ status: 499, error: 'invalid-request' })).toBe(false);
  });

  it('counts requests per warning code in the window, most frequent first', () => {
    const topK = { code: 'dropped-top-k', message: 'top_k: not an OpenAI parameter' };
    const seed = { code: 'dropped-seed', message: 'seed' };
    const stats = computeMonitorStats(
      [
        entry('w1', 10, { warnings: [seed, topK] }),
        entry('w2', 20, { warnings: [topK] }),
        entry('none', 30),
        entry('w-old', 2 * 3600, { warnings: [seed] }),
      ],
      'hour',
      NOW,
    );
    expect(stats.by_warning).toEqual([
      { code: 'dropped-top-k', requests: 2 },
      { code: 'dropped-seed', requests: 1 },
    ]);
    expect(computeMonitorStats(ENTRIES, 'hour', NOW).by_warning).toEqual([]);
  });

  it('folds groups past 50 into one (other) row', () => {
    const many = Array.from({ length: 60 }, (_, i) => entry(`m${i}`, 1, { account: `acct-${String(i).padStart(2, '0')}`, tokens_in: 1 }));
    const { by_account: groups } = computeMonitorStats(many, 'hour', NOW);
    expect(groups).toHaveLength(50);
    expect(groups.at(-1)).toEqual({ name: '(other)', requests: 11, errors: 0, tokens_in: 11, tokens_out: 0 });
  });
});

describe('MonitorStatsSource', () => {
  let home: { dir: string; cleanup(): void };
  let logDir: string;
  const logFile = () => path.join(logDir, `requests-${localDate(NOW)}.jsonl`);
  const line = (value: MonitorEntry) => `${JSON.stringify(value)}\n`;

  beforeEach(() => {
    home = makeTempHome('localgate-stats-');
    logDir = path.join(home.dir, 'logs');
    mkdirSync(logDir);
  });
  afterEach(() => home.cleanup());

  it('uses the ring alone when it saw the whole window (daemon older than the window, ring not full)', async () => {
    const ring = new MonitorRing(10);
    ring.push(entry('in-ring', 60));
    writeFileSync(logFile(), line(entry('only-in-file', 120)));
    const source = new MonitorStatsSource({ ring, logDir, startedAt: NOW - 2 * 3_600_000, now: () => NOW });
    expect((await source.snapshot('hour')).requests).toBe(1);
  });

  it('adds the log files when the daemon started within the window, counting an entry in both once', async () => {
    const ring = new MonitorRing(10);
    ring.push(entry('both', 60, { tokens_in: 7 }));
    writeFileSync(logFile(), line(entry('before-restart', 1200, { tokens_in: 3 })) + line(entry('both', 60, { tokens_in: 7 })) + 'torn {"id":\n');
    const source = new MonitorStatsSource({ ring, logDir, startedAt: NOW - 600_000, now: () => NOW });
    expect(await source.snapshot('hour')).toMatchObject({ requests: 2, tokens_in: 10 });
  });

  it('reads the warning codes of logged entries (and only well-formed ones)', async () => {
    const warned = entry('warned', 100, { warnings: [{ code: 'dropped-seed', message: 'seed' }] });
    writeFileSync(logFile(), line(warned) + `${JSON.stringify({ ...entry('odd', 90), warnings: [{ message: 'no code' }, null, 'x'] })}\n`);
    const source = new MonitorStatsSource({ ring: new MonitorRing(10), logDir, startedAt: Number.POSITIVE_INFINITY, now: () => NOW });
    const stats = await source.snapshot('hour');
    expect(stats.requests).toBe(2);
    expect(stats.by_warning).toEqual([{ code: 'dropped-seed', requests: 1 }]);
  });

  it('reads files incrementally: appended lines count, a line still being written waits', async () => {
    const ring = new MonitorRing(10);
    writeFileSync(logFile(), line(entry('first', 100)));
    const source = new MonitorStatsSource({ ring, logDir, startedAt: Number.POSITIVE_INFINITY, now: () => NOW });
    expect((await source.snapshot('hour')).requests).toBe(1);
    const second = line(entry('second', 50));
    appendFileSync(logFile(), second.slice(0, 20));
    expect((await source.snapshot('hour')).requests).toBe(1);
    appendFileSync(logFile(), second.slice(20));
    expect((await source.snapshot('hour')).requests).toBe(2);
  });

  it('a full ring whose oldest entry closed after the window start also reads the files', async () => {
    const ring = new MonitorRing(2);
    ring.push(entry('r1', 30));
    ring.push(entry('r2', 20));
    writeFileSync(logFile(), line(entry('evicted', 40)) + line(entry('r1', 30)) + line(entry('r2', 20)));
    const source = new MonitorStatsSource({ ring, logDir, startedAt: NOW - 2 * 3_600_000, now: () => NOW });
    expect((await source.snapshot('hour')).requests).toBe(3);

    const covering = new MonitorRing(2);
    covering.push(entry('old', 4000));
    covering.push(entry('new', 10));
    const enough = new MonitorStatsSource({ ring: covering, logDir, startedAt: NOW - 2 * 3_600_000, now: () => NOW });
    expect((await enough.snapshot('hour')).requests).toBe(1);
  });
});
