import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { Agent } from 'undici';
import { describe, expect, it } from 'vitest';
import { ClientGoneSignal } from './cancel-signal.js';

describe('ClientGoneSignal', () => {
  it('runs its listeners once, in order, with an AbortError as the reason', () => {
    const signal = new ClientGoneSignal();
    const calls: string[] = [];
    const removed = (): void => void calls.push('removed');
    signal.addEventListener('abort', () => calls.push('first'));
    signal.addEventListener('abort', removed);
    signal.addEventListener('abort', () => calls.push('second'));
    signal.removeEventListener('abort', removed);
    expect(signal.aborted).toBe(false);
    signal.abort();
    signal.abort();
    expect(calls).toEqual(['first', 'second']);
    expect(signal.aborted).toBe(true);
    expect(signal.reason).toMatchObject({ name: 'AbortError' });
    signal.addEventListener('abort', () => calls.push('late'));
    expect(calls).toEqual(['first', 'second']);
  });

  it('cancels an undici request waiting for its answer', async () => {
    let closed!: () => void;
    const upstreamSawClose = new Promise<void>((resolve) => (closed = resolve));
    const server = createServer((request) => request.socket.once('close', closed));
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const agent = new Agent();
    try {
      const signal = new ClientGoneSignal();
      const pending = agent.request({ origin: `http://127.0.0.1:${(server.address() as AddressInfo).port}`, path: '/', method: 'GET', signal: signal as unknown as AbortSignal });
      await new Promise((resolve) => server.once('request', resolve));
      signal.abort();
      await expect(pending).rejects.toMatchObject({ name: 'AbortError' });
      await upstreamSawClose;
    } finally {
      await agent.destroy();
      server.closeAllConnections();
      server.close();
    }
  });
});
