import { existsSync, mkdirSync, readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import Anthropic from '@anthropic-ai/sdk';
import OpenAI from 'openai';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { ProxyConfigPatch } from '../shared/config.js';
import type { MonitorEntry } from '../shared/monitor.js';
import { startFakeOpenAIUpstream, type FakeOpenAIUpstream } from './fakes/fake-openai-upstream.js';
import { localDate, localDateDaysBefore } from '../host/monitor/request-log-files.js';
import { LocalgateService } from '../host/service/localgate-service.js';
import { openService } from './helpers/running-service.js';
import { makeTempHome } from './helpers/temp-home.js';

type Harness = Awaited<ReturnType<typeof openService>>;

describe('request log and body capture, through the proxy', () => {
  let harness: Harness;
  let upstream: FakeOpenAIUpstream;
  let events: MonitorEntry[];
  const cleanups: Array<() => Promise<void>> = [];

  async function start(config: ProxyConfigPatch) {
    upstream = await startFakeOpenAIUpstream();
    cleanups.push(() => upstream.close());
    harness = await openService({ auth_mode: 'strict', ...config });
    cleanups.push(() => harness.close());
    harness.service.addAccount({ provider: 'openai', base_url: upstream.baseUrl, api_key: upstream.apiKey, label: 'A' });
    events = [];
    harness.service.onMonitorEntry((entry) => events.push(entry));
    await harness.service.startProxy();
  }

  const proxyKey = () => harness.service.config().api_key;
  const openai = (apiKey = proxyKey()) => new OpenAI({ baseURL: `${harness.origin()}/v1`, apiKey, maxRetries: 0 });
  const logDir = () => path.join(harness.home, 'logs');
  const logFiles = () => (existsSync(logDir()) ? readdirSync(logDir()).map((name) => path.join(logDir(), name)) : []);
  const logText = () => logFiles().map((file) => readFileSync(file, 'utf8')).join('');
  const logged = () => logText().split('\n').filter(Boolean).map((line) => JSON.parse(line) as MonitorEntry);
  /** Entries are written just after the response closes, off the request path: wait for them. */
  const loggedCount = async (count: number) => {
    await expect.poll(() => logged().length, { timeout: 5_000 }).toBe(count);
    return logged();
  };

  beforeEach(() => {
    events = [];
  });

  afterEach(async () => {
    for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
  });

  it('logs captured bodies, keeps them out of the ring and the events, and never records a key', async () => {
    await start({ monitor_capture_bodies: true });
    const wrongKey = 'sk-wrong-key-from-a-client-0123456789';
    upstream.fallback = { kind: 'ok', text: 'Paris is the capital of France.' };

    await openai().chat.completions.create({ model: 'gpt-4o-mini', messages: [{ role: 'user', content: 'Capital of France?' }] });
    const stream = await openai().chat.completions.create({ model: 'gpt-4o-mini', messages: [{ role: 'user', content: 'count' }], stream: true });
    for await (const _chunk of stream) void _chunk;
    await expect(openai(wrongKey).chat.completions.create({ model: 'gpt-4o-mini', messages: [{ role: 'user', content: 'nope' }] })).rejects.toThrow();
    // Translated (Anthropic client, OpenAI upstream), streamed through the translated relay.
    const anthropic = new Anthropic({ baseURL: harness.origin(), apiKey: proxyKey(), maxRetries: 0 });
    const message = await anthropic.messages.stream({ model: 'gpt-4o-mini', max_tokens: 50, messages: [{ role: 'user', content: 'translate me' }] }).finalMessage();
    expect(message.content[0]).toMatchObject({ type: 'text', text: 'Paris is the capital of France.' });
    // Gemini's query-string key is part of the URL, not of the recorded path.
    await fetch(`${harness.origin()}/v1beta/models/gpt-4o-mini:generateContent?key=${proxyKey()}`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ contents: [{ role: 'user', parts: [{ text: 'gemini here' }] }] }),
    }).then((response) => response.text());

    const entries = await loggedCount(5);
    const [plain, streamed, refused, translated, gemini] = entries;

    // What the client sent, as it sent it, and what it got back.
    expect(JSON.parse(plain!.request_body!)).toEqual({ model: 'gpt-4o-mini', messages: [{ role: 'user', content: 'Capital of France?' }] });
    expect(JSON.parse(plain!.response_body!).choices[0].message.content).toBe('Paris is the capital of France.');
    expect(streamed!.response_body).toMatch(/^data: \{/);
    expect(streamed!.response_body).toContain('data: [DONE]');
    // Refused in onRequest, before the body is read: there is no body to record.
    expect(refused).toMatchObject({ status: 401 });
    expect(refused).not.toHaveProperty('request_body');
    expect(JSON.parse(refused!.response_body!)).toHaveProperty('error');
    expect(translated).toMatchObject({ path: '/v1/messages', protocol: 'anthropic', status: 200, request_body: expect.stringContaining('translate me') });
    expect(translated!.response_body).toContain('event: message_start');
    // The deltas as encoded for the client, through to the last frame the encoder wrote.
    expect(translated!.response_body).toContain('"text_delta"');
    expect(translated!.response_body).toContain('Paris');
    expect(translated!.response_body).toContain('event: message_stop');
    expect(gemini).toMatchObject({ path: '/v1beta/models/gpt-4o-mini:generateContent', request_body: expect.stringContaining('gemini here') });

    // Secrets: the proxy key (header and query), the upstream key and a rejected key appear nowhere.
    const ring = harness.service.recentRequests();
    for (const secret of [proxyKey(), upstream.apiKey, wrongKey]) {
      expect(logText()).not.toContain(secret);
      expect(JSON.stringify(ring)).not.toContain(secret);
      expect(JSON.stringify(events)).not.toContain(secret);
    }
    // The upstream did receive its key: the grep above would have found it had it leaked.
    expect(upstream.requests.at(-1)!.headers.authorization).toBe(`Bearer ${upstream.apiKey}`);

    // Bodies live in the log only.
    expect(ring).toHaveLength(5);
    for (const entry of [...ring, ...events]) {
      expect(entry).not.toHaveProperty('request_body');
      expect(entry).not.toHaveProperty('response_body');
    }
    for (const file of logFiles()) expect(statSync(file).mode & 0o777).toBe(0o600);
    expect(statSync(logDir()).mode & 0o777).toBe(0o700);
  });

  it('cuts captured bodies at monitor_body_limit_bytes', async () => {
    await start({ monitor_capture_bodies: true, monitor_body_limit_bytes: 40 });
    upstream.fallback = { kind: 'ok', text: 'a long answer '.repeat(50) };
    await openai().chat.completions.create({ model: 'gpt-4o-mini', messages: [{ role: 'user', content: 'x'.repeat(500) }] });
    const [entry] = await loggedCount(1);
    expect(Buffer.byteLength(entry!.request_body!)).toBe(40);
    expect(Buffer.byteLength(entry!.response_body!)).toBe(40);
    expect(entry!.bodies_truncated).toBe(true);
  });

  it('records no bodies with capture off (the default), and the entry otherwise matches the ring', async () => {
    await start({});
    await openai().chat.completions.create({ model: 'gpt-4o-mini', messages: [{ role: 'user', content: 'secret prompt' }] });
    const [entry] = await loggedCount(1);
    expect(entry).not.toHaveProperty('request_body');
    expect(entry).not.toHaveProperty('response_body');
    expect(logText()).not.toContain('secret prompt');
    expect(entry).toEqual(harness.service.recentRequests(1)[0]);
    expect(path.basename(logFiles()[0]!)).toMatch(/^requests-\d{4}-\d{2}-\d{2}\.jsonl$/);
  });

  it('log_retention_days=0 deletes the files at once and writes no more', async () => {
    await start({});
    await openai().chat.completions.create({ model: 'gpt-4o-mini', messages: [{ role: 'user', content: 'one' }] });
    await loggedCount(1);
    await harness.service.updateConfig({ log_retention_days: 0 });
    await expect.poll(() => logFiles().length, { timeout: 5_000 }).toBe(0);
    await openai().chat.completions.create({ model: 'gpt-4o-mini', messages: [{ role: 'user', content: 'two' }] });
    await new Promise((resolve) => setTimeout(resolve, 100));
    expect(logFiles()).toEqual([]);
    // The live view still has both.
    expect(harness.service.recentRequests()).toHaveLength(2);
  });

  it('deletes log files past retention when the daemon starts', async () => {
    const home = makeTempHome();
    try {
      const dir = path.join(home.dir, 'logs');
      mkdirSync(dir);
      const now = Date.now();
      const names = [7, 6, 0].map((back) => `requests-${localDateDaysBefore(now, back)}.jsonl`);
      for (const name of names) writeFileSync(path.join(dir, name), '{}\n');
      const service = await LocalgateService.open({ dataDir: home.dir });
      await service.close();
      // Default retention 7: today and the six days before stay.
      expect(readdirSync(dir).sort()).toEqual(names.slice(1).sort());
      expect(names[2]).toBe(`requests-${localDate(now)}.jsonl`);
    } finally {
      home.cleanup();
    }
  });

  it('monitorStats counts what went through, per account and model', async () => {
    await start({});
    upstream.fallback = { kind: 'ok', text: 'hi' };
    for (let i = 0; i < 3; i++) await openai().chat.completions.create({ model: 'gpt-4o-mini', messages: [{ role: 'user', content: `q${i}` }] });
    upstream.fallback = { kind: 'error', status: 400, message: 'bad request' };
    await expect(openai().chat.completions.create({ model: 'gpt-4o', messages: [{ role: 'user', content: 'bad' }] })).rejects.toThrow();
    await expect.poll(() => harness.service.recentRequests().length).toBe(4);

    const stats = await harness.service.monitorStats('hour');
    expect(stats).toMatchObject({ window: 'hour', requests: 4, errors: 1 });
    expect(stats.by_account).toEqual([{ name: 'A', requests: 4, errors: 1, tokens_in: 33, tokens_out: 21 }]);
    expect(stats.by_model).toEqual([
      { name: 'gpt-4o-mini', requests: 3, errors: 0, tokens_in: 33, tokens_out: 21 },
      { name: 'gpt-4o', requests: 1, errors: 1, tokens_in: 0, tokens_out: 0 },
    ]);
    expect(stats.per_minute.reduce((sum, bucket) => sum + bucket.requests, 0)).toBe(4);
    expect(stats.latency_ms!.p50).toBeGreaterThan(0);
  });
});
