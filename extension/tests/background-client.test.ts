import { describe, expect, it, vi } from 'vitest';
import { connectToBackground, type PortLike } from '../utils/background-client';

class FakePort implements PortLike {
  readonly sent: any[] = [];
  readonly #message: ((m: unknown) => void)[] = [];
  readonly #disconnect: (() => void)[] = [];
  onMessage = { addListener: (l: (m: unknown) => void) => void this.#message.push(l) };
  onDisconnect = { addListener: (l: () => void) => void this.#disconnect.push(l) };
  postMessage(message: unknown) {
    this.sent.push(message);
  }
  disconnect() {}
  deliver(message: unknown) {
    for (const l of this.#message) l(message);
  }
  drop() {
    for (const l of this.#disconnect) l();
  }
}

describe('connectToBackground', () => {
  it('matches replies to requests and dispatches events', async () => {
    const port = new FakePort();
    const client = connectToBackground(() => port);
    const statuses: unknown[] = [];
    client.on('status', (s) => statuses.push(s));
    const reply = client.request('config.get');
    const { id } = port.sent[0];
    port.deliver({ event: 'status', data: { x: 1 } });
    port.deliver({ id: 'other', ok: true, result: 1 });
    port.deliver({ id, ok: false, error: { code: 'TIMEOUT', message: 'The daemon did not answer in time' } });
    await expect(reply).resolves.toEqual({ ok: false, error: { code: 'TIMEOUT', message: 'The daemon did not answer in time' } });
    expect(statuses).toEqual([{ x: 1 }]);
  });

  it('fails waiting requests when the worker goes away, and reconnects for listeners', async () => {
    vi.useFakeTimers();
    const ports: FakePort[] = [];
    const client = connectToBackground(() => {
      const port = new FakePort();
      ports.push(port);
      return port;
    });
    client.on('connection', () => {});
    const reply = client.request('proxy.status');
    ports[0]!.drop();
    await expect(reply).resolves.toMatchObject({ ok: false, error: { code: 'INTERNAL' } });
    await vi.advanceTimersByTimeAsync(300);
    expect(ports).toHaveLength(2);
    vi.useRealTimers();
  });
});
