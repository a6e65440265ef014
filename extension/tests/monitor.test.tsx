import { cleanup, render, waitFor } from '@testing-library/preact';
import { afterEach, describe, expect, it } from 'vitest';
import type { MonitorEntry } from '../../shared/monitor';
import { App, MAX_ROWS, mergeEntries } from '../entrypoints/monitor/App';
import { fakeClient, ok } from './fake-client';

function entry(id: string, time: number, extra: Partial<MonitorEntry> = {}): MonitorEntry {
  return { id, time, method: 'POST', path: '/v1/chat/completions', protocol: 'openai', status: 200, latency_ms: 10, ...extra };
}

afterEach(() => cleanup());

describe('monitor', () => {
  it('keeps entries newest first, unique and capped', () => {
    const many = Array.from({ length: MAX_ROWS + 20 }, (_, i) => entry(`e${i}`, i));
    const merged = mergeEntries(many.slice(0, 10), many);
    expect(merged).toHaveLength(MAX_ROWS);
    expect(merged[0]!.id).toBe(`e${MAX_ROWS + 19}`);
    expect(new Set(merged.map((e) => e.id)).size).toBe(MAX_ROWS);
  });

  it('loads recent entries, then prepends live ones', async () => {
    const fake = fakeClient({
      'monitor.recent': () =>
        ok([
          entry('r1', 1000, { model: 'gpt-4o', mapped_model: 'demo-echo', account: 'demo', tokens_in: 5, tokens_out: 7 }),
          { junk: true },
        ]),
    });
    render(<App client={fake.client} />);
    const rows = () => [...document.querySelectorAll('#monitor-table [data-testid="monitor-row"]')];
    await waitFor(() => expect(rows()).toHaveLength(1));
    expect(rows()[0]!.textContent).toContain('gpt-4o → demo-echo');
    expect(rows()[0]!.textContent).toContain('5 / 7');
    fake.emit('monitor.entry', entry('r2', 2000, { path: '/v1/messages', protocol: 'anthropic', status: 529 }));
    await waitFor(() => expect(rows()).toHaveLength(2));
    expect(rows()[0]!.getAttribute('data-entry-id')).toBe('r2');
    expect(fake.sent('monitor.recent')).toEqual([{ limit: MAX_ROWS }]);
  });

  it('shows what the translation dropped or changed on the entry: codes, details on hover', async () => {
    const warnings = [
      { code: 'dropped-top-k', message: 'top_k: not an OpenAI parameter' },
      { code: 'dropped-cache-control', message: 'cache_control: OpenAI caches prompts automatically; breakpoints are not sent' },
    ];
    const fake = fakeClient({ 'monitor.recent': () => ok([entry('w1', 1000, { warnings }), entry('w0', 500)]) });
    render(<App client={fake.client} />);
    const rows = () => [...document.querySelectorAll('#monitor-table [data-testid="monitor-row"]')];
    await waitFor(() => expect(rows()).toHaveLength(2));
    const shown = [...rows()[0]!.querySelectorAll('[data-testid="entry-warning"]')];
    expect(shown.map((chip) => [chip.textContent, chip.getAttribute('title')])).toEqual(warnings.map((w) => [w.code, w.message]));
    expect(rows()[1]!.querySelectorAll('[data-testid="entry-warning"]')).toHaveLength(0);
  });
});
