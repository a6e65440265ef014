import { proxyError, type ProxyError } from '../core/proxy-error.js';
import type { ProxyDeps } from '../core/proxy-deps.js';

/** Requests that go upstream in flight, per proxy (its deps): generations and embeddings alike. */
const inFlight = new WeakMap<ProxyDeps, { count: number }>();

/**
 * Admits a request under `max_concurrent_requests`, counting it until `onReplyClosed` fires;
 * false = the proxy is full and the client must come back (an immediate 429, never a queue).
 */
export function admitRequest(deps: ProxyDeps, onReplyClosed: (listener: () => void) => void, limit: number): boolean {
  let counter = inFlight.get(deps);
  if (!counter) inFlight.set(deps, (counter = { count: 0 }));
  if (counter.count >= limit) return false;
  counter.count += 1;
  const gauge = counter;
  onReplyClosed(() => {
    gauge.count -= 1;
  });
  return true;
}

/** What a client hears when admitRequest said no. */
export function proxyFullError(limit: number): ProxyError {
  return proxyError('rate-limit', `Localgate is already serving max_concurrent_requests (${limit}) requests; retry in a second.`, 429, 1000);
}
