import { describe, expect, it, vi } from 'vitest';
import type { ControlReply } from '../../shared/control/envelope.js';
import { RequestLedger } from './request-ledger.js';

const ok = (id: string, result: unknown): ControlReply => ({ id, ok: true, result });

describe('RequestLedger', () => {
  it('runs an id once and hands every repeat the same reply, even while the first still runs', async () => {
    const ledger = new RequestLedger();
    let finish!: (reply: ControlReply) => void;
    const run = vi.fn(() => new Promise<ControlReply>((resolve) => (finish = resolve)));
    const first = ledger.answer('a', 'proxy.start', undefined, run);
    const repeat = ledger.answer('a', 'proxy.start', undefined, run);
    finish(ok('a', 'started'));
    expect(await first).toEqual(ok('a', 'started'));
    expect(await repeat).toEqual(ok('a', 'started'));
    expect(run).toHaveBeenCalledTimes(1);
  });

  it('refuses an id reused with another type or payload, without running it', async () => {
    const ledger = new RequestLedger();
    const run = vi.fn(async () => ok('a', 1));
    await ledger.answer('a', 'accounts.add', { label: 'one' }, run);
    for (const [type, payload] of [['accounts.add', { label: 'two' }], ['proxy.stop', { label: 'one' }]] as const) {
      expect(await ledger.answer('a', type, payload, run)).toMatchObject({ id: 'a', ok: false, error: { code: 'INVALID_MESSAGE' } });
    }
    expect(run).toHaveBeenCalledTimes(1);
  });

  it('forgets the oldest ids beyond its capacity', async () => {
    const ledger = new RequestLedger(2);
    const run = vi.fn(async () => ok('x', 1));
    for (const id of ['a', 'b', 'c']) await ledger.answer(id, 'proxy.start', undefined, run);
    expect(ledger.size).toBe(2);
    await ledger.answer('c', 'proxy.start', undefined, run); // remembered
    expect(run).toHaveBeenCalledTimes(3);
    await ledger.answer('a', 'proxy.start', undefined, run); // forgotten: runs again
    expect(run).toHaveBeenCalledTimes(4);
  });
});
