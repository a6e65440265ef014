// The request-path rows' load generator where wrk is installed (Debian: apt-get install wrk): one
// wrk thread in its own process, pinned to CPU 1 beside the fake upstream, for a fixed time.
//
// Why wrk and not the JS load generator (the worker thread in run.js): a JS client costs about as
// much CPU per request as the proxy it measures. On CPU 1 beside the upstream it could not keep
// the proxies busy (the bare proxy's core sat at ~75 %), so every request paid the same idle
// wake-ups on both proxies, which inflated both CPU-per-request figures alike and pulled the
// ratios toward 1. wrk, the tool the targets were set with, keeps the proxy's core saturated.
//
// The child is spawned asynchronously: the proxies under test run on this (the main) thread.

import { spawn, spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';

/** True where a `wrk` binary runs (and BENCH_LOAD is not `js`). */
export function wrkAvailable() {
  if (process.env.BENCH_LOAD === 'js') return false;
  const probe = spawnSync('wrk', ['--version'], { stdio: 'ignore' });
  // wrk --version prints its banner and exits 1; a missing binary fails to spawn at all.
  return !probe.error;
}

/**
 * Runs `connections` connections of POSTs of `body` to origin+path for `seconds`. Resolves with
 * `{ elapsedMs, requests, errors, lastError, p50Ms, p99Ms }`; `requests` counts 2xx answers only.
 */
export async function runWrk({ origin, path: requestPath, headers = {}, body, connections, seconds, pinCpu }) {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'localgate-bench-wrk-'));
  try {
    const script = path.join(dir, 'request.lua');
    fs.writeFileSync(script, luaRequest({ 'content-type': 'application/json', ...headers }, body));
    const args = ['-t1', `-c${connections}`, `-d${seconds}s`, '--latency', '-s', script, `${origin}${requestPath}`];
    const command = pinCpu === undefined ? ['wrk', args] : ['taskset', ['-c', String(pinCpu), 'wrk', ...args]];
    const output = await run(...command);
    return parseWrk(output, seconds);
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

/** A wrk script that sends one fixed request; the body goes in a Lua long string. */
function luaRequest(headers, body) {
  let level = '=';
  while (body.includes(`]${level}]`)) level += '=';
  const lines = ['wrk.method = "POST"', `wrk.body = [${level}[${body}]${level}]`];
  for (const [name, value] of Object.entries(headers)) lines.push(`wrk.headers[${JSON.stringify(name)}] = ${JSON.stringify(value)}`);
  return `${lines.join('\n')}\n`;
}

function run(file, args) {
  return new Promise((resolve, reject) => {
    const child = spawn(file, args, { stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (chunk) => (stdout += chunk));
    child.stderr.on('data', (chunk) => (stderr += chunk));
    child.once('error', reject);
    child.once('close', (code) => (code === 0 ? resolve(stdout) : reject(new Error(`wrk exited ${code}: ${stderr || stdout}`))));
  });
}

/** Reads wrk's report: totals, the non-2xx and socket-error counts, the 50 % and 99 % latencies. */
export function parseWrk(output, seconds) {
  const total = /(\d+) requests in ([\d.]+)(us|ms|s|m)/.exec(output);
  if (!total) throw new Error(`unreadable wrk output:\n${output}`);
  const all = Number(total[1]);
  const elapsedMs = toMs(Number(total[2]), total[3]) || seconds * 1000;
  const non2xx = Number(/Non-2xx or 3xx responses: (\d+)/.exec(output)?.[1] ?? 0);
  const socket = /Socket errors: connect (\d+), read (\d+), write (\d+), timeout (\d+)/.exec(output);
  const socketErrors = socket ? socket.slice(1).reduce((sum, n) => sum + Number(n), 0) : 0;
  const errors = non2xx + socketErrors;
  return {
    elapsedMs,
    requests: all - non2xx,
    errors,
    lastError: errors ? (non2xx ? `${non2xx} non-2xx answers` : socket[0]) : undefined,
    p50Ms: percentile(output, '50%'),
    p99Ms: percentile(output, '99%'),
  };
}

function percentile(output, label) {
  const match = new RegExp(`^\\s*${label}\\s+([\\d.]+)(us|ms|s)\\s*$`, 'm').exec(output);
  return match ? toMs(Number(match[1]), match[2]) : NaN;
}

function toMs(value, unit) {
  return unit === 'us' ? value / 1000 : value * { ms: 1, s: 1000, m: 60_000 }[unit];
}
