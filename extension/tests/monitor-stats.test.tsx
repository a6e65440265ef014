import { cleanup, fireEvent, render, waitFor } from '@testing-library/preact';
import { afterEach, describe, expect, it } from 'vitest';
import type { MonitorEntry, MonitorStats } from '../../shared/monitor';
import { App } from '../entrypoints/monitor/App';
import { fail, fakeClient, ok } from './fake-client';

const MINUTE = 60_000;
const START = new Date(2025, 2, 14, 11, 1).getTime();

function stats(extra: Partial<MonitorStats> = {}): MonitorStats {
  const per_minute = Array.from({ length: 60 }, (_, i) => ({ start: START + i * MINUTE, requests: 0, errors: 0 }));
  per_minute[58] = { start: START + 58 * MINUTE, requests: 10, errors: 0 };
  per_minute[59] = { start: START + 59 * MINUTE, requests: 5, errors: 2 };
  return {
    window: 'hour',
    from: START,
    to: START + 60 * MINUTE,
    requests: 15,
    errors: 2,
    tokens_in: 1234,
    tokens_out: 5678,
    latency_ms: { p50: 120, p90: 480.4, p99: 12_500 },
    per_minute,
    by_account: [
      { name: 'main', requests: 12, errors: 2, tokens_in: 1000, tokens_out: 5000 },
      { name: 'backup', requests: 3, errors: 0, tokens_in: 234, tokens_out: 678 },
    ],
    by_model: [{ name: 'gpt-4o-mini', requests: 15, errors: 2, tokens_in: 1234, tokens_out: 5678 }],
    by_warning: [
      { code: 'dropped-top-k', requests: 4 },
      { code: 'dropped-cache-control', requests: 1 },
    ],
    ...extra,
  };
}

function entry(id: string): MonitorEntry {
  return { id, time: Date.now(), method: 'POST', path: '/v1/chat/completions', protocol: 'openai', status: 200, latency_ms: 10 };
}

const $ = (selector: string) => document.querySelector(selector);
const $$ = (selector: string) => [...document.querySelectorAll(selector)];
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

afterEach(() => cleanup());

describe('monitor page: stats and charts', () => {
  it('draws the charts and totals from monitor.stats above the table', async () => {
    const fake = fakeClient({ 'monitor.recent': () => ok([]), 'monitor.stats': () => ok(stats()) });
    render(<App client={fake.client} />);
    await waitFor(() => expect($('#stats-summary')!.textContent).toContain('15 requests'));
    expect($('#stats-summary')!.textContent).toBe('15 requests · 2 errors (13.3%) · 1,234 tokens in · 5,678 out (last hour)');
    expect(fake.sent('monitor.stats')).toEqual([{ window: 'hour' }]);

    // Requests per minute: 60 bars, tallest = peak, the failed part stacked in red.
    const bars = $$('#chart-requests [data-testid="minute-bar"]');
    expect(bars).toHaveLength(60);
    expect($('#chart-requests figcaption')!.textContent).toContain('peak 10');
    const peak = bars[58]!.querySelector('rect.bar-ok')!;
    expect(Number(peak.getAttribute('height'))).toBeCloseTo(58);
    expect(bars[59]!.querySelector('rect.bar-error')).not.toBeNull();
    expect(Number(bars[59]!.querySelector('rect.bar-ok')!.getAttribute('height'))).toBeCloseTo((3 / 10) * 58);
    expect(bars[0]!.querySelector('rect')).toBeNull();
    expect(bars[59]!.querySelector('title')!.textContent).toBe('12:00 PM: 5 requests, 2 errors');

    // Latency: three bars on p99's scale, each labelled.
    const latency = $$('#chart-latency [data-testid="latency-bar"]');
    expect(latency.map((bar) => bar.getAttribute('data-percentile'))).toEqual(['p50', 'p90', 'p99']);
    expect(latency.map((bar) => bar.querySelector('text.value')!.textContent)).toEqual(['120 ms', '480 ms', '12.5 sec']);
    expect(Number(latency[2]!.querySelector('rect')!.getAttribute('width'))).toBe(180);

    // Per account and per model, most requests first.
    const accounts = $$('#stats-accounts [data-testid="stats-group"]');
    expect(accounts.map((row) => row.getAttribute('data-name'))).toEqual(['main', 'backup']);
    expect([...accounts[0]!.querySelectorAll('td')].map((cell) => cell.textContent)).toEqual(['main', '12', '2', '1,000 / 5,000']);
    // The share bar under the name: main has 6,000 of 6,912 tokens.
    expect((accounts[0]!.querySelector('.share') as HTMLElement).style.width).toBe('86.8%');
    expect($$('#stats-models [data-testid="stats-group"] td').map((cell) => cell.textContent)).toEqual(['gpt-4o-mini', '15', '2', '1,234 / 5,678']);
    // Translation warnings by code, most frequent first.
    expect($$('#stats-warnings [data-testid="stats-warning"]').map((row) => [...row.querySelectorAll('td')].map((cell) => cell.textContent))).toEqual([
      ['dropped-top-k', '4'],
      ['dropped-cache-control', '1'],
    ]);

    // The table keeps its place, below the charts.
    const table = $('#monitor-table')!;
    expect($('#monitor-stats')!.compareDocumentPosition(table) & Node.DOCUMENT_POSITION_FOLLOWING).toBeTruthy();
  });

  it('asks for the day window when the person picks it', async () => {
    const fake = fakeClient({ 'monitor.recent': () => ok([]), 'monitor.stats': (payload) => ok(stats({ window: (payload as { window: 'hour' | 'day' }).window })) });
    render(<App client={fake.client} />);
    await waitFor(() => expect(fake.sent('monitor.stats')).toHaveLength(1));
    expect($('#stats-window-hour')!.getAttribute('aria-pressed')).toBe('true');
    fireEvent.click($('#stats-window-day')!);
    await waitFor(() => expect(fake.sent('monitor.stats')).toEqual([{ window: 'hour' }, { window: 'day' }]));
    await waitFor(() => expect($('#stats-summary')!.textContent).toContain('(last 24 h)'));
    expect($('#stats-window-day')!.getAttribute('aria-pressed')).toBe('true');
  });

  it('refreshes after new entries, once per burst (throttled), not once per entry', async () => {
    const fake = fakeClient({ 'monitor.recent': () => ok([]), 'monitor.stats': () => ok(stats()) });
    render(<App client={fake.client} statsTiming={{ refreshMs: 60_000, throttleMs: 100 }} />);
    await waitFor(() => expect(fake.sent('monitor.stats')).toHaveLength(1));
    for (let i = 0; i < 5; i++) fake.emit('monitor.entry', entry(`e${i}`));
    await waitFor(() => expect(fake.sent('monitor.stats')).toHaveLength(2));
    await sleep(250);
    expect(fake.sent('monitor.stats')).toHaveLength(2);
    // The next burst waits out the throttle from the last request, then is asked once.
    fake.emit('monitor.entry', entry('later-1'));
    fake.emit('monitor.entry', entry('later-2'));
    await waitFor(() => expect(fake.sent('monitor.stats')).toHaveLength(3));
    await sleep(150);
    expect(fake.sent('monitor.stats')).toHaveLength(3);
  });

  it('refreshes on a timer with nothing happening, and stops when the page closes', async () => {
    const fake = fakeClient({ 'monitor.recent': () => ok([]), 'monitor.stats': () => ok(stats()) });
    const view = render(<App client={fake.client} statsTiming={{ refreshMs: 50, throttleMs: 10 }} />);
    await waitFor(() => expect(fake.sent('monitor.stats').length).toBeGreaterThanOrEqual(3));
    view.unmount();
    const count = fake.sent('monitor.stats').length;
    await sleep(150);
    expect(fake.sent('monitor.stats')).toHaveLength(count);
  });

  it('says why stats are missing (e.g. an older daemon) and still shows the table', async () => {
    const fake = fakeClient({ 'monitor.recent': () => ok([entry('r1')]), 'monitor.stats': () => fail('UNKNOWN_MESSAGE', 'Unknown control message type: "monitor.stats"') });
    render(<App client={fake.client} />);
    await waitFor(() => expect($('#stats-summary')!.textContent).toBe('Stats unavailable: Unknown control message type: "monitor.stats"'));
    expect($$('#monitor-table [data-testid="monitor-row"]')).toHaveLength(1);
    expect($('#chart-latency')!.textContent).toContain('No requests in this window.');
    expect($$('#stats-accounts [data-testid="stats-group"]')).toHaveLength(0);
    expect($('#stats-warnings')).toBeNull();
  });
});
