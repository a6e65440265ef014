import { existsSync, mkdirSync, readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { open as openFile } from 'node:fs/promises';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import type { MonitorEntry } from '../../shared/monitor.js';
import { makeTempHome } from '../../test/helpers/temp-home.js';
import { BATCH_WINDOW_MS, RequestLog } from './request-log.js';
import { listLogFiles, localDate, localDateDaysBefore, readRecentLogEntries } from './request-log-files.js';

function entry(id: string, extra: Partial<MonitorEntry> = {}): MonitorEntry {
  return { id, time: 0, method: 'POST', path: '/v1/chat/completions', protocol: 'openai', status: 200, latency_ms: 12.5, ...extra };
}

/** Local noon of a calendar day, then any offset: file names follow the local date. */
function at(year: number, month: number, day: number, hours = 12, minutes = 0): number {
  return new Date(year, month - 1, day, hours, minutes).getTime();
}

describe('RequestLog', () => {
  let home: { dir: string; cleanup(): void };
  let dir: string;
  let clock: number;
  let retention: number;
  const logs: RequestLog[] = [];
  const errors: Error[] = [];

  const open = (options: { maxFileBytes?: number } = {}) => {
    const log = new RequestLog({ dir, retentionDays: () => retention, now: () => clock, onError: (error) => errors.push(error), ...options });
    logs.push(log);
    return log;
  };
  const names = () => readdirSync(dir).sort();
  const lines = (name: string) => readFileSync(path.join(dir, name), 'utf8').split('\n').filter(Boolean).map((line) => JSON.parse(line) as MonitorEntry);

  beforeEach(() => {
    home = makeTempHome('localgate-log-');
    dir = path.join(home.dir, 'logs');
    clock = at(2025, 3, 14, 9);
    retention = 7;
    errors.length = 0;
  });

  afterEach(async () => {
    await Promise.all(logs.splice(0).map((log) => log.close()));
    home.cleanup();
  });

  it('appends one JSON line per entry without touching the disk in append(), file 0600 in a 0700 folder', async () => {
    const log = open();
    log.append(entry('a'));
    log.append(entry('b', { tokens_in: 3 }));
    // append() only queues: the request path never waits on the disk.
    expect(existsSync(dir)).toBe(false);
    await log.flush();
    expect(names()).toEqual(['requests-2025-03-14.jsonl']);
    expect(lines('requests-2025-03-14.jsonl')).toEqual([entry('a'), entry('b', { tokens_in: 3 })]);
    expect(statSync(path.join(dir, 'requests-2025-03-14.jsonl')).mode & 0o777).toBe(0o600);
    expect(statSync(dir).mode & 0o777).toBe(0o700);
    expect(errors).toEqual([]);
  });

  it('writes on its own, soon after append, with no flush', async () => {
    const log = open();
    log.append(entry('a'));
    await expect.poll(() => existsSync(path.join(dir, 'requests-2025-03-14.jsonl')) && lines('requests-2025-03-14.jsonl').length).toBe(1);
    expect(log.dropped).toBe(0);
  });

  it('rotates at local midnight: each entry goes to the file of the day it was written', async () => {
    const log = open();
    clock = at(2025, 3, 14, 23, 59);
    log.append(entry('late'));
    await log.flush();
    clock = at(2025, 3, 15, 0, 1);
    log.append(entry('early'));
    await log.flush();
    expect(names()).toEqual(['requests-2025-03-14.jsonl', 'requests-2025-03-15.jsonl']);
    expect(lines('requests-2025-03-14.jsonl').map((e) => e.id)).toEqual(['late']);
    expect(lines('requests-2025-03-15.jsonl').map((e) => e.id)).toEqual(['early']);
  });

  it('rotates by size to -1, -2…, never splitting a line, and a restarted log continues on the last file', async () => {
    const lineBytes = Buffer.byteLength(`${JSON.stringify(entry('e0'))}\n`);
    const log = open({ maxFileBytes: lineBytes * 2 });
    for (let i = 0; i < 5; i++) {
      log.append(entry(`e${i}`));
      await log.flush();
    }
    expect(names()).toEqual(['requests-2025-03-14-1.jsonl', 'requests-2025-03-14-2.jsonl', 'requests-2025-03-14.jsonl']);
    expect(lines('requests-2025-03-14.jsonl').map((e) => e.id)).toEqual(['e0', 'e1']);
    expect(lines('requests-2025-03-14-1.jsonl').map((e) => e.id)).toEqual(['e2', 'e3']);
    expect(lines('requests-2025-03-14-2.jsonl').map((e) => e.id)).toEqual(['e4']);
    for (const name of names()) expect(statSync(path.join(dir, name)).size).toBeLessThanOrEqual(lineBytes * 2);
    await log.close();

    const restarted = open({ maxFileBytes: lineBytes * 2 });
    restarted.append(entry('e5'));
    restarted.append(entry('e6'));
    await restarted.flush();
    expect(lines('requests-2025-03-14-2.jsonl').map((e) => e.id)).toEqual(['e4']);
    expect(lines('requests-2025-03-14-3.jsonl').map((e) => e.id)).toEqual(['e5', 'e6']);
    // Read back newest first across the rotated files, as `localgate logs` does without a daemon.
    expect((await readRecentLogEntries(dir, 4)).map((e) => e.id)).toEqual(['e6', 'e5', 'e4', 'e3']);
  });

  it('batches entries appended in one tick into one write', async () => {
    // FileHandle is not exported: take its prototype from a handle.
    const probe = await openFile(path.join(home.dir, 'probe'), 'w');
    const write = vi.spyOn(Object.getPrototypeOf(probe) as { write: (...args: unknown[]) => unknown }, 'write');
    await probe.close();
    try {
      const log = open();
      for (let i = 0; i < 200; i++) log.append(entry(`b${i}`));
      await log.flush();
      expect(write).toHaveBeenCalledTimes(1);
      expect(lines('requests-2025-03-14.jsonl').map((e) => e.id)).toEqual(Array.from({ length: 200 }, (_, i) => `b${i}`));
    } finally {
      write.mockRestore();
    }
  });

  it('gathers entries appended in separate ticks (one request at a time) into one write', async () => {
    const probe = await openFile(path.join(home.dir, 'probe'), 'w');
    const write = vi.spyOn(Object.getPrototypeOf(probe) as { write: (...args: unknown[]) => unknown }, 'write');
    await probe.close();
    // Only the batch timer is faked: the appends take real ticks, the window never runs out under load.
    vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout'] });
    try {
      const log = open();
      for (let i = 0; i < 5; i++) {
        log.append(entry(`t${i}`));
        await new Promise((resolve) => setImmediate(resolve));
      }
      expect(write).not.toHaveBeenCalled();
      await vi.advanceTimersByTimeAsync(BATCH_WINDOW_MS);
      await log.flush();
      expect(write).toHaveBeenCalledTimes(1);
      expect(lines('requests-2025-03-14.jsonl').map((e) => e.id)).toEqual(['t0', 't1', 't2', 't3', 't4']);
    } finally {
      vi.useRealTimers();
      write.mockRestore();
    }
  });

  it('makes an existing file 0600 when it opens it', async () => {
    mkdirSync(dir, { recursive: true });
    writeFileSync(path.join(dir, 'requests-2025-03-14.jsonl'), '', { mode: 0o644 });
    const log = open();
    log.append(entry('a'));
    await log.flush();
    expect(statSync(path.join(dir, 'requests-2025-03-14.jsonl')).mode & 0o777).toBe(0o600);
  });

  it('prune deletes the files older than the retention window (today counts as one day) and nothing else', async () => {
    mkdirSync(dir, { recursive: true });
    const today = localDate(clock);
    for (let back = 0; back <= 10; back++) writeFileSync(path.join(dir, `requests-${localDateDaysBefore(clock, back)}.jsonl`), '{}\n');
    writeFileSync(path.join(dir, `requests-${localDateDaysBefore(clock, 9)}-1.jsonl`), '{}\n');
    writeFileSync(path.join(dir, 'notes.txt'), 'not a log file');
    retention = 7;
    const removed = await open().prune();
    expect(removed.sort()).toEqual(
      [...[7, 8, 9, 10].map((back) => `requests-${localDateDaysBefore(clock, back)}.jsonl`), `requests-${localDateDaysBefore(clock, 9)}-1.jsonl`].sort(),
    );
    const kept = (await listLogFiles(dir)).map((file) => file.date);
    expect(kept).toEqual([6, 5, 4, 3, 2, 1, 0].map((back) => localDateDaysBefore(clock, back)));
    expect(kept.at(-1)).toBe(today);
    expect(existsSync(path.join(dir, 'notes.txt'))).toBe(true);
  });

  it('retention 1 keeps only today; 0 deletes every file, even the open one, and writes nothing more', async () => {
    const log = open();
    clock = at(2025, 3, 13);
    log.append(entry('yesterday'));
    await log.flush();
    clock = at(2025, 3, 14);
    log.append(entry('today'));
    await log.flush();
    retention = 1;
    expect(await log.prune()).toEqual(['requests-2025-03-13.jsonl']);
    expect(names()).toEqual(['requests-2025-03-14.jsonl']);

    retention = 0;
    expect(await log.prune()).toEqual(['requests-2025-03-14.jsonl']);
    log.append(entry('after'));
    await log.flush();
    expect(names()).toEqual([]);
  });

  it('steps back by calendar date across month ends, leap days and years', () => {
    expect(localDateDaysBefore(at(2025, 3, 1), 1)).toBe('2025-02-28');
    expect(localDateDaysBefore(at(2024, 3, 1), 1)).toBe('2024-02-29');
    expect(localDateDaysBefore(at(2025, 1, 1), 0)).toBe('2025-01-01');
    expect(localDateDaysBefore(at(2025, 1, 1), 1)).toBe('2024-12-31');
    expect(localDateDaysBefore(at(2025, 3, 31, 0, 30), 30)).toBe('2025-03-01');
  });

  it('reports a write failure without throwing, counts the lost entries, and recovers', async () => {
    mkdirSync(path.dirname(dir), { recursive: true });
    writeFileSync(dir, 'a file where the folder should be');
    const log = open();
    log.append(entry('lost'));
    await log.flush();
    expect(errors).toHaveLength(1);
    expect(log.dropped).toBe(1);
  });
});
