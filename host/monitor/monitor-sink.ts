import type { MonitorEntry } from '../../shared/monitor.js';

/** Where the proxy hands each finished request's entry (a MonitorRing, or the daemon's ring + request log). */
export interface MonitorSink {
  push(entry: MonitorEntry): void;
}

/**
 * The entry without captured bodies: what the in-memory ring and the control protocol carry.
 * Bodies (up to 2 × 1 MiB per entry) would make the 1,000-entry ring cost up to gigabytes and
 * a `monitor.entry` event overflow native messaging's 1 MB frame; they go to the request log only.
 */
export function withoutBodies(entry: MonitorEntry): MonitorEntry {
  if (entry.request_body === undefined && entry.response_body === undefined && entry.bodies_truncated === undefined) return entry;
  const { request_body: _request, response_body: _response, bodies_truncated: _truncated, ...rest } = entry;
  return rest;
}
