import { open, unlink, type FileHandle } from 'node:fs/promises';
import path from 'node:path';
import type { MonitorEntry } from '../../shared/monitor.js';
import { ensurePrivateDir } from '../store/data-dir.js';
import { listLogFiles, localDate, localDateDaysBefore, logFileName } from './request-log-files.js';

/** A day's file rotates to `-1`, `-2`… past this size. */
export const DEFAULT_MAX_FILE_BYTES = 20 * 1024 * 1024;
/** Entries waiting for a slow disk; past this the oldest are dropped (and counted) rather than growing memory. */
const DEFAULT_MAX_PENDING = 10_000;
/**
 * How long entries gather before one write takes them all. A write costs ~30 µs of CPU however
 * small; per tick, that is one write per request when requests come one at a time (a single
 * client), a third of a pass-through's own cost. A line shows up in the file this much later.
 */
export const BATCH_WINDOW_MS = 100;

export interface RequestLogOptions {
  /** The `logs/` folder; created with mode 0700 on first write. */
  dir: string;
  /** `log_retention_days`, read at every write and prune so a config change applies at once. */
  retentionDays: () => number;
  maxFileBytes?: number;
  maxPending?: number;
  /** Injected in tests to cross midnight. */
  now?: () => number;
  /** Write or prune failures (disk full, permissions): reported, never thrown at the proxy. */
  onError?: (error: Error) => void;
}

interface OpenFile {
  handle: FileHandle;
  path: string;
  date: string;
  index: number;
  size: number;
}

/**
 * The append-only request log on disk: one MonitorEntry JSON per line in
 * `logs/requests-YYYY-MM-DD[-N].jsonl` (0600), rotated by date and by size, pruned by retention.
 *
 *   append(entry) ─ sync, O(1) ─> pending[] ──BATCH_WINDOW_MS──> one write() per batch ─> today's file
 *                                                 (queue: writes and prunes run one at a time)
 *
 * `append` never touches the disk, so the request path never waits on it: entries that close
 * within one batch window share one write, and entries arriving during a write go in the next batch.
 * Entries are small (bodies only when capture is on, and then capped), so nothing streams here.
 */
export class RequestLog {
  readonly #options: Required<Omit<RequestLogOptions, 'onError'>> & Pick<RequestLogOptions, 'onError'>;
  #pending: MonitorEntry[] = [];
  #scheduled: NodeJS.Timeout | undefined;
  #queue: Promise<unknown> = Promise.resolve();
  #file: OpenFile | undefined;
  #dropped = 0;
  #closed = false;

  constructor(options: RequestLogOptions) {
    this.#options = { maxFileBytes: DEFAULT_MAX_FILE_BYTES, maxPending: DEFAULT_MAX_PENDING, now: Date.now, ...options };
  }

  /** Entries dropped because the disk could not keep up (or writes failed). */
  get dropped(): number {
    return this.#dropped;
  }

  /** Queues one entry; returns at once. */
  append(entry: MonitorEntry): void {
    if (this.#closed || this.#options.retentionDays() === 0) return;
    this.#pending.push(entry);
    if (this.#pending.length > this.#options.maxPending) {
      // Only when the disk has stalled for thousands of requests; then losing the oldest lines
      // beats growing without bound.
      const excess = this.#pending.length - this.#options.maxPending;
      this.#pending.splice(0, excess);
      this.#dropped += excess;
    }
    if (this.#scheduled) return;
    this.#scheduled = setTimeout(() => {
      this.#scheduled = undefined;
      void this.#enqueue(() => this.#writePending());
    }, BATCH_WINDOW_MS);
  }

  /** Resolves once every entry appended so far is written. */
  flush(): Promise<void> {
    return this.#enqueue(() => this.#writePending());
  }

  /**
   * Deletes the files that retention no longer keeps: all but the last `log_retention_days`
   * calendar days (today included); every file when it is 0. Returns the names removed.
   */
  prune(): Promise<string[]> {
    return this.#enqueue(async () => {
      const days = this.#options.retentionDays();
      const keepFrom = days > 0 ? localDateDaysBefore(this.#options.now(), days - 1) : undefined;
      const removed: string[] = [];
      for (const file of await listLogFiles(this.#options.dir)) {
        if (keepFrom !== undefined && file.date >= keepFrom) continue;
        if (this.#file?.path === file.path) await this.#closeFile();
        try {
          await unlink(file.path);
          removed.push(file.name);
        } catch (error) {
          if ((error as NodeJS.ErrnoException).code !== 'ENOENT') this.#options.onError?.(error as Error);
        }
      }
      return removed;
    });
  }

  /** Writes what is pending, then closes the file; later appends are ignored. */
  async close(): Promise<void> {
    this.#closed = true;
    clearTimeout(this.#scheduled);
    this.#scheduled = undefined;
    await this.flush();
    await this.#enqueue(() => this.#closeFile());
  }

  #enqueue<T>(task: () => Promise<T>): Promise<T> {
    const run = this.#queue.then(task);
    this.#queue = run.catch(() => undefined);
    return run;
  }

  async #writePending(): Promise<void> {
    const entries = this.#pending;
    if (entries.length === 0) return;
    this.#pending = [];
    if (this.#options.retentionDays() === 0) return;
    let text = '';
    for (const entry of entries) text += `${JSON.stringify(entry)}\n`;
    const bytes = Buffer.byteLength(text);
    try {
      const file = await this.#fileFor(bytes);
      await file.handle.write(text);
      file.size += bytes;
    } catch (error) {
      this.#dropped += entries.length;
      await this.#closeFile().catch(() => undefined);
      this.#options.onError?.(error as Error);
    }
  }

  /** The file today's next `bytes` go to: a new day or a full file moves on to the next name. */
  async #fileFor(bytes: number): Promise<OpenFile> {
    const date = localDate(this.#options.now());
    if (this.#file && this.#file.date !== date) await this.#closeFile();
    let file = this.#file ?? (await this.#openFile(date, await this.#lastIndex(date)));
    // An empty file takes any batch, so one oversized batch cannot loop forever.
    while (file.size > 0 && file.size + bytes > this.#options.maxFileBytes) {
      await this.#closeFile();
      file = await this.#openFile(date, file.index + 1);
    }
    return file;
  }

  /** Where a restarted daemon continues: the day's highest-numbered file. */
  async #lastIndex(date: string): Promise<number> {
    const files = (await listLogFiles(this.#options.dir)).filter((file) => file.date === date);
    return files.at(-1)?.index ?? 0;
  }

  async #openFile(date: string, index: number): Promise<OpenFile> {
    const dir = this.#options.dir;
    ensurePrivateDir(dir);
    const filePath = path.join(dir, logFileName(date, index));
    const handle = await open(filePath, 'a', 0o600);
    try {
      // `open` applies the mode only when it creates the file.
      await handle.chmod(0o600);
      const { size } = await handle.stat();
      this.#file = { handle, path: filePath, date, index, size };
      return this.#file;
    } catch (error) {
      await handle.close();
      throw error;
    }
  }

  async #closeFile(): Promise<void> {
    const file = this.#file;
    this.#file = undefined;
    await file?.handle.close();
  }
}
