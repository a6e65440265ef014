// Streaming targets (issue 9): does each proxy write every upstream event to its client at once,
// and what does an open stream cost it? Runs inside bench/run.js (BENCH_SCENARIOS=streams), on
// its threads: the proxies on the main thread, the fake upstream and the client in the workers.
//
// 1. Writes per upstream event. A *paced* upstream (URL prefix /paced/) sends its answer one SSE
//    event at a time, STREAM_GAP_MS apart, each its own write, and tells the main thread when it
//    sent each event and how long it was. On the main thread, ServerResponse.prototype.write and
//    .end are wrapped for the duration of the section, and every body write a proxy makes for a
//    traced request (header x-bench-stream) is recorded with its time, size and the text
//    markers it carries. That is the proxy's own call into Node's HTTP stack, where a relay that
//    batched events would show; the kernel may still merge segments on the wire, which the client
//    sees and reports beside it (chunks received, and their lag). Each text delta says which one it is
//    (`[ev7]`), so its write is found after any translation. Per stream:
//      writes/event    body writes ÷ upstream events (pass-through: 1 is one write per event)
//      coalesced       writes that carry two or more upstream events (by bytes for pass-through,
//                      where the proxy forwards the bytes as they came; by markers when translated)
//      lag             write time − the time the upstream sent the event it carries: all events
//                      (pass-through, by bytes) or the text deltas (translated), plus the first
//                      and last writes (translated). Under STREAM_GAP_MS: no event waited for the next.
//      first write     the first write − the first event, median over the streams: time to first
//                      byte under a paced upstream (target: the bare proxy's + 0.5 ms).
// 2. Open streams. A *held* upstream (/held/) sends its answer up to the first text delta, then
//    holds the stream open. The client opens HELD_STREAMS of them at once through one proxy; the
//    main thread's heap is read, after GC, before and while they are open, and after they are
//    released. The number is heapUsed + external of process.memoryUsage() on the main thread: both
//    are per isolate (V8 heap, and the memory V8 is told is held outside it: Buffers, ArrayBuffers
//    — `arrayBuffers` is part of `external`, so it is not added again), so the worker threads'
//    upstream and client do not count in it, while the process-wide RSS does (and moves with
//    their allocations and the allocator's retention). What the heap misses: kernel socket
//    buffers and native allocations V8 is not told about (llhttp's parser state).

import http from 'node:http';
import { sseEvents } from './fake-streams.js';

/** The paced upstream's gap between two events. */
const STREAM_GAP_MS = Number(process.env.BENCH_STREAM_GAP_MS ?? 3);
/** Text deltas in a paced answer (each format adds its own framing events around them). */
const TEXT_DELTAS = 16;
/** Streams measured per path and proxy (after STREAM_WARMUP). */
const STREAM_COUNT = Number(process.env.BENCH_STREAM_COUNT ?? 10);
const STREAM_WARMUP = 3;
const HELD_STREAMS = Number(process.env.BENCH_HELD_STREAMS ?? 200);
const TRACE_HEADER = 'x-bench-stream';
/** The monitor's ring of recent requests (host/monitor/monitor-ring.ts), plus a margin. */
const MONITOR_RING = 1_100;
/** Replaced by each stream's id in the client's prompt: the upstream reads it back from the request it gets. */
const STREAM_ID_SLOT = 'STREAMID';
const MARKER = /\[ev(\d+)\]/g;
const STREAM_HEADERS = { 'content-type': 'application/json', accept: 'text/event-stream' };

/** Targets, from issue 9. */
const TARGETS = { heapPerStreamKB: 50 };

/** `client>upstream`: a client protocol served by an account family; pass-through when both are the same. */
const WRITE_PATHS = ['openai>openai', 'anthropic>anthropic', 'anthropic>openai', 'openai>anthropic', 'openai>gemini'];
const HELD_PATHS = ['openai>openai', 'anthropic>openai'];
const FAMILIES = ['openai', 'anthropic', 'gemini'];

/** The model a Localgate bench account of `family` serves in `mode` (paced | held). */
const streamModel = (mode, family) => `bench-${mode}-${family}`;

/** Microseconds on the process-wide monotonic clock: comparable between the threads. */
export function nowMicros() {
  return Number(process.hrtime.bigint() / 1000n);
}

// ---------------------------------------------------------------------------------------------
// Localgate's accounts (main thread, before the proxy starts)

/** One account per family and mode, on the upstream's /paced/ or /held/ prefix, serving streamModel(mode, family). */
export function addStreamAccounts(service, upstreamOrigin) {
  for (const mode of ['paced', 'held']) {
    for (const family of FAMILIES) {
      const base = `${upstreamOrigin}/${mode}${family === 'openai' ? '/v1' : ''}`;
      service.addAccount({ provider: family, base_url: base, api_key: 'k', label: `bench-${mode}-${family}`, models: [streamModel(mode, family)] });
    }
  }
}

// ---------------------------------------------------------------------------------------------
// Upstream (worker thread)

/** `/paced/v1/…` → { mode: 'paced', url: '/v1/…' }; undefined for the fast upstream's own paths. */
export function splitStreamMode(url) {
  const match = /^\/(paced|held)(\/.*)$/.exec(url);
  return match ? { mode: match[1], url: match[2] } : undefined;
}

/**
 * Answers a paced or held stream in `family`'s format. Paced: every event on its own, STREAM_GAP_MS
 * apart, then `report({ streamTrace })` with each event's send time and size. Held: the events up
 * to the first text delta, then nothing until the proxy closes the request; `report({ held: ±1 })`
 * counts the streams being held.
 */
export function answerStreamMode(mode, family, requestText, res, report) {
  const id = /bench stream (s\d+)/.exec(requestText)?.[1];
  const events = sseEvents(family, Array.from({ length: TEXT_DELTAS }, (_, k) => ` [ev${k}]`));
  res.writeHead(200, { 'content-type': 'text/event-stream; charset=utf-8', 'cache-control': 'no-cache' });
  const sent = [];
  let index = 0;
  let timer;
  let holding = false;
  res.once('close', () => {
    clearTimeout(timer);
    if (holding) report({ held: -1 });
  });
  const next = () => {
    const event = events[index];
    sent.push({ t: nowMicros(), bytes: Buffer.byteLength(event), delta: markersIn(event)[0] });
    res.write(event);
    if (mode === 'held' && event.includes('[ev0]')) {
      holding = true;
      report({ held: +1 });
      return;
    }
    if (++index < events.length) {
      timer = setTimeout(next, STREAM_GAP_MS);
      return;
    }
    res.end();
    report({ streamTrace: { id, sent } });
  };
  next();
}

// ---------------------------------------------------------------------------------------------
// Client (load worker)

let held;

/** The load worker's stream jobs: `trace` (paced streams one after another), `hold` / `release`. */
export async function runStreamJob(job) {
  const { Pool } = await import('undici');
  switch (job.kind) {
    case 'trace':
      return traceStreams(Pool, job);
    case 'hold':
      return holdStreams(Pool, job);
    case 'release':
      return releaseStreams();
  }
  throw new Error(`unknown stream job ${job.kind}`);
}

/** Runs each stream of `ids` alone (one connection), recording when each chunk arrived and the markers it carries. */
async function traceStreams(Pool, { origin, path, headers, body, ids }) {
  const pool = new Pool(origin, { connections: 1, pipelining: 1 });
  const streams = [];
  try {
    for (const id of ids) {
      const response = await pool.request({ path, method: 'POST', headers: { ...STREAM_HEADERS, ...headers, [TRACE_HEADER]: id }, body: body.replace(STREAM_ID_SLOT, id) });
      const chunks = [];
      for await (const chunk of response.body) chunks.push({ t: nowMicros(), markers: markersIn(chunk.toString('latin1')) });
      streams.push({ id, status: response.statusCode, chunks });
    }
  } finally {
    await pool.close();
  }
  return streams;
}

/** Opens `count` streams at once and resolves when every one has received its first text delta (or failed). */
async function holdStreams(Pool, { origin, path, headers, body, count, timeoutMs = 30_000 }) {
  if (held) throw new Error('streams are already held');
  const pool = new Pool(origin, { connections: count, pipelining: 1 });
  held = { pool, bodies: [] };
  const started = performance.now();
  const openOne = async (i) => {
    const response = await pool.request({ path, method: 'POST', headers: { ...STREAM_HEADERS, ...headers }, body: body.replace(STREAM_ID_SLOT, `s${i}`), headersTimeout: timeoutMs });
    held.bodies.push(response.body);
    if (response.statusCode !== 200) throw new Error(`HTTP ${response.statusCode}`);
    await new Promise((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error('no first text delta in time')), timeoutMs);
      let seen = '';
      response.body.on('data', (chunk) => {
        seen += chunk.toString('latin1');
        if (seen.includes('[ev0]')) {
          clearTimeout(timer);
          seen = '';
          resolve();
        }
      });
      response.body.once('error', reject);
      response.body.once('end', () => reject(new Error('the stream ended')));
    });
  };
  const results = await Promise.allSettled(Array.from({ length: count }, (_, i) => openOne(i)));
  const failures = results.filter((r) => r.status === 'rejected');
  return { open: count - failures.length, errors: failures.length, lastError: failures.at(-1)?.reason?.message, ms: performance.now() - started };
}

async function releaseStreams() {
  if (!held) return { released: 0 };
  const { pool, bodies } = held;
  held = undefined;
  for (const body of bodies) body.destroy();
  await pool.destroy();
  return { released: bodies.length };
}

function protocolsOf(name) {
  const [client, upstream] = name.split('>');
  return { client, upstream };
}

function median(sorted) {
  return sorted.length ? sorted[Math.floor(sorted.length / 2)] : NaN;
}

function markersIn(text) {
  return [...text.matchAll(MARKER)].map((m) => Number(m[1]));
}

// ---------------------------------------------------------------------------------------------
// Main thread

/**
 * Wraps ServerResponse write/end on this thread: every non-empty body write of a response whose
 * request carries TRACE_HEADER is recorded (time, bytes, markers). `take(id)` hands a stream's
 * writes over; `remove()` restores Node's own methods.
 */
function recordResponseWrites() {
  const proto = http.ServerResponse.prototype;
  const own = { write: Object.getOwnPropertyDescriptor(proto, 'write'), end: Object.getOwnPropertyDescriptor(proto, 'end') };
  const { write, end } = proto;
  const writes = new Map();
  const record = (res, chunk) => {
    const id = res.req?.headers[TRACE_HEADER];
    if (id === undefined || chunk === undefined || chunk === null || typeof chunk === 'function') return;
    const bytes = typeof chunk === 'string' ? Buffer.byteLength(chunk) : chunk.length;
    if (bytes === 0) return;
    const text = typeof chunk === 'string' ? chunk : Buffer.from(chunk.buffer, chunk.byteOffset, chunk.length).toString('latin1');
    let list = writes.get(id);
    if (!list) writes.set(id, (list = []));
    list.push({ t: nowMicros(), bytes, markers: markersIn(text) });
  };
  proto.write = function (chunk, ...rest) {
    record(this, chunk);
    return write.call(this, chunk, ...rest);
  };
  proto.end = function (chunk, ...rest) {
    record(this, chunk);
    return end.call(this, chunk, ...rest);
  };
  return {
    take(id) {
      const list = writes.get(id) ?? [];
      writes.delete(id);
      return list;
    },
    remove() {
      for (const [name, descriptor] of Object.entries(own)) {
        if (descriptor) Object.defineProperty(proto, name, descriptor);
        else delete proto[name];
      }
    },
  };
}

/**
 * Runs both stream checks against `origins` ({ bare, localgate }). `upstream`: the upstream
 * worker (its reports arrive as messages); `runJob`: posts a job to the load worker;
 * `clientRequest(protocol, model, options)`: a client's request (run.js).
 */
export async function runStreamsBench({ upstream, runJob, origins, clientRequest, gc, log = (line) => process.stderr.write(`${line}\n`) }) {
  const traces = new Map();
  let heldNow = 0;
  const heldWaiters = new Set();
  const onMessage = (message) => {
    if (message?.streamTrace) traces.set(message.streamTrace.id, message.streamTrace.sent);
    if (message?.held) {
      heldNow += message.held;
      for (const waiter of heldWaiters) waiter();
    }
  };
  upstream.on('message', onMessage);
  const recorder = recordResponseWrites();
  try {
    const request = (target, mode, path, stream = true) => {
      const family = target === 'bare' ? path.client : path.upstream;
      const base = clientRequest(path.client, streamModel(mode, family), { stream, prompt: `Reply to bench stream ${STREAM_ID_SLOT}.` });
      // The bare proxy forwards the client's own request: the mode goes into its path.
      return target === 'bare' ? { ...base, path: `/${mode}${base.path}` } : base;
    };

    // 1. Writes per upstream event.
    const writes = [];
    let next = 0;
    for (const name of WRITE_PATHS) {
      const path = protocolsOf(name);
      const row = { path: name, passThrough: path.client === path.upstream };
      for (const target of ['bare', 'localgate']) {
        const job = { kind: 'trace', origin: origins[target], ...request(target, 'paced', path) };
        const ids = (n) => Array.from({ length: n }, () => `s${next++}`);
        const warm = ids(STREAM_WARMUP);
        await runJob({ ...job, ids: warm });
        for (const id of warm) recorder.take(id), traces.delete(id);
        const measured = ids(STREAM_COUNT);
        const streams = await runJob({ ...job, ids: measured });
        // The upstream's report follows its last write: give it a moment to arrive.
        for (let i = 0; i < 100 && measured.some((id) => !traces.has(id)); i++) await sleep(10);
        const samples = streams.map((s) => {
          const sent = traces.get(s.id);
          traces.delete(s.id);
          return { status: s.status, sent, writes: recorder.take(s.id), chunks: s.chunks };
        });
        // Bare: the client's own protocol passes through.
        row[target] = summarizeWrites(samples, target === 'bare' || row.passThrough);
        log(`  streams  ${name.padEnd(20)} ${target.padEnd(10)} ${row[target].writesPerEvent} writes/event, max lag ${row[target].maxLagMs} ms${row[target].errors ? `, errors ${row[target].errors}` : ''}`);
      }
      writes.push(row);
    }

    // 2. HELD_STREAMS open streams.
    const heap = () => {
      gc();
      const m = process.memoryUsage();
      return { heapUsed: m.heapUsed, external: m.external, arrayBuffers: m.arrayBuffers, total: m.heapUsed + m.external, rss: m.rss };
    };
    const untilHeld = async (count, timeoutMs = 10_000) => {
      const deadline = performance.now() + timeoutMs;
      while (heldNow !== count && performance.now() < deadline) {
        await new Promise((resolve) => {
          const waiter = () => {
            heldWaiters.delete(waiter);
            resolve();
          };
          heldWaiters.add(waiter);
          setTimeout(waiter, 50);
        });
      }
      return heldNow === count;
    };
    // Localgate's monitor keeps the last MONITOR_RING requests: fill it first, so each stream's
    // entry replaces an old one, as in a daemon that has run a while, instead of adding to the count.
    await runJob({ origin: origins.localgate, path: '/v1/chat/completions', stream: false, warmup: 0, count: MONITOR_RING, maxMs: 60_000, connections: 10 });
    const open = [];
    for (const name of HELD_PATHS) {
      const path = protocolsOf(name);
      const row = { path: name, streams: HELD_STREAMS };
      for (const target of ['bare', 'localgate']) {
        const job = { origin: origins[target], ...request(target, 'held', path), count: HELD_STREAMS };
        const cycle = async () => {
          const opened = await runJob({ ...job, kind: 'hold' });
          const allHeld = await untilHeld(opened.open);
          return { opened, allHeld };
        };
        const release = async () => {
          await runJob({ kind: 'release' });
          // Closed at the upstream = the proxy let go of both sides.
          const drained = await untilHeld(0);
          await sleep(200);
          return drained;
        };
        // A first round warms the code paths and connection pools the measured one uses.
        await cycle();
        await release();
        const before = heap();
        const { opened, allHeld } = await cycle();
        const during = heap();
        const drained = await release();
        const after = heap();
        const kb = (bytes) => round(bytes / 1024, 1);
        row[target] = {
          open: opened.open,
          errors: opened.errors,
          ...(opened.lastError ? { lastError: opened.lastError } : {}),
          openMs: round(opened.ms, 1),
          allHeldUpstream: allHeld,
          drained,
          heapKB: { before: kb(before.total), during: kb(during.total), after: kb(after.total) },
          perStreamKB: opened.open ? kb((during.total - before.total) / opened.open) : undefined,
          perStreamHeapUsedKB: opened.open ? kb((during.heapUsed - before.heapUsed) / opened.open) : undefined,
          perStreamExternalKB: opened.open ? kb((during.external - before.external) / opened.open) : undefined,
          retainedKB: kb(after.total - before.total),
          // Process-wide, every thread: context only (see the comment at the top).
          rssMB: { before: round(before.rss / 2 ** 20, 1), during: round(during.rss / 2 ** 20, 1), after: round(after.rss / 2 ** 20, 1) },
        };
        log(`  streams  ${HELD_STREAMS} open ${name.padEnd(18)} ${target.padEnd(10)} ${row[target].perStreamKB} KB/stream, retained ${row[target].retainedKB} KB${opened.errors ? `, errors ${opened.errors} (${opened.lastError})` : ''}`);
      }
      open.push(row);
    }
    return { options: { gapMs: STREAM_GAP_MS, textDeltas: TEXT_DELTAS, streams: STREAM_COUNT, warmup: STREAM_WARMUP, heldStreams: HELD_STREAMS, targets: TARGETS }, writes, open };
  } finally {
    recorder.remove();
    upstream.off('message', onMessage);
    await runJob({ kind: 'release' }).catch(() => undefined);
  }
}

/**
 * One proxy on one path: per stream, its writes against the upstream's events. `passThrough`:
 * the proxy forwards the upstream's bytes, so each event's last byte is found in the write that
 * carries it; otherwise events are found by their text markers.
 */
function summarizeWrites(samples, passThrough) {
  let writes = 0;
  let events = 0;
  let coalesced = 0;
  let errors = 0;
  let clientChunks = 0;
  const lags = [];
  const clientLags = [];
  const firstLags = [];
  for (const { status, sent, writes: w, chunks } of samples) {
    if (status !== 200 || !sent || w.length === 0) {
      errors++;
      continue;
    }
    writes += w.length;
    events += sent.length;
    clientChunks += chunks.length;
    firstLags.push(w[0].t - sent[0].t);
    const deltaSent = [];
    for (const event of sent) if (event.delta !== undefined) deltaSent[event.delta] = event.t;
    if (passThrough) {
      // Event i ends at byte ends[i] of the stream; write j covers bytes (starts[j], starts[j] + bytes].
      let eventEnd = 0;
      let writeEnd = 0;
      let j = -1;
      const eventsPerWrite = new Map();
      for (const event of sent) {
        eventEnd += event.bytes;
        while (writeEnd < eventEnd && j < w.length - 1) writeEnd += w[++j].bytes;
        if (writeEnd < eventEnd) break; // bytes the proxy never wrote: counted as an error below
        lags.push(w[j].t - event.t);
        eventsPerWrite.set(j, (eventsPerWrite.get(j) ?? 0) + 1);
      }
      if (writeEnd < eventEnd) errors++;
      for (const n of eventsPerWrite.values()) if (n > 1) coalesced++;
    } else {
      for (const write of w) {
        if (new Set(write.markers).size > 1) coalesced++;
        for (const k of write.markers) lags.push(write.t - deltaSent[k]);
      }
      // The first write answers the first event; the last, the upstream's end right after its last event.
      lags.push(w[0].t - sent[0].t, w.at(-1).t - sent.at(-1).t);
    }
    for (const chunk of chunks) for (const k of chunk.markers) clientLags.push(chunk.t - deltaSent[k]);
  }
  const ms = (micros) => round(micros / 1000, 2);
  const sorted = (list) => Float64Array.from(list).sort();
  const lagSorted = sorted(lags);
  return {
    streams: samples.length - errors,
    errors,
    upstreamEvents: samples[0]?.sent?.length,
    writesPerEvent: events ? round(writes / events, 2) : undefined,
    coalescedWrites: coalesced,
    clientChunksPerEvent: events ? round(clientChunks / events, 2) : undefined,
    p50LagMs: ms(median(lagSorted)),
    maxLagMs: ms(lagSorted.at(-1) ?? NaN),
    // The median over streams, as the path table's TTFB p50: one late stream on a busy machine is not the relay.
    firstWriteLagP50Ms: ms(median(sorted(firstLags))),
    firstWriteLagMaxMs: ms(Math.max(...firstLags)),
    clientMaxLagMs: ms(Math.max(...clientLags)),
    lagMeasuredOn: passThrough ? 'every event (by bytes)' : 'text deltas (by markers), first and last write',
  };
}

function round(n, digits = 1) {
  const f = 10 ** digits;
  return Math.round(n * f) / f;
}

function sleep(ms) {
  return new Promise((resolve) => setTimeout(resolve, ms));
}

/**
 * The streaming and memory targets as one table: each row a check on one path, the bare proxy's
 * value beside Localgate's, the target, and whether Localgate meets it. `memory`: bench/daemon-memory.js.
 */
export function printStreamsTable({ streams, memory }) {
  const rows = [];
  const verdict = (ok) => (ok === undefined ? '' : ok ? 'ok' : 'MISS');
  const gap = streams?.options.gapMs;
  for (const row of streams?.writes ?? []) {
    const { bare, localgate } = row;
    const kind = row.passThrough ? 'pass-through' : 'translated';
    rows.push(
      ['writes per upstream event', row.path, bare.writesPerEvent, localgate.writesPerEvent, row.passThrough ? '= 1' : '≤ 1', verdict(row.passThrough ? localgate.writesPerEvent === 1 : localgate.writesPerEvent <= 1)],
      ['  writes carrying 2+ events', row.path, bare.coalescedWrites, localgate.coalescedWrites, '0', verdict(localgate.coalescedWrites === 0)],
      [`  lag ms p50 / max (${kind === 'pass-through' ? 'every event' : 'deltas, first, last'})`, row.path, `${bare.p50LagMs} / ${bare.maxLagMs}`, `${localgate.p50LagMs} / ${localgate.maxLagMs}`, `max < ${gap} (the gap)`, verdict(localgate.maxLagMs < gap)],
      ['  first write lag ms p50', row.path, bare.firstWriteLagP50Ms, localgate.firstWriteLagP50Ms, 'bare + 0.5', verdict(localgate.firstWriteLagP50Ms <= bare.firstWriteLagP50Ms + 0.5)],
      ['  client: max lag ms, reads/event', row.path, `${bare.clientMaxLagMs}, ${bare.clientChunksPerEvent}`, `${localgate.clientMaxLagMs}, ${localgate.clientChunksPerEvent}`, '', ''],
    );
    if (bare.errors || localgate.errors) rows.push(['  errors', row.path, bare.errors, localgate.errors, '0', verdict(localgate.errors === 0)]);
  }
  for (const row of streams?.open ?? []) {
    const { bare, localgate } = row;
    const target = streams.options.targets.heapPerStreamKB;
    rows.push(
      [`${row.streams} open streams: heap KB each`, row.path, bare.perStreamKB, localgate.perStreamKB, `≤ ${target}`, verdict(localgate.open === row.streams && localgate.perStreamKB <= target)],
      ['  kept after release KB', row.path, bare.retainedKB, localgate.retainedKB, `< ${row.streams} (1 KB each)`, verdict(localgate.drained && localgate.retainedKB < row.streams)],
    );
    if (bare.errors || localgate.errors) rows.push(['  streams that did not open', row.path, bare.errors, localgate.errors, '0', verdict(localgate.errors === 0)]);
  }
  if (memory) {
    const { bare, localgate, options } = memory;
    rows.push(
      ['idle RSS MB (own process)', '', bare.idleRssMB, localgate.idleRssMB, `≤ ${options.targets.idleRssMB}`, verdict(localgate.idleRssMB <= options.targets.idleRssMB)],
      [`peak RSS MB, ${options.connections}-conn json`, '', bare.peakRssMB.json, localgate.peakRssMB.json, `≤ ${options.targets.peakRssMB}`, verdict(localgate.peakRssMB.json === undefined ? undefined : localgate.peakRssMB.json <= options.targets.peakRssMB)],
      [`peak RSS MB, ${options.connections}-conn sse`, '', bare.peakRssMB.sse, localgate.peakRssMB.sse, `≤ ${options.targets.peakRssMB}`, verdict(localgate.peakRssMB.sse === undefined ? undefined : localgate.peakRssMB.sse <= options.targets.peakRssMB)],
    );
  }
  const intro = [
    streams && `paced upstream: ${streams.options.textDeltas} text deltas and their framing events, ${gap} ms apart, ${streams.options.streams} streams per path and proxy; ${streams.options.heldStreams} streams held open at once`,
    memory && `memory: each proxy in its own process, ${memory.options.count} requests per load`,
  ].filter(Boolean);
  console.log(`\nStreaming and memory targets — ${intro.join('; ')}\n`);
  const header = ['check', 'path', 'bare', 'localgate', 'target', 'localgate'];
  const cells = rows.map((r) => r.map((c) => (c === undefined || (typeof c === 'number' && Number.isNaN(c)) ? '-' : String(c))));
  const widths = header.map((h, i) => Math.max(h.length, ...cells.map((c) => c[i].length)));
  const line = (c) => c.map((cell, i) => (i === 2 || i === 3 ? cell.padStart(widths[i]) : cell.padEnd(widths[i]))).join('  ').trimEnd();
  console.log(line(header));
  console.log(widths.map((w) => '-'.repeat(w)).join('  '));
  for (const c of cells) console.log(line(c));
  console.log(`\nlag: the proxy's write of an event − the upstream's send of it (main-thread clocks); heap: heapUsed + external of the proxies' thread after GC`);
}
