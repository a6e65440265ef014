import { vi } from 'vitest';
import type { BackgroundClient } from '../utils/background-client';
import type { Outcome, ViewEventName, ViewEvents } from '../utils/view-protocol';

type Handler = (payload: unknown) => Outcome<unknown> | Promise<Outcome<unknown>>;

/** A BackgroundClient whose replies the test scripts per request type; it can also push events. */
export function fakeClient(handlers: Record<string, Handler> = {}) {
  const listeners = new Map<string, Set<(data: unknown) => void>>();
  const request = vi.fn(async (type: string, payload?: unknown) => {
    const handler = handlers[type];
    if (!handler) return { ok: false, error: { code: 'INTERNAL', message: 'Internal error' } };
    return handler(payload);
  });
  const client = {
    request,
    on(event: string, listener: (data: unknown) => void) {
      let set = listeners.get(event);
      if (!set) listeners.set(event, (set = new Set()));
      set.add(listener);
      return () => set.delete(listener);
    },
    close() {},
  } as unknown as BackgroundClient;
  return {
    client,
    request,
    handlers,
    emit<E extends ViewEventName>(event: E, data: ViewEvents[E]) {
      for (const listener of listeners.get(event) ?? []) listener(data);
    },
    sent(type: string) {
      return request.mock.calls.filter(([t]) => t === type).map(([, payload]) => payload);
    },
  };
}

export const ok = <T,>(result: T): Outcome<T> => ({ ok: true, result });
export const fail = (code: string, message: string): Outcome<never> => ({ ok: false, error: { code: code as never, message } });
