import { describe, expect, it } from 'vitest';
import type { MonitorEntry } from '../../shared/monitor.js';
import { MonitorRing } from './monitor-ring.js';
import { UsageTail } from './usage-tail.js';

const entry = (n: number): MonitorEntry => ({ id: `r${n}`, time: n, method: 'POST', path: '/v1/chat/completions', protocol: 'openai', status: 200, latency_ms: 1 });

describe('MonitorRing', () => {
  it('keeps the newest entries, newest first, overwriting the oldest', () => {
    const ring = new MonitorRing(4);
    expect(ring.recent()).toEqual([]);
    for (let n = 1; n <= 6; n++) ring.push(entry(n));
    expect(ring.recent().map((e) => e.id)).toEqual(['r6', 'r5', 'r4', 'r3']);
    expect(ring.recent(2).map((e) => e.id)).toEqual(['r6', 'r5']);
  });

  it('tells listeners about each entry until they unsubscribe', () => {
    const ring = new MonitorRing(2);
    const seen: string[] = [];
    const stop = ring.onEntry((e) => seen.push(e.id));
    ring.push(entry(1));
    stop();
    ring.push(entry(2));
    expect(seen).toEqual(['r1']);
  });
});

describe('UsageTail', () => {
  it('finds the last usage in a stream split anywhere', () => {
    const body = `data: {"choices":[{"delta":{"content":"${'x'.repeat(9000)}"}}]}\n\ndata: {"choices":[],"usage":{"prompt_tokens":12,"completion_tokens":34,"total_tokens":46}}\n\ndata: [DONE]\n\n`;
    const bytes = Buffer.from(body);
    for (const size of [1, 7, 100, 5000, bytes.length]) {
      const tail = new UsageTail();
      for (let i = 0; i < bytes.length; i += size) tail.push(bytes.subarray(i, i + size));
      expect(tail.usage()).toEqual({ tokensIn: 12, tokensOut: 34 });
    }
  });

  it('reports nothing when there is no usage', () => {
    const tail = new UsageTail();
    tail.push(Buffer.from('{"choices":[]}'));
    expect(tail.usage()).toEqual({});
  });
});
