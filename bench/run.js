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
// BENCH_SCENARIOS ("json,sse,startup"; "startup" = the start-up section, bench/startup.js),
// BENCH_STARTUP_RUNS (10), BENCH_CLI (the bin/localgate.js the start-up section runs), BENCH_OUT (bench/results/latest.json).
//
//   BENCH_SCENARIOS=startup npm run bench      (start-up times and idle memory only, ~1 min)

import { Worker, isMainThread, parentPort, workerData } from 'node:worker_threads';
import { fileURLToPath } from 'node:url';
import { freePort, printStartupTable, runStartupBench } from './startup.js';

const SSE_EVENTS = 20;
const HARD_TIMEOUT_MS = 10 * 60_000;

if (isMainThread) {
  await main();
} else if (workerData.role === 'upstream') {
  await upstreamWorker();
} else if (workerData.role === 'load') {
  await loadWorker();
}

// ---------------------------------------------------------------------------------------------
// Fake OpenAI upstream (worker thread)

async function upstreamWorker() {
  const http = await import('node:http');
  const created = Math.floor(Date.now() / 1000);
  const jsonBody = Buffer.from(
    JSON.stringify({
      id: 'chatcmpl-bench',
      object: 'chat.completion',
      created,
      model: 'gpt-4o-mini',
      choices: [{ index: 0, message: { role: 'assistant', content: 'Hello! How can I help you today?' }, finish_reason: 'stop' }],
      usage: { prompt_tokens: 9, completion_tokens: 9, total_tokens: 18 },
    }),
  );
  const words = 'Hello there , this is a fast fake upstream streaming twenty small chunks for the Localgate bench .'.split(' ');
  const sseEvents = [];
  for (let i = 0; i < SSE_EVENTS; i++) {
    const last = i === SSE_EVENTS - 1;
    const chunk = {
      id: 'chatcmpl-bench',
      object: 'chat.completion.chunk',
      created,
      model: 'gpt-4o-mini',
      choices: [{ index: 0, delta: i === 0 ? { role: 'assistant', content: '' } : last ? {} : { content: ` ${words[i % words.length]}` }, finish_reason: last ? 'stop' : null }],
    };
    sseEvents.push(Buffer.from(`data: ${JSON.stringify(chunk)}\n\n`));
  }
  const done = Buffer.from('data: [DONE]\n\n');

  const server = http.createServer({ keepAliveTimeout: 60_000 }, (req, res) => {
    const chunks = [];
    req.on('data', (c) => chunks.push(c));
    req.on('end', () => {
      if (req.method !== 'POST' || !req.url.endsWith('/chat/completions')) {
        res.writeHead(404, { 'content-type': 'application/json' }).end('{"error":{"message":"not found"}}');
        return;
      }
      let stream = false;
      try {
        stream = JSON.parse(Buffer.concat(chunks).toString('utf8')).stream === true;
      } catch {
        res.writeHead(400, { 'content-type': 'application/json' }).end('{"error":{"message":"bad json"}}');
        return;
      }
      if (!stream) {
        res.writeHead(200, { 'content-type': 'application/json', 'content-length': jsonBody.length }).end(jsonBody);
        return;
      }
      res.writeHead(200, { 'content-type': 'text/event-stream; charset=utf-8', 'cache-control': 'no-cache' });
      for (const event of sseEvents) res.write(event);
      res.end(done);
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

// ---------------------------------------------------------------------------------------------
// Load generator (worker thread)

async function loadWorker() {
  const { Pool } = await import('undici');
  parentPort.on('message', async (job) => {
    if (job === 'close') {
      parentPort.close();
      return;
    }
    try {
      parentPort.postMessage({ ok: true, result: await runLoad(Pool, job) });
    } catch (error) {
      parentPort.postMessage({ ok: false, error: String(error?.stack ?? error) });
    }
  });
  parentPort.postMessage({ ready: true });
}

async function runLoad(Pool, { origin, path, stream, warmup, count, maxMs, connections }) {
  const pool = new Pool(origin, { connections, pipelining: 1, keepAliveTimeout: 60_000 });
  const body = JSON.stringify({
    model: 'gpt-4o-mini',
    messages: [
      { role: 'system', content: 'You are a helpful assistant.' },
      { role: 'user', content: 'Say hello in one short sentence.' },
    ],
    temperature: 0.2,
    ...(stream ? { stream: true } : {}),
  });
  const headers = { 'content-type': 'application/json', accept: stream ? 'text/event-stream' : 'application/json' };

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
  const requested = (env.BENCH_SCENARIOS ?? 'json,sse,startup').split(',').map((s) => s.trim()).filter(Boolean);
  const scenarios = requested.filter((scenario) => scenario !== 'startup');
  const benchDir = path.dirname(fileURLToPath(import.meta.url));
  const outFile = env.BENCH_OUT ? path.resolve(env.BENCH_OUT) : path.join(benchDir, 'results', 'latest.json');

  // Start-up first, in child processes, before the workers below load the machine.
  const startup = requested.includes('startup') ? await runStartupBench({ runs: Number(env.BENCH_STARTUP_RUNS ?? 10) }) : undefined;
  if (scenarios.length === 0) {
    const report = { date: new Date().toISOString(), machine: describeMachine(os), startup };
    if (startup) printStartupTable(startup, report.machine);
    fs.mkdirSync(path.dirname(outFile), { recursive: true });
    fs.writeFileSync(outFile, `${JSON.stringify(report, null, 2)}\n`);
    console.log(`\nwrote ${path.relative(process.cwd(), outFile)}`);
    return;
  }

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

  // 2b. Localgate, from the built dist/, with a throwaway data dir.
  const { LocalgateService } = await import('../dist/host/service/localgate-service.js');
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'localgate-bench-'));
  const lgPort = await freePort();
  const service = await LocalgateService.open({ dataDir });
  await service.updateConfig({ port: lgPort, auth_mode: 'off' });
  service.addAccount({ provider: 'openai', base_url: `${upstreamOrigin}/v1`, api_key: 'k', label: 'bench' });
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
          const rps = round1(run.latencies.length / (run.elapsedMs / 1000));
          process.stderr.write(`  round ${pass}  ${scenario.padEnd(5)} ${target.padEnd(10)} ${String(rps).padStart(7)} req/s  errors ${run.errors}${run.lastError ? ` (${run.lastError})` : ''}\n`);
        }
      }
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
      machine: describeMachine(os),
      options: { ...opts, targets, scenarios, sseEvents: SSE_EVENTS, layout: 'proxies on main thread; upstream and load generator in worker threads' },
      memory: { start: startMem, end: mem() },
      results,
      ...(startup ? { startup } : {}),
    };
    printTable(report);
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
    bare.closeAllConnections();
    await new Promise((resolve) => bare.close(resolve));
    bareAgent.destroy();
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
