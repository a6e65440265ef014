import { open, readdir } from 'node:fs/promises';
import path from 'node:path';
import { MonitorEntrySchema, type MonitorEntry } from '../../shared/monitor.js';

/**
 * Names and reading of the request log: `logs/requests-YYYY-MM-DD.jsonl`, then
 * `requests-YYYY-MM-DD-1.jsonl`, `-2`… once a day's file reaches the size limit. The date is the
 * local calendar day on which the entries were written (a request is written when it closes).
 */
export interface LogFile {
  name: string;
  path: string;
  /** `YYYY-MM-DD`, local time: sorts as text. */
  date: string;
  /** 0 for the day's first file, then 1, 2… */
  index: number;
}

const LOG_FILE_NAME = /^requests-(\d{4}-\d{2}-\d{2})(?:-(\d+))?\.jsonl$/;

/** `YYYY-MM-DD` of an instant, in local time (the day a person reads in the file name). */
export function localDate(epochMs: number): string {
  const date = new Date(epochMs);
  return `${date.getFullYear()}-${pad2(date.getMonth() + 1)}-${pad2(date.getDate())}`;
}

/** The local date `days` calendar days before the one holding `epochMs` (DST-safe: steps by date, not by 24 h). */
export function localDateDaysBefore(epochMs: number, days: number): string {
  const date = new Date(epochMs);
  date.setHours(12, 0, 0, 0);
  date.setDate(date.getDate() - days);
  return localDate(date.getTime());
}

export function logFileName(date: string, index: number): string {
  return index === 0 ? `requests-${date}.jsonl` : `requests-${date}-${index}.jsonl`;
}

export function parseLogFileName(name: string): { date: string; index: number } | undefined {
  const match = LOG_FILE_NAME.exec(name);
  if (!match) return undefined;
  return { date: match[1]!, index: match[2] === undefined ? 0 : Number(match[2]) };
}

/** The log files in `dir`, oldest first (by date, then index); none if the folder does not exist. */
export async function listLogFiles(dir: string): Promise<LogFile[]> {
  let names: string[];
  try {
    names = await readdir(dir);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return [];
    throw error;
  }
  const files: LogFile[] = [];
  for (const name of names) {
    const parsed = parseLogFileName(name);
    if (parsed) files.push({ name, path: path.join(dir, name), ...parsed });
  }
  return files.sort((a, b) => (a.date === b.date ? a.index - b.index : a.date < b.date ? -1 : 1));
}

/** One line of a log file as an entry, or undefined for a torn or foreign line (skipped, never fatal). */
export function parseLogLine(line: string): MonitorEntry | undefined {
  if (line.trim() === '') return undefined;
  try {
    const parsed = MonitorEntrySchema.safeParse(JSON.parse(line));
    return parsed.success ? parsed.data : undefined;
  } catch {
    return undefined;
  }
}

const READ_CHUNK_BYTES = 1024 * 1024;

/**
 * Calls `onLine` for every complete line of `filePath` from byte `offset` on, reading 1 MiB at a
 * time (a 20 MB file is never held whole). Returns the offset just past the last complete line,
 * so a line still being written is read on the next call.
 */
export async function readLinesFrom(filePath: string, offset: number, onLine: (line: string) => void): Promise<number> {
  const handle = await open(filePath, 'r');
  try {
    const buffer = Buffer.alloc(READ_CHUNK_BYTES);
    let position = offset;
    let carry = Buffer.alloc(0);
    for (;;) {
      const { bytesRead } = await handle.read(buffer, 0, buffer.length, position);
      if (bytesRead === 0) break;
      position += bytesRead;
      const data = carry.length > 0 ? Buffer.concat([carry, buffer.subarray(0, bytesRead)]) : buffer.subarray(0, bytesRead);
      let start = 0;
      for (let newline = data.indexOf(10, start); newline !== -1; newline = data.indexOf(10, start)) {
        onLine(data.toString('utf8', start, newline));
        start = newline + 1;
      }
      // Copied: `buffer` is reused by the next read.
      carry = Buffer.from(data.subarray(start));
    }
    return position - carry.length;
  } finally {
    await handle.close();
  }
}

/**
 * The newest `limit` entries of the log files, newest first: for `localgate logs` when no daemon
 * runs. Reads files from the newest back, and stops once it has enough.
 */
export async function readRecentLogEntries(dir: string, limit: number): Promise<MonitorEntry[]> {
  const files = await listLogFiles(dir);
  const newestFirst: MonitorEntry[] = [];
  for (let i = files.length - 1; i >= 0 && newestFirst.length < limit; i--) {
    const inFile: MonitorEntry[] = [];
    await readLinesFrom(files[i]!.path, 0, (line) => {
      const entry = parseLogLine(line);
      if (entry) inFile.push(entry);
    });
    for (let j = inFile.length - 1; j >= 0 && newestFirst.length < limit; j--) newestFirst.push(inFile[j]!);
  }
  return newestFirst;
}

function pad2(value: number): string {
  return String(value).padStart(2, '0');
}
