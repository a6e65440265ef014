// Localgate proxy benchmark: Localgate vs a bare Node reverse proxy, same upstream, same load.
//
//   npm run bench                      (builds dist/, then runs this file with --expose-gc)
//   BENCH_COUNT=2000 BENCH_TARGETS=localgate node --expose-gc --cpu-prof bench/run.js
//
// Layout (all in one process, all on 127.0.0.1):
//   main thread      the proxies under test: the bare proxy and Localgate (LocalgateService)
//   worker "upstream" a fast fake OpenAI upstream (node:http), fixed JSON / ~20-event SSE
//   worker "load"     the load generator (undici Pool, N connections)
// The upstream and the load generator run in worker threads so that the main event loop, which
// is what a proxy's throughput is bounded by, is spent on the proxy alone, and so that
// `node --cpu-prof` writes a main-thread profile that contains proxy work only.
//
// Knobs (environment): BENCH_WARMUP (500), BENCH_COUNT (5000), BENCH_MAX_MS (10000),
// BENCH_CONNECTIONS (50), BENCH_ROUNDS (3), BENCH_TARGETS ("bare,localgate"),
// BENCH_SCENARIOS ("json,sse,paths,streams,startup"; "startup" = the start-up section, bench/startup.js;
// "paths" = the request-path rows below; "streams" = the streaming and memory targets, bench/streams.js
// and bench/daemon-memory.js, with BENCH_STREAM_GAP_MS (3), BENCH_STREAM_COUNT (10), BENCH_HELD_STREAMS (200)),
// BENCH_STARTUP_RUNS (10), BENCH_POPUP_RUNS (BENCH_STARTUP_RUNS: browsers per popup row, bench/popup-startup.js;
// it builds the extension first if .output is missing or stale), BENCH_CLI (the bin/localgate.js the start-up
// section runs), BENCH_OUT (bench/results/latest.json).
//
//   BENCH_SCENARIOS=startup npm run bench      (start-up times, idle memory, the popup's first open in Chromium; ~3 min)
//   BENCH_SCENARIOS=streams npm run bench      (writes per upstream event, open streams' memory, daemon RSS)
//
// Request paths (BENCH_PATHS, default all of PATH_SCENARIOS below): each client
// protocol → account family at BENCH_PATH_CONNECTIONS ("10,1") connections, BENCH_PATH_COUNT (2000)
// requests per round, against a bare undici proxy (which passes the client's own request to an
// upstream of the client's protocol) and the upstream itself ("direct", for the latency a proxy
// adds); BENCH_PATH_TARGETS ("direct,bare,localgate") narrows that, e.g. to profile Localgate alone.
// Where wrk is installed, the non-streaming path rows are loaded by wrk instead of the load worker
// (bench/wrk-load.js: one wrk thread pinned to CPU 1, BENCH_PATH_SECONDS (2) per round; BENCH_LOAD=js
// keeps the JS client).
// CPU per request is the main thread's own CPU time (/proc/self/task/<pid>/stat) over the round:
// the proxies' work, not the workers'. Where `taskset` exists (BENCH_PIN=0 turns it off), the main
// thread (the proxies) is pinned to CPU 0 and both workers to CPU 1, so load and proxy never share a core.

import { Worker, isMainThread, parentPort, workerData } from 'node:worker_threads';
import { fileURLToPath } from 'node:url';
import { execFileSync } from 'node:child_process';
import { readFileSync, readlinkSync } from 'node:fs';
import { freePort, printStartupTable, runStartupBench } from './startup.js';
import { runPopupStartupBench } from './popup-startup.js';
import { sseEvents } from './fake-streams.js';
import { addStreamAccounts, answerStreamMode, printStreamsTable, runStreamJob, runStreamsBench, splitStreamMode } from './streams.js';
import { runDaemonMemory } from './daemon-memory.js';
import { runWrk, wrkAvailable } from './wrk-load.js';

const SSE_EVENTS = 20;
/** USER_HZ: /proc counts CPU time in these (100 on every Linux build that matters). */
const CLOCK_TICKS = 100;
const HARD_TIMEOUT_MS = 30 * 60_000;

// ---------------------------------------------------------------------------------------------
// Fake OpenAI upstream (worker thread)

async function upstreamWorker() {
  pinThisThread(1);
  const http = await import('node:http');
  const answers = fakeAnswers();
  const server = http.createServer({ keepAliveTimeout: 60_000 }, (req, res) => {
    const chunks = [];
    req.on('data', (c) => chunks.push(c));
    req.on('end', () => {
      // /paced/… and /held/…: the streaming section's slow upstreams (bench/streams.js).
      const streamMode = splitStreamMode(req.url);
      const url = streamMode?.url ?? req.url;
      const family = url.endsWith('/chat/completions') ? 'openai' : url.startsWith('/v1/messages') ? 'anthropic' : url.includes(':generateContent') || url.includes(':streamGenerateContent') ? 'gemini' : undefined;
      if (req.method !== 'POST' || !family) {
        res.writeHead(404, { 'content-type': 'application/json' }).end('{"error":{"message":"not found"}}');
        return;
      }
      // Gemini says "stream" in its URL; the others in the body (compact JSON from every client here).
      const stream = family === 'gemini' ? url.includes(':streamGenerateContent') : Buffer.concat(chunks).includes('"stream":true');
      if (streamMode && stream) {
        answerStreamMode(streamMode.mode, family, `${url} ${Buffer.concat(chunks)}`, res, (report) => parentPort.postMessage(report));
        return;
      }
      const answer = answers[family];
      if (!stream) {
        res.writeHead(200, { 'content-type': 'application/json', 'content-length': answer.json.length }).end(answer.json);
        return;
      }
      res.writeHead(200, { 'content-type': 'text/event-stream; charset=utf-8', 'cache-control': 'no-cache' });
      for (const event of answer.sse) res.write(event);
      res.end();
    });
  });
  server.listen(0, '127.0.0.1', () => parentPort.postMessage({ port: server.address().port }));
  parentPort.on('message', (msg) => {
    if (msg === 'close') {
      server.closeAllConnections();
      server.close(() => parentPort.close());
    }
  });
}

/** Each family's answer to a short prompt, as its real API sends it: one JSON body, and ~SSE_EVENTS SSE events. */
function fakeAnswers() {
  const created = Math.floor(Date.now() / 1000);
  const words = 'Hello there , this is a fast fake upstream streaming twenty small chunks for the Localgate bench .'.split(' ');
  const text = 'Hello! How can I help you today?';
  const sse = (family, count, first = 0) => sseEvents(family, Array.from({ length: count }, (_, i) => ` ${words[(first + i) % words.length]}`), { created }).map((e) => Buffer.from(e));
  return {
    openai: {
      json: Buffer.from(
        JSON.stringify({
          id: 'chatcmpl-bench',
          object: 'chat.completion',
          created,
          model: 'gpt-4o-mini',
          choices: [{ index: 0, message: { role: 'assistant', content: text }, finish_reason: 'stop' }],
          usage: { prompt_tokens: 9, completion_tokens: 9, total_tokens: 18 },
        }),
      ),
      // SSE_EVENTS chunks (role, deltas, finish), then [DONE].
      sse: sse('openai', SSE_EVENTS - 2, 1),
    },
    anthropic: {
      json: Buffer.from(
        JSON.stringify({
          id: 'msg_bench',
          type: 'message',
          role: 'assistant',
          model: 'claude-bench',
          content: [{ type: 'text', text }],
          stop_reason: 'end_turn',
          stop_sequence: null,
          usage: { input_tokens: 9, output_tokens: 9 },
        }),
      ),
      // SSE_EVENTS events: six of them frame the deltas.
      sse: sse('anthropic', SSE_EVENTS - 6),
    },
    gemini: {
      json: Buffer.from(
        JSON.stringify({
          candidates: [{ content: { role: 'model', parts: [{ text }] }, finishReason: 'STOP', index: 0 }],
          usageMetadata: { promptTokenCount: 9, candidatesTokenCount: 9, totalTokenCount: 18 },
          modelVersion: 'gemini-bench',
        }),
      ),
      sse: sse('gemini', SSE_EVENTS),
    },
  };
}

/**
 * Pins the calling thread to one CPU (Linux: taskset on the thread's own id), so the proxies and
 * the load never share a core. A no-op where taskset or /proc is missing, or with BENCH_PIN=0.
 */
function pinThisThread(cpu) {
  if (process.env.BENCH_PIN === '0' || process.platform !== 'linux') return false;
  try {
    const tid = readlinkSync('/proc/thread-self').split('/').pop();
    execFileSync('taskset', ['-p', '-c', String(cpu), tid], { stdio: 'ignore' });
    return true;
  } catch {
    return false;
  }
}

/** The main thread's own CPU time in µs (utime + stime of its task), or the process's where /proc is missing. */
function mainThreadCpuMicros() {
  try {
    const stat = readFileSync(`/proc/self/task/${process.pid}/stat`, 'utf8');
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    // Fields 14 and 15 of stat(5) (utime, stime), counted after the command name: indexes 11 and 12.
    return ((Number(fields[11]) + Number(fields[12])) * 1e6) / CLOCK_TICKS;
  } catch {
    const usage = process.cpuUsage();
    return usage.user + usage.system;
  }
}

// ---------------------------------------------------------------------------------------------
// Load generator (worker thread)

async function loadWorker() {
  pinThisThread(1);
  const { Pool } = await import('undici');
  parentPort.on('message', async (job) => {
    if (job === 'close') {
      parentPort.close();
      return;
    }
    try {
      parentPort.postMessage({ ok: true, result: job.kind ? await runStreamJob(job) : await runLoad(Pool, job) });
    } catch (error) {
      parentPort.postMessage({ ok: false, error: String(error?.stack ?? error) });
    }
  });
  parentPort.postMessage({ ready: true });
}

async function runLoad(Pool, { origin, path, stream, warmup, count, maxMs, connections, ...request }) {
  const pool = new Pool(origin, { connections, pipelining: 1, keepAliveTimeout: 60_000 });
  const body = request.body ?? JSON.stringify({
    model: 'gpt-4o-mini',
    messages: [
      { role: 'system', content: 'You are a helpful assistant.' },
      { role: 'user', content: 'Say hello in one short sentence.' },
    ],
    temperature: 0.2,
    ...(stream ? { stream: true } : {}),
  });
  const headers = { 'content-type': 'application/json', accept: stream ? 'text/event-stream' : 'application/json', ...request.headers };

  const one = async () => {
    const started = performance.now();
    const response = await pool.request({ path, method: 'POST', headers, body });
    let ttfb = stream ? -1 : performance.now() - started;
    let bytes = 0;
    for await (const chunk of response.body) {
      if (ttfb < 0) ttfb = performance.now() - started;
      bytes += chunk.length;
    }
    return { status: response.statusCode, latency: performance.now() - started, ttfb, bytes };
  };

  const phase = async (total, deadlineMs, record) => {
    let issued = 0;
    const latencies = [];
    const ttfbs = [];
    let errors = 0;
    let bytes = 0;
    let lastError;
    const start = performance.now();
    const deadline = start + deadlineMs;
    const lane = async () => {
      while (issued < total && performance.now() < deadline) {
        issued++;
        try {
          const r = await one();
          if (r.status !== 200) {
            errors++;
            lastError = `HTTP ${r.status}`;
          } else if (record) {
            latencies.push(r.latency);
            ttfbs.push(r.ttfb);
            bytes += r.bytes;
          }
        } catch (error) {
          errors++;
          lastError = error?.code ?? String(error);
        }
      }
    };
    await Promise.all(Array.from({ length: connections }, lane));
    return { elapsedMs: performance.now() - start, latencies, ttfbs, errors, bytes, lastError };
  };

  try {
    if (warmup > 0) await phase(warmup, maxMs, false);
    if (count === 0) return undefined;
    const r = await phase(count, maxMs, true);
    return { elapsedMs: r.elapsedMs, latencies: r.latencies, ttfbs: r.ttfbs, errors: r.errors, bytes: r.bytes, lastError: r.lastError };
  } finally {
    await pool.close();
  }
}

/** Pools the raw samples of several rounds into one set of numbers. */
function summarize(runs) {
  const latencies = Float64Array.from(runs.flatMap((r) => r.latencies)).sort();
  const ttfbs = Float64Array.from(runs.flatMap((r) => r.ttfbs)).sort();
  const elapsedMs = runs.reduce((sum, r) => sum + r.elapsedMs, 0);
  const bytes = runs.reduce((sum, r) => sum + r.bytes, 0);
  const errors = runs.reduce((sum, r) => sum + r.errors, 0);
  return {
    requests: latencies.length,
    errors,
    ...(errors ? { lastError: runs.find((r) => r.lastError)?.lastError } : {}),
    elapsedMs: round(elapsedMs),
    rps: round(latencies.length / (elapsedMs / 1000)),
    rpsPerRound: runs.map((r) => round(r.latencies.length / (r.elapsedMs / 1000))),
    p50Ms: round(pct(latencies, 0.5), 2),
    p99Ms: round(pct(latencies, 0.99), 2),
    ttfbP50Ms: round(pct(ttfbs, 0.5), 2),
    avgBodyBytes: latencies.length ? Math.round(bytes / latencies.length) : 0,
  };
}

/** Requests answered 2xx in one run, from the JS client (each one's latency) or from wrk (a count). */
function answered(run) {
  return run.latencies ? run.latencies.length : run.requests;
}

/** summarize() for wrk rounds, which report percentiles rather than samples: the median round's. */
function summarizeWrk(runs) {
  const elapsedMs = runs.reduce((sum, r) => sum + r.elapsedMs, 0);
  const requests = runs.reduce((sum, r) => sum + r.requests, 0);
  const errors = runs.reduce((sum, r) => sum + r.errors, 0);
  const median = (values) => Float64Array.from(values).sort()[values.length >> 1];
  return {
    requests,
    errors,
    ...(errors ? { lastError: runs.find((r) => r.lastError)?.lastError } : {}),
    elapsedMs: round(elapsedMs),
    rps: round(requests / (elapsedMs / 1000)),
    rpsPerRound: runs.map((r) => round(r.requests / (r.elapsedMs / 1000))),
    p50Ms: round(median(runs.map((r) => r.p50Ms)), 2),
    p99Ms: round(median(runs.map((r) => r.p99Ms)), 2),
    load: 'wrk',
  };
}

function pct(sorted, p) {
  if (sorted.length === 0) return NaN;
  return sorted[Math.min(sorted.length - 1, Math.floor(p * sorted.length))];
}

function round1(n) {
  return round(n, 1);
}

function round(n, digits = 1) {
  const f = 10 ** digits;
  return Math.round(n * f) / f;
}

// ---------------------------------------------------------------------------------------------
// Request paths: a client protocol, the family of the account that serves it, a body size

/** The model each family's bench account serves (accounts are chosen by model). */
const FAMILY_MODEL = { openai: 'gpt-4o-mini', anthropic: 'claude-bench', gemini: 'gemini-bench' };
/** `bench-mapped-<family>` names no account: model_mapping maps it to FAMILY_MODEL[family]. */
const MAPPED_MODEL = (family) => `bench-mapped-${family}`;

/**
 * `<client>><account family>[/variant]`: pass-through when both are the same family, translated
 * otherwise. `400k` sends a Claude-Code-sized history; `mapped` asks for a model that
 * model_mapping renames (same body otherwise); `sse` streams (TTFB rows).
 */
const PATH_SCENARIOS = {
  'openai>openai': { client: 'openai', upstream: 'openai' },
  'anthropic>anthropic': { client: 'anthropic', upstream: 'anthropic' },
  'anthropic>openai': { client: 'anthropic', upstream: 'openai' },
  'openai>anthropic': { client: 'openai', upstream: 'anthropic' },
  'gemini>openai': { client: 'gemini', upstream: 'openai' },
  'openai>gemini': { client: 'openai', upstream: 'gemini' },
  'gemini>anthropic': { client: 'gemini', upstream: 'anthropic' },
  'anthropic>gemini': { client: 'anthropic', upstream: 'gemini' },
  'openai>openai/sse': { client: 'openai', upstream: 'openai', stream: true, connections: [1] },
  'anthropic>anthropic/sse': { client: 'anthropic', upstream: 'anthropic', stream: true, connections: [1] },
  'anthropic>openai/sse': { client: 'anthropic', upstream: 'openai', stream: true, connections: [1] },
  'openai>openai/400k': { client: 'openai', upstream: 'openai', large: true, connections: [1] },
  'openai>openai/400k-mapped': { client: 'openai', upstream: 'openai', large: true, mapped: true, connections: [1] },
  'anthropic>anthropic/400k': { client: 'anthropic', upstream: 'anthropic', large: true, connections: [1] },
  'anthropic>anthropic/400k-mapped': { client: 'anthropic', upstream: 'anthropic', large: true, mapped: true, connections: [1] },
  'anthropic>openai/400k': { client: 'anthropic', upstream: 'openai', large: true, connections: [1] },
  'anthropic>openai/400k-mapped': { client: 'anthropic', upstream: 'openai', large: true, mapped: true, connections: [1] },
};

/** ~400 KB of conversation, the size Claude Code sends late in a session: 200 turns of ~1 KB. */
const LARGE_TURNS = 200;
const turnText = (i) => `Turn ${i}: ${'the quick brown fox jumps over the lazy dog while the bench measures a long history. '.repeat(12)}`;

/** The request a client of `protocol` sends for `model`: path, headers and JSON text. */
function clientRequest(protocol, model, { stream = false, large = false, prompt = 'Say hello in one short sentence.' }) {
  const system = 'You are a helpful assistant.';
  const history = large ? Array.from({ length: LARGE_TURNS }, (_, i) => ({ role: i % 2 === 0 ? 'user' : 'assistant', text: turnText(i) })) : [];
  const turns = [...history, { role: 'user', text: prompt }];
  if (large && turns.length % 2 === 0) turns.splice(turns.length - 2, 1);
  switch (protocol) {
    case 'openai':
      return {
        path: '/v1/chat/completions',
        headers: { authorization: 'Bearer bench' },
        body: JSON.stringify({
          model,
          messages: [{ role: 'system', content: system }, ...turns.map((t) => ({ role: t.role, content: t.text }))],
          temperature: 0.2,
          ...(stream ? { stream: true } : {}),
        }),
      };
    case 'anthropic':
      return {
        path: '/v1/messages',
        headers: { 'x-api-key': 'bench', 'anthropic-version': '2023-06-01' },
        body: JSON.stringify({
          model,
          max_tokens: 256,
          system,
          messages: turns.map((t) => ({ role: t.role, content: [{ type: 'text', text: t.text }] })),
          temperature: 0.2,
          ...(stream ? { stream: true } : {}),
        }),
      };
    case 'gemini':
      return {
        path: `/v1beta/models/${model}:${stream ? 'streamGenerateContent?alt=sse' : 'generateContent'}`,
        headers: { 'x-goog-api-key': 'bench' },
        body: JSON.stringify({
          systemInstruction: { parts: [{ text: system }] },
          contents: turns.map((t) => ({ role: t.role === 'assistant' ? 'model' : 'user', parts: [{ text: t.text }] })),
          generationConfig: { temperature: 0.2 },
        }),
      };
  }
  throw new Error(`unknown protocol ${protocol}`);
}

/**
 * Runs every path row (scenario × connections) against the upstream itself, the bare proxy and
 * Localgate, rounds alternating the target order, and summarises each row.
 */
async function runPathRows({ runJob, origins, rounds, names, connections, count, warmup, maxMs, gc, mem, targets, wrk, seconds, pinCpu }) {
  const rows = [];
  for (const name of names) {
    const scenario = PATH_SCENARIOS[name];
    if (!scenario) throw new Error(`unknown path scenario ${name} (known: ${Object.keys(PATH_SCENARIOS).join(', ')})`);
    const model = scenario.mapped ? MAPPED_MODEL(scenario.upstream) : FAMILY_MODEL[scenario.upstream];
    const request = clientRequest(scenario.client, model, scenario);
    for (const conns of scenario.connections ?? connections) rows.push({ name, scenario, connections: conns, request });
  }
  const job = (row, target, n, warm) => ({
    origin: origins[target],
    ...row.request,
    stream: Boolean(row.scenario.stream),
    warmup: warm,
    count: n,
    maxMs,
    connections: row.connections,
  });
  // A large body costs every side ~100× a short one: fewer requests give as many seconds.
  const countFor = (row) => (row.scenario.large ? Math.max(50, Math.round(count / 4)) : count);
  for (const row of rows) for (const target of targets) await runJob(job(row, target, 0, Math.min(warmup, countFor(row))));
  const raw = new Map();
  for (let pass = 1; pass <= rounds; pass++) {
    const order = pass % 2 === 1 ? targets : [...targets].reverse();
    for (const row of rows) {
      for (const target of order) {
        gc();
        const cpuBefore = mainThreadCpuMicros();
        // Streams keep the JS client: their rows report time to first byte, which wrk does not.
        const run =
          wrk && !row.scenario.stream
            ? await runWrk({ origin: origins[target], ...row.request, connections: row.connections, seconds, pinCpu })
            : await runJob(job(row, target, countFor(row), 0));
        const cpuMicros = mainThreadCpuMicros() - cpuBefore;
        const key = `${row.name}@${row.connections}/${target}`;
        const runs = raw.get(key) ?? [];
        runs.push({ ...run, cpuMicros });
        raw.set(key, runs);
        const rps = round1(answered(run) / (run.elapsedMs / 1000));
        process.stderr.write(`  round ${pass}  ${`${row.name}@${row.connections}`.padEnd(34)} ${target.padEnd(10)} ${String(rps).padStart(7)} req/s  errors ${run.errors}${run.lastError ? ` (${run.lastError})` : ''}\n`);
      }
    }
  }
  return rows.map((row) => {
    const byTarget = {};
    for (const target of targets) {
      const runs = raw.get(`${row.name}@${row.connections}/${target}`);
      if (!runs) continue;
      const stats = runs[0].latencies ? summarize(runs) : summarizeWrk(runs);
      const requests = runs.reduce((sum, r) => sum + answered(r) + r.errors, 0);
      byTarget[target] = { ...stats, cpuMicrosPerRequest: target === 'direct' ? undefined : round(runs.reduce((sum, r) => sum + r.cpuMicros, 0) / requests, 0) };
    }
    const { direct, bare, localgate } = byTarget;
    if (!direct || !bare || !localgate) return { path: row.name, connections: row.connections, ...byTarget };
    return {
      path: row.name,
      connections: row.connections,
      bodyBytes: Buffer.byteLength(row.request.body),
      ...byTarget,
      share: round(localgate.rps / bare.rps, 2),
      cpuVsBare: round(localgate.cpuMicrosPerRequest / bare.cpuMicrosPerRequest, 2),
      addedP50Ms: { bare: round(bare.p50Ms - direct.p50Ms, 2), localgate: round(localgate.p50Ms - direct.p50Ms, 2) },
      ...(row.scenario.stream ? { addedTtfbP50Ms: { bare: round(bare.ttfbP50Ms - direct.ttfbP50Ms, 2), localgate: round(localgate.ttfbP50Ms - direct.ttfbP50Ms, 2) } } : {}),
      peakRssMB: mem().rssMB,
    };
  });
}

function printPathTable(rows) {
  console.log('\nRequest paths — req/s share of the bare proxy, main-thread CPU per request, p50 added over the upstream itself');
  const header = ['path', 'conns', 'bare req/s', 'lg req/s', 'share', 'bare CPU µs', 'lg CPU µs', '×bare', 'bare +p50 ms', 'lg +p50 ms', 'lg +ttfb ms'];
  const lines = rows.map((r) => [
    r.path,
    String(r.connections),
    String(r.bare.rps),
    String(r.localgate.rps),
    `${r.share}×`,
    String(r.bare.cpuMicrosPerRequest),
    String(r.localgate.cpuMicrosPerRequest),
    `${r.cpuVsBare}×`,
    String(r.addedP50Ms.bare),
    String(r.addedP50Ms.localgate),
    r.addedTtfbP50Ms ? `${r.addedTtfbP50Ms.localgate} (bare ${r.addedTtfbP50Ms.bare})` : '',
  ]);
  const widths = header.map((h, i) => Math.max(h.length, ...lines.map((l) => l[i].length)));
  const line = (cells) => cells.map((c, i) => (i === 0 ? c.padEnd(widths[i]) : c.padStart(widths[i]))).join('  ');
  console.log(line(header));
  console.log(widths.map((w) => '-'.repeat(w)).join('  '));
  for (const l of lines) console.log(line(l));
}

// ---------------------------------------------------------------------------------------------
// Main thread: proxies under test, orchestration, report

async function main() {
  const hard = setTimeout(() => {
    console.error(`bench: hard timeout after ${HARD_TIMEOUT_MS / 1000} s, exiting`);
    process.exit(2);
  }, HARD_TIMEOUT_MS);
  hard.unref();

  const os = await import('node:os');
  const fs = await import('node:fs');
  const path = await import('node:path');
  const http = await import('node:http');

  const env = process.env;
  const opts = {
    warmup: Number(env.BENCH_WARMUP ?? 500),
    count: Number(env.BENCH_COUNT ?? 5000),
    maxMs: Number(env.BENCH_MAX_MS ?? 10_000),
    connections: Number(env.BENCH_CONNECTIONS ?? 50),
    rounds: Number(env.BENCH_ROUNDS ?? 3),
  };
  const targets = (env.BENCH_TARGETS ?? 'bare,localgate').split(',').map((s) => s.trim()).filter(Boolean);
  const requested = (env.BENCH_SCENARIOS ?? 'json,sse,paths,streams,startup').split(',').map((s) => s.trim()).filter(Boolean);
  const scenarios = requested.filter((scenario) => scenario !== 'startup' && scenario !== 'paths' && scenario !== 'streams');
  const streamsRequested = requested.includes('streams');
  const pathNames = requested.includes('paths') ? (env.BENCH_PATHS ?? Object.keys(PATH_SCENARIOS).join(',')).split(',').map((s) => s.trim()).filter(Boolean) : [];
  const pathOpts = {
    names: pathNames,
    connections: (env.BENCH_PATH_CONNECTIONS ?? '10,1').split(',').map(Number),
    count: Number(env.BENCH_PATH_COUNT ?? 2000),
    warmup: Number(env.BENCH_PATH_WARMUP ?? 300),
    // `localgate` alone for a profile of its work only (the table then has no ratios).
    targets: (env.BENCH_PATH_TARGETS ?? 'direct,bare,localgate').split(',').map((s) => s.trim()).filter(Boolean),
    // wrk (bench/wrk-load.js) where installed, for BENCH_PATH_SECONDS per round; else the JS client.
    wrk: pathNames.length > 0 && wrkAvailable(),
    seconds: Number(env.BENCH_PATH_SECONDS ?? 2),
  };
  const benchDir = path.dirname(fileURLToPath(import.meta.url));
  const outFile = env.BENCH_OUT ? path.resolve(env.BENCH_OUT) : path.join(benchDir, 'results', 'latest.json');

  // Start-up first, in child processes, before the workers below load the machine.
  const startup = requested.includes('startup') ? await runStartupBench({ runs: Number(env.BENCH_STARTUP_RUNS ?? 10) }) : undefined;
  if (startup) {
    const popupRuns = Number(env.BENCH_POPUP_RUNS ?? env.BENCH_STARTUP_RUNS ?? 10);
    const popupRows = await runPopupStartupBench({ runs: popupRuns });
    startup.rows.push(...popupRows);
    if (popupRows.length > 0) startup.options.popupRuns = popupRuns;
  }
  if (scenarios.length === 0 && pathNames.length === 0 && !streamsRequested) {
    const report = { date: new Date().toISOString(), machine: describeMachine(os), startup };
    if (startup) printStartupTable(startup, report.machine);
    fs.mkdirSync(path.dirname(outFile), { recursive: true });
    fs.writeFileSync(outFile, `${JSON.stringify(report, null, 2)}\n`);
    console.log(`\nwrote ${path.relative(process.cwd(), outFile)}`);
    return;
  }
  // After the start-up section (its child processes would inherit this), before any worker starts:
  // they inherit CPU 0, then move themselves to CPU 1.
  const pinned = pinThisThread(0);

  const gc = () => {
    if (global.gc) {
      global.gc();
      global.gc();
    }
  };
  const mem = () => {
    const m = process.memoryUsage();
    return { rssMB: round(m.rss / 2 ** 20), heapUsedMB: round(m.heapUsed / 2 ** 20), heapTotalMB: round(m.heapTotal / 2 ** 20) };
  };

  // 1. Upstream, in its own thread.
  const upstream = new Worker(fileURLToPath(import.meta.url), { workerData: { role: 'upstream' } });
  const upstreamPort = await new Promise((resolve, reject) => {
    upstream.once('message', (m) => resolve(m.port));
    upstream.once('error', reject);
  });
  const upstreamOrigin = `http://127.0.0.1:${upstreamPort}`;

  // 2a. Bare reverse proxy: pipe in, pipe out, keep-alive agent. The minimum a proxy can do.
  const bareAgent = new http.Agent({ keepAlive: true, maxSockets: 256, keepAliveMsecs: 30_000 });
  const bare = http.createServer({ keepAliveTimeout: 60_000 }, (req, res) => {
    const upstreamReq = http.request(
      { host: '127.0.0.1', port: upstreamPort, method: req.method, path: req.url, headers: req.headers, agent: bareAgent },
      (upstreamRes) => {
        res.writeHead(upstreamRes.statusCode ?? 502, upstreamRes.headers);
        upstreamRes.pipe(res);
      },
    );
    upstreamReq.on('error', () => {
      if (!res.headersSent) res.writeHead(502).end();
      else res.destroy();
    });
    req.pipe(upstreamReq);
  });
  await new Promise((resolve) => bare.listen(0, '127.0.0.1', resolve));
  const bareOrigin = `http://127.0.0.1:${bare.address().port}`;

  // 2a'. Bare undici proxy, for the request-path rows: the same pipe, with the upstream client
  // Localgate itself uses (undici's Agent), so the rows measure Localgate's own work.
  const { Agent: UndiciAgent } = await import('undici');
  const bareUndiciAgent = new UndiciAgent({ keepAliveTimeout: 30_000, connections: 256, pipelining: 1 });
  const bareUndici = http.createServer({ keepAliveTimeout: 60_000 }, (req, res) => {
    const { host: _host, connection: _connection, ...headers } = req.headers;
    bareUndiciAgent.request({ origin: upstreamOrigin, path: req.url, method: req.method, headers, body: req }).then(
      (upstreamRes) => {
        const { connection: _c, 'keep-alive': _k, 'transfer-encoding': _t, ...responseHeaders } = upstreamRes.headers;
        res.writeHead(upstreamRes.statusCode, responseHeaders);
        // pipe() leaves the upstream open when the client goes: let go of it, as any proxy must
        // (undici then reports the abort as an error on the body).
        upstreamRes.body.on('error', () => res.destroy()).pipe(res);
        res.once('close', () => upstreamRes.body.destroy());
      },
      () => {
        if (!res.headersSent) res.writeHead(502).end();
        else res.destroy();
      },
    );
  });
  await new Promise((resolve) => bareUndici.listen(0, '127.0.0.1', resolve));
  const bareUndiciOrigin = `http://127.0.0.1:${bareUndici.address().port}`;

  // 2b. Localgate, from the built dist/, with a throwaway data dir.
  const { LocalgateService } = await import('../dist/host/service/localgate-service.js');
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'localgate-bench-'));
  const lgPort = await freePort();
  const service = await LocalgateService.open({ dataDir });
  const modelMapping = Object.fromEntries(Object.entries(FAMILY_MODEL).map(([family, model]) => [MAPPED_MODEL(family), model]));
  await service.updateConfig({ port: lgPort, auth_mode: 'off', model_mapping: modelMapping });
  // One account per family, each serving its own model: the client's model picks the family.
  service.addAccount({ provider: 'openai', base_url: `${upstreamOrigin}/v1`, api_key: 'k', label: 'bench', models: [FAMILY_MODEL.openai] });
  service.addAccount({ provider: 'anthropic', base_url: upstreamOrigin, api_key: 'k', label: 'bench-anthropic', models: [FAMILY_MODEL.anthropic] });
  service.addAccount({ provider: 'gemini', base_url: upstreamOrigin, api_key: 'k', label: 'bench-gemini', models: [FAMILY_MODEL.gemini] });
  addStreamAccounts(service, upstreamOrigin);
  await service.startProxy();
  const lgOrigin = `http://127.0.0.1:${lgPort}`;

  // 3. Load generator, in its own thread.
  const load = new Worker(fileURLToPath(import.meta.url), { workerData: { role: 'load' } });
  await new Promise((resolve, reject) => {
    load.once('message', resolve);
    load.once('error', reject);
  });
  const runJob = (job) =>
    new Promise((resolve, reject) => {
      load.once('message', (m) => (m.ok ? resolve(m.result) : reject(new Error(m.error))));
      load.postMessage(job);
    });

  const origins = { bare: bareOrigin, localgate: lgOrigin };
  // Both proxies serve the same OpenAI path: the bare one forwards the path as is to the upstream.
  const paths = { bare: '/v1/chat/completions', localgate: '/v1/chat/completions' };

  const results = {};
  let pathRows = [];
  const raw = {};
  const memory = {};
  let failed = false;
  try {
    // Warm every path (JIT of the proxies, the upstream and the load generator; connection pools)
    // before anything is measured, so the first target measured is not penalised.
    for (const scenario of scenarios) {
      for (const target of targets) await runJob({ origin: origins[target], path: paths[target], stream: scenario === 'sse', ...opts, count: 0 });
    }
    gc();
    const startMem = mem();
    // Several rounds, alternating which target goes first; samples are pooled per target.
    for (let pass = 1; pass <= opts.rounds; pass++) {
      const order = pass % 2 === 1 ? targets : [...targets].reverse();
      for (const scenario of scenarios) {
        for (const target of order) {
          const key = `${scenario}/${target}`;
          gc();
          const before = mem();
          let peakRss = 0;
          const sampler = setInterval(() => (peakRss = Math.max(peakRss, process.memoryUsage().rss)), 100);
          const run = await runJob({ origin: origins[target], path: paths[target], stream: scenario === 'sse', ...opts, warmup: 0 });
          clearInterval(sampler);
          peakRss = Math.max(peakRss, process.memoryUsage().rss);
          gc();
          const after = mem();
          (raw[key] ??= []).push(run);
          const m = (memory[key] ??= { before, after, peakRssMB: 0 });
          m.after = after;
          m.peakRssMB = Math.max(m.peakRssMB, round1(peakRss / 2 ** 20));
          const rps = round1(answered(run) / (run.elapsedMs / 1000));
          process.stderr.write(`  round ${pass}  ${scenario.padEnd(5)} ${target.padEnd(10)} ${String(rps).padStart(7)} req/s  errors ${run.errors}${run.lastError ? ` (${run.lastError})` : ''}\n`);
        }
      }
    }
    if (pathOpts.names.length > 0) {
      pathRows = await runPathRows({ runJob, origins: { localgate: lgOrigin, bare: bareUndiciOrigin, direct: upstreamOrigin }, rounds: opts.rounds, maxMs: opts.maxMs, gc, mem, ...pathOpts, pinCpu: pinned ? 1 : undefined });
      if (pathRows.some((row) => pathOpts.targets.some((target) => row[target].errors > 0))) failed = true;
    }
    let streams;
    let daemonMemory;
    if (streamsRequested) {
      streams = await runStreamsBench({ upstream, runJob, origins: { bare: bareUndiciOrigin, localgate: lgOrigin }, clientRequest, gc });
      daemonMemory = await runDaemonMemory({ upstreamOrigin, upstreamPort, runJob, load: { count: opts.count, warmup: opts.warmup, maxMs: opts.maxMs, connections: opts.connections } });
      const rows = [...streams.writes, ...streams.open];
      if (rows.some((row) => row.bare.errors || row.localgate.errors) || daemonMemory.bare.errors || daemonMemory.localgate.errors) failed = true;
    }
    for (const scenario of scenarios) {
      results[scenario] = {};
      for (const target of targets) {
        const key = `${scenario}/${target}`;
        const stats = summarize(raw[key]);
        results[scenario][target] = { ...stats, memory: memory[key] };
        if (stats.errors > 0) failed = true;
      }
      const b = results[scenario].bare;
      const l = results[scenario].localgate;
      if (b && l) {
        results[scenario].ratio = {
          throughput: round(b.rps / l.rps, 2), // > 1: Localgate serves fewer requests/s
          p50: round(l.p50Ms / b.p50Ms, 2), // > 1: Localgate is slower
          p99: round(l.p99Ms / b.p99Ms, 2),
          ttfbP50: round(l.ttfbP50Ms / b.ttfbP50Ms, 2),
        };
      }
    }

    // 4. Report.
    const report = {
      date: new Date().toISOString(),
      machine: {
        ...describeMachine(os),
        pinned: pinned ? 'proxies on CPU 0, upstream + load on CPU 1 (taskset)' : 'not pinned',
        loadAverage: os.loadavg().map((n) => round(n, 2)),
      },
      options: { ...opts, targets, scenarios, sseEvents: SSE_EVENTS, layout: 'proxies on main thread; upstream and load generator in worker threads' },
      memory: { start: startMem, end: mem() },
      results,
      paths: pathRows,
      pathOptions: pathOpts,
      ...(streams ? { streams } : {}),
      ...(daemonMemory ? { daemonMemory } : {}),
      ...(startup ? { startup } : {}),
    };
    if (scenarios.length > 0) printTable(report);
    if (pathRows.some((row) => row.share !== undefined)) printPathTable(pathRows);
    if (streams) printStreamsTable({ streams, memory: daemonMemory });
    if (startup) printStartupTable(startup, report.machine);
    fs.mkdirSync(path.dirname(outFile), { recursive: true });
    fs.writeFileSync(outFile, `${JSON.stringify(report, null, 2)}\n`);
    console.log(`\nwrote ${path.relative(process.cwd(), outFile)}`);
  } catch (error) {
    failed = true;
    console.error(error);
  } finally {
    await runJobClose(load);
    await service.close().catch(() => undefined);
    for (const server of [bare, bareUndici]) {
      server.closeAllConnections();
      await new Promise((resolve) => server.close(resolve));
    }
    bareAgent.destroy();
    await bareUndiciAgent.destroy();
    upstream.postMessage('close');
    await Promise.race([new Promise((resolve) => upstream.once('exit', resolve)), sleep(2000)]);
    await upstream.terminate();
    fs.rmSync(dataDir, { recursive: true, force: true });
  }
  if (failed) process.exitCode = 1;
}

function describeMachine(os) {
  const cpus = os.cpus();
  return {
    cpus: cpus.length,
    cpuModel: cpus[0]?.model?.trim(),
    totalMemMB: Math.round(os.totalmem() / 2 ** 20),
    platform: `${os.platform()} ${os.release()} ${os.arch()}`,
    node: process.version,
    exposeGc: Boolean(global.gc),
  };
}

async function runJobClose(worker) {
  worker.postMessage('close');
  await Promise.race([new Promise((resolve) => worker.once('exit', resolve)), sleep(2000)]);
  await worker.terminate();
}

function sleep(ms) {
  return new Promise((resolve) => setTimeout(resolve, ms).unref());
}

function printTable(report) {
  const { results, machine, options } = report;
  console.log(
    `\nLocalgate bench — ${machine.cpus} CPU (${machine.cpuModel}), Node ${machine.node}, ` +
      `${options.connections} connections; per target and scenario: ${options.warmup} warm-up, then ${options.rounds} rounds × ${options.count} requests (max ${options.maxMs / 1000} s each), samples pooled\n`,
  );
  const metrics = [
    ['req/s', 'rps', 'throughput'],
    ['p50 ms', 'p50Ms', 'p50'],
    ['p99 ms', 'p99Ms', 'p99'],
    ['ttfb p50 ms', 'ttfbP50Ms', 'ttfbP50'],
    ['rss after MB', (r) => r.memory.after.rssMB],
    ['rss peak MB', (r) => r.memory.peakRssMB],
    ['heap after MB', (r) => r.memory.after.heapUsedMB],
    ['errors', 'errors'],
  ];
  const header = ['scenario', 'metric', 'bare', 'localgate', 'ratio'];
  const rows = [];
  for (const [scenario, byTarget] of Object.entries(results)) {
    for (const [label, key, ratioKey] of metrics) {
      if (key === 'ttfbP50Ms' && scenario !== 'sse') continue;
      const get = (r) => (r ? (typeof key === 'function' ? key(r) : r[key]) : undefined);
      const ratio = ratioKey && byTarget.ratio ? `${byTarget.ratio[ratioKey]}×` : '';
      rows.push([scenario, label, fmt(get(byTarget.bare)), fmt(get(byTarget.localgate)), ratio]);
    }
  }
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i].length)));
  const line = (cells) => cells.map((c, i) => (i < 2 ? c.padEnd(widths[i]) : c.padStart(widths[i]))).join('  ');
  console.log(line(header));
  console.log(widths.map((w) => '-'.repeat(w)).join('  '));
  let previous;
  for (const row of rows) {
    if (previous !== undefined && previous !== row[0]) console.log('');
    previous = row[0];
    console.log(line(row));
  }
  console.log('\nratio: req/s = bare ÷ localgate; latencies = localgate ÷ bare (1.0× = as fast as a bare pipe; higher is worse)');
}

function fmt(v) {
  return v === undefined ? '-' : String(v);
}

// Last, so that every constant above is initialised before a role starts.
if (isMainThread) {
  await main();
} else if (workerData.role === 'upstream') {
  await upstreamWorker();
} else if (workerData.role === 'load') {
  await loadWorker();
}
