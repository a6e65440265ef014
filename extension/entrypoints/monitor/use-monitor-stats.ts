import { useEffect, useState } from 'preact/hooks';
import { MonitorStatsSchema, type MonitorStats, type StatsWindow } from '../../../shared/monitor';
import type { BackgroundClient } from '../../utils/background-client';
import { errorText } from '../../utils/error-text';

/** How often the stats are asked for with nothing happening. */
export const STATS_REFRESH_MS = 10_000;
/** At most one refresh per this long while requests stream in (a busy proxy finishes many a second). */
export const STATS_THROTTLE_MS = 2_000;

export interface StatsTiming {
  refreshMs?: number;
  throttleMs?: number;
}

/**
 * The daemon's `monitor.stats` for `window`: asked for on open, every STATS_REFRESH_MS, and after
 * new entries or a reconnect, throttled to one request per STATS_THROTTLE_MS (leading and
 * trailing, so the last entry of a burst is always counted). One request in flight at a time.
 */
export function useMonitorStats(client: BackgroundClient, window: StatsWindow, timing: StatsTiming = {}): { stats: MonitorStats | null; error: string | null } {
  const [stats, setStats] = useState<MonitorStats | null>(null);
  const [error, setError] = useState<string | null>(null);
  const refreshMs = timing.refreshMs ?? STATS_REFRESH_MS;
  const throttleMs = timing.throttleMs ?? STATS_THROTTLE_MS;

  useEffect(() => {
    let disposed = false;
    let inFlight = false;
    let again = false;
    let lastStarted = Number.NEGATIVE_INFINITY;
    let trailing: ReturnType<typeof setTimeout> | undefined;

    const load = async () => {
      if (inFlight) {
        again = true;
        return;
      }
      inFlight = true;
      lastStarted = Date.now();
      const reply = await client.request('monitor.stats', { window });
      inFlight = false;
      if (disposed) return;
      if (!reply.ok) setError(errorText(reply.error));
      else {
        const parsed = MonitorStatsSchema.safeParse(reply.result);
        if (parsed.success) {
          setStats(parsed.data);
          setError(null);
        }
      }
      if (again) {
        again = false;
        soon();
      }
    };
    const soon = () => {
      if (trailing !== undefined) return;
      trailing = setTimeout(() => {
        trailing = undefined;
        void load();
      }, Math.max(0, lastStarted + throttleMs - Date.now()));
    };

    void load();
    const interval = setInterval(() => void load(), refreshMs);
    const offEntry = client.on('monitor.entry', soon);
    const offConnection = client.on('connection', (info) => {
      if (info.state === 'connected') soon();
    });
    return () => {
      disposed = true;
      clearInterval(interval);
      clearTimeout(trailing);
      offEntry();
      offConnection();
    };
  }, [client, window, refreshMs, throttleMs]);

  return { stats, error };
}
