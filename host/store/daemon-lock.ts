import { closeSync, fsyncSync, linkSync, openSync, readFileSync, statSync, unlinkSync, writeSync } from 'node:fs';
import { randomBytes } from 'node:crypto';
import { uptime } from 'node:os';
import path from 'node:path';
import { LocalgateError } from '../../shared/errors.js';
import { isProcessAlive } from './daemon-file.js';
import { ensureDataDir } from './data-dir.js';

export const DAEMON_LOCK_FILE = 'daemon.lock';

/** A lock taken over because its owner died; at most one process does it at a time. */
const TAKEOVER_FILE = 'daemon.lock.takeover';
/** A takeover guard older than this was left by a process killed mid-takeover (which takes microseconds). */
const TAKEOVER_STALE_MS = 10_000;

interface LockContent {
  pid: number;
  /** ms since the epoch; a lock written before the last boot is stale whatever its pid says. */
  started_at: number;
}

/** Held by one daemon: `release` removes the lock (only if it is still ours); idempotent. */
export interface DaemonLock {
  readonly file: string;
  release(): void;
}

/**
 * Makes this process the only daemon of `dataDir`, or throws DAEMON_ALREADY_RUNNING.
 *
 * `daemon.lock` holds the owner's pid. It is created complete and atomically: the content goes to
 * a private temp file first, then `link()` gives it the lock's name, which fails with EEXIST if
 * the name exists — so of several daemons starting at the same instant exactly one wins, and a
 * reader never sees an empty lock. A lock whose pid is dead (SIGKILL, power loss: written before
 * the last boot) is stale and taken over; the takeover runs under a second `wx` file so two
 * starters cannot both delete a stale lock and then each other's fresh one.
 */
export async function acquireDaemonLock(dataDir: string): Promise<DaemonLock> {
  ensureDataDir(dataDir);
  const file = path.join(dataDir, DAEMON_LOCK_FILE);
  const content: LockContent = { pid: process.pid, started_at: Date.now() };
  for (let attempt = 0; attempt < 200; attempt += 1) {
    if (tryCreate(file, content)) return ownedLock(file);
    const holder = readLock(file);
    if (holder === 'missing') continue; // Released (or taken over) between our link and read: try again.
    if (holder !== 'unreadable' && holder.pid === process.pid) return ownedLock(file);
    if (holder !== 'unreadable' && !isStale(holder)) {
      throw new LocalgateError(
        'DAEMON_ALREADY_RUNNING',
        `A Localgate daemon is already running for this data directory (pid ${holder.pid}, ${dataDir}). Stop it with "localgate shutdown" first.`,
      );
    }
    if (!removeStaleLock(dataDir, file, holder)) await new Promise((resolve) => setTimeout(resolve, 10));
  }
  throw new LocalgateError('INTERNAL', `Could not take the daemon lock ${file}: it keeps changing hands. Is another Localgate starting in a loop?`);
}

/**
 * The pid of a live daemon holding `dataDir`'s lock, if any. A daemon takes the lock before it
 * reads the data files and writes daemon.json only once it is up (start-daemon.ts): a lock
 * without a live daemon.json means a daemon is starting.
 */
export function daemonLockHolder(dataDir: string): number | undefined {
  const holder = readLock(path.join(dataDir, DAEMON_LOCK_FILE));
  return holder === 'missing' || holder === 'unreadable' || isStale(holder) ? undefined : holder.pid;
}

function ownedLock(file: string): DaemonLock {
  let released = false;
  return {
    file,
    release() {
      if (released) return;
      released = true;
      const holder = readLock(file);
      if (holder !== 'missing' && holder !== 'unreadable' && holder.pid !== process.pid) return; // Not ours any more.
      try {
        unlinkSync(file);
      } catch {
        // Already gone.
      }
    },
  };
}

function tryCreate(file: string, content: LockContent): boolean {
  const temp = `${file}.${randomBytes(6).toString('hex')}.tmp`;
  const fd = openSync(temp, 'wx', 0o600);
  try {
    writeSync(fd, `${JSON.stringify(content)}\n`);
    fsyncSync(fd);
  } finally {
    closeSync(fd);
  }
  try {
    linkSync(temp, file);
    return true;
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'EEXIST') return false;
    throw error;
  } finally {
    unlinkSync(temp);
  }
}

function readLock(file: string): LockContent | 'missing' | 'unreadable' {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'ENOENT' ? 'missing' : 'unreadable';
  }
  try {
    const parsed = JSON.parse(text) as Partial<LockContent>;
    if (Number.isInteger(parsed.pid) && typeof parsed.started_at === 'number') return parsed as LockContent;
  } catch {
    // Falls through: a foreign or hand-edited file.
  }
  return 'unreadable';
}

function isStale(holder: LockContent): boolean {
  const bootedAt = Date.now() - uptime() * 1000;
  // A minute of slack: uptime and the wall clock drift apart.
  if (holder.started_at < bootedAt - 60_000) return true;
  return !isProcessAlive(holder.pid);
}

/**
 * Deletes a stale lock under the takeover guard, after checking it is still the same stale lock.
 * Returns false when another process holds the guard (the caller waits and retries).
 */
function removeStaleLock(dataDir: string, file: string, seen: LockContent | 'unreadable'): boolean {
  const guard = path.join(dataDir, TAKEOVER_FILE);
  let fd: number;
  try {
    fd = openSync(guard, 'wx', 0o600);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
    try {
      if (Date.now() - statSync(guard).mtimeMs > TAKEOVER_STALE_MS) unlinkSync(guard);
    } catch {
      // Gone meanwhile.
    }
    return false;
  }
  try {
    closeSync(fd);
    const now = readLock(file);
    const same = now === 'unreadable' ? seen === 'unreadable' : now !== 'missing' && seen !== 'unreadable' && now.pid === seen.pid && now.started_at === seen.started_at;
    if (same) unlinkSync(file);
  } finally {
    unlinkSync(guard);
  }
  return true;
}
