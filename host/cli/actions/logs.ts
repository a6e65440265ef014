import * as z from 'zod';
import { CONTROL_EVENTS } from '../../../shared/control/messages.js';
import { LocalgateError } from '../../../shared/errors.js';
import type { MonitorEntry } from '../../../shared/monitor.js';
import { readRecentLogEntries } from '../../monitor/request-log-files.js';
import { dataFile, resolveDataDir } from '../../store/data-dir.js';
import { connectToDaemon, type DaemonClient } from '../daemon-client.js';
import { printLine, printNote } from '../output.js';

/** `logs` options as commander hands them over (strings), checked and converted. */
export const logsOptionsSchema = z.object({
  follow: z.boolean().default(false),
  json: z.boolean().default(false),
  /** The daemon's ring holds 1,000 entries. */
  limit: z.coerce.number().int().min(1).max(1000).default(20),
});
type LogsOptions = z.infer<typeof logsOptionsSchema>;

export async function runLogs(rawOptions: unknown): Promise<void> {
  const options = logsOptionsSchema.parse(rawOptions);
  const dataDir = resolveDataDir();
  const print = (entry: MonitorEntry) => printLine(options.json ? JSON.stringify(entry) : formatLogLine(entry));
  const connection = await connectToDaemon(dataDir);
  if (!connection) {
    const entries = await readRecentLogEntries(dataFile(dataDir, 'logs'), options.limit);
    if (entries.length === 0 && !options.json) printNote(`No requests logged yet (no daemon running; log files in ${dataFile(dataDir, 'logs')}).`);
    for (const entry of entries.reverse()) print(entry);
    if (options.follow) throw new LocalgateError('DAEMON_UNREACHABLE', 'No Localgate daemon is running, so there is nothing to follow: start one with "localgate serve".');
    return;
  }
  try {
    await printFromDaemon(connection.client, options, print);
  } finally {
    await connection.client.close();
  }
}

async function printFromDaemon(client: DaemonClient, options: LogsOptions, print: (entry: MonitorEntry) => void): Promise<void> {
  // Subscribed before asking for the recent ones, so nothing finishing in between is missed;
  // what arrives meanwhile waits, and what the recent list already holds is not printed twice.
  const shown = new Set<string>();
  let waiting: MonitorEntry[] | undefined = [];
  const offEvent = options.follow
    ? client.onEvent((event) => {
        if (event.event !== 'monitor.entry') return;
        const parsed = CONTROL_EVENTS['monitor.entry'].safeParse(event.data);
        if (!parsed.success) return;
        if (waiting) waiting.push(parsed.data);
        else if (!shown.has(parsed.data.id)) print(parsed.data);
      })
    : () => false;
  try {
    const recent = await client.request('monitor.recent', { limit: options.limit });
    for (const entry of recent.reverse()) {
      shown.add(entry.id);
      print(entry);
    }
    const arrived = waiting;
    waiting = undefined;
    for (const entry of arrived) if (!shown.has(entry.id)) print(entry);
    if (!options.follow) return;
    shown.clear();
    await untilInterruptedOrClosed(client);
  } finally {
    offEvent();
  }
}

/** Resolves on Ctrl-C or SIGTERM (a normal end, exit 0); rejects if the daemon goes away. */
function untilInterruptedOrClosed(client: DaemonClient): Promise<void> {
  return new Promise((resolve, reject) => {
    const onSignal = () => finish(() => resolve());
    const offClose = client.onClose(() => finish(() => reject(new LocalgateError('DAEMON_UNREACHABLE', 'The Localgate daemon stopped; no more requests to follow.'))));
    const finish = (settle: () => void) => {
      process.off('SIGINT', onSignal);
      process.off('SIGTERM', onSignal);
      offClose();
      settle();
    };
    process.once('SIGINT', onSignal);
    process.once('SIGTERM', onSignal);
  });
}

/**
 * One request on one line, for a person:
 * `2025-06-01 14:03:22  openai     POST /v1/chat/completions  gpt-4o→gpt-4o-mini  main  200  812 ms  12/40 tok`
 * then, when its translation dropped or changed something, one indented line per warning:
 * `    ! dropped-top-k  top_k: not an OpenAI parameter`
 */
export function formatLogLine(entry: MonitorEntry): string {
  const model = entry.model && entry.mapped_model && entry.mapped_model !== entry.model ? `${entry.model}→${entry.mapped_model}` : (entry.model ?? entry.mapped_model ?? '-');
  const status = entry.error ? `${entry.status} ${entry.error}` : String(entry.status);
  const latency = `${Math.round(entry.latency_ms)} ms${entry.stream ? ' stream' : ''}`;
  const tokens = entry.tokens_in === undefined && entry.tokens_out === undefined ? '-' : `${entry.tokens_in ?? '-'}/${entry.tokens_out ?? '-'} tok`;
  const line = [formatTime(entry.time), entry.protocol.padEnd(9), `${entry.method} ${entry.path}`, model, entry.account ?? '-', status, latency, tokens].join('  ');
  return [line, ...(entry.warnings ?? []).map((warning) => `    ! ${warning.code}  ${warning.message}`)].join('\n');
}

/** `YYYY-MM-DD HH:MM:SS`, local time: a log spans days. */
function formatTime(epochMs: number): string {
  const date = new Date(epochMs);
  const pad = (value: number) => String(value).padStart(2, '0');
  return `${date.getFullYear()}-${pad(date.getMonth() + 1)}-${pad(date.getDate())} ${pad(date.getHours())}:${pad(date.getMinutes())}:${pad(date.getSeconds())}`;
}
