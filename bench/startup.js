// Start-up costs of the built CLI, each a median of N fresh processes (BENCH_STARTUP_RUNS, 10):
//   --version, status (no daemon / daemon running), serve → first 200 from /healthz,
//   the native relay's answer to one framed proxy.status (daemon running / relay starts it),
//   and the resident memory of an idle daemon against an idle bare Node proxy.
// Everything runs as child processes on 127.0.0.1 with throwaway LOCALGATE_HOMEs; every child
// is killed after CHILD_TIMEOUT_MS, so the section is bounded even when something hangs.

import { spawn } from 'node:child_process';
import fs from 'node:fs';
import http from 'node:http';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

/** BENCH_CLI measures another build (e.g. an older checkout's bin/localgate.js) the same way. */
const CLI = process.env.BENCH_CLI ? path.resolve(process.env.BENCH_CLI) : fileURLToPath(new URL('../bin/localgate.js', import.meta.url));
/** The Chromium caller origin the relay accepts (shared/extension-identity.ts). */
const EXTENSION_ORIGIN = 'chrome-extension://mdondbjfkknahgioopfccablmlamlbim/';
const CHILD_TIMEOUT_MS = 15_000;
/** How long a daemon sits idle before its RSS is read: past start-up work and the first GCs. */
export const IDLE_MS = 2_000;

/**
 * Runs the start-up section. Returns `{ rows, options }`: each row `{ key, label, unit, runs,
 * median, min, max, samples }` (ms, or MB for memory).
 */
export async function runStartupBench({ runs = 10, rssRuns = 3, log = (line) => process.stderr.write(`${line}\n`) } = {}) {
  const homes = [];
  const freshHome = () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'localgate-bench-startup-'));
    homes.push(dir);
    return dir;
  };
  const rows = [];
  const measure = async (key, label, unit, count, once) => {
    const samples = [];
    for (let i = 0; i < count; i++) samples.push(await once());
    const row = { key, label, unit, runs: count, ...stats(samples), samples: samples.map((s) => round(s, 1)) };
    rows.push(row);
    log(`  startup  ${label.padEnd(44)} median ${row.median} ${unit}`);
    return row;
  };
  const daemons = [];
  const rss = [];
  try {
    // A data dir with one account (never contacted: /healthz does not reach upstreams) and a
    // fixed free proxy port; each serve run gets its own copy, so every start is a first start.
    const template = freshHome();
    const proxyPort = await freePort();
    await runCli(['config', 'set', `port=${proxyPort}`], template);
    await runCli(['accounts', 'add', '--provider', 'openai', '--base-url', 'http://127.0.0.1:9/v1', '--api-key', 'sk-bench-startup-key', '--label', 'bench'], template);
    const copyOfTemplate = () => {
      const dir = freshHome();
      fs.cpSync(template, dir, { recursive: true });
      return dir;
    };

    await measure('nodeFloor', 'node -e 0 (the floor for any Node CLI)', 'ms', runs, () => timeExit([process.execPath, '-e', '0'], template));
    const stripped = strippedStartVars();
    if (stripped.length > 0) {
      await measure('nodeFloorMachineEnv', `node -e 0 with this machine's ${stripped.join(', ')}`, 'ms', runs, () =>
        timeExit([process.execPath, '-e', '0'], template, { keepMachineVars: true }),
      );
    }
    await measure('version', 'localgate --version', 'ms', runs, () => timeExit([process.execPath, CLI, '--version'], template));
    await measure('statusNoDaemon', 'localgate status (no daemon)', 'ms', runs, () => timeExit([process.execPath, CLI, 'status'], freshHome()));

    await measure('serveHealthy', 'localgate serve → 200 /healthz', 'ms', runs, async () => {
      const daemon = startServe(copyOfTemplate());
      daemons.push(daemon);
      try {
        const ms = await daemon.untilHealthy(proxyPort);
        if (rss.length < rssRuns) {
          await sleep(IDLE_MS);
          rss.push(await residentMB(daemon.child.pid));
        }
        return ms;
      } finally {
        await daemon.stop();
      }
    });
    const bareRss = [];
    for (let i = 0; i < rssRuns; i++) bareRss.push(await idleBareProxyRss());
    rows.push({ key: 'idleRss', label: 'idle daemon RSS (one account, proxy up)', unit: 'MB', runs: rss.length, ...stats(rss), samples: rss });
    rows.push({ key: 'idleRssBare', label: 'idle bare Node proxy RSS (node:http)', unit: 'MB', runs: bareRss.length, ...stats(bareRss), samples: bareRss });
    log(`  startup  idle RSS: daemon ${stats(rss).median} MB, bare Node proxy ${stats(bareRss).median} MB`);

    // With a daemon running: the popup's usual case.
    const home = copyOfTemplate();
    const daemon = startServe(home);
    daemons.push(daemon);
    await daemon.untilHealthy(proxyPort);
    await measure('statusDaemon', 'localgate status (daemon running)', 'ms', runs, () => timeExit([process.execPath, CLI, 'status'], home));
    await measure('nativeDaemon', 'native relay → status reply (daemon running)', 'ms', runs, () => timeNativeStatus(home));
    await daemon.stop();

    // The popup's first open: the relay starts the daemon, then relays.
    await measure('nativeNoDaemon', 'native relay → status reply (starts daemon)', 'ms', runs, async () => {
      const dir = copyOfTemplate();
      try {
        return await timeNativeStatus(dir);
      } finally {
        await stopDaemonOf(dir);
      }
    });
  } finally {
    for (const daemon of daemons) await daemon.stop();
    for (const dir of homes) {
      await stopDaemonOf(dir);
      fs.rmSync(dir, { recursive: true, force: true });
    }
  }
  return { rows, options: { runs, rssRuns: rss.length, idleMs: IDLE_MS, withoutEnv: strippedStartVars() } };
}

export function printStartupTable({ rows, options }, machine) {
  console.log(
    `\nLocalgate start-up — ${machine.cpus} CPU (${machine.cpuModel}), Node ${machine.node}; ` +
      `median of ${options.runs} fresh processes (RSS: ${options.rssRuns} daemons, read after ${options.idleMs / 1000} s idle)` +
      (options.withoutEnv?.length ? `; rows run without this machine's ${options.withoutEnv.join(', ')} unless they say otherwise` : '') +
      (options.popupRuns ? `; popup rows: median of ${options.popupRuns} browsers, each on a fresh profile (bench/popup-startup.js)` : '') +
      '\n',
  );
  // Rows with a target (row.target, an upper bound in the row's unit) say whether the median meets it.
  const withTargets = rows.some((row) => row.target !== undefined);
  const header = ['metric', 'median', 'min', 'max', 'unit', ...(withTargets ? ['target', 'verdict'] : [])];
  const targetCells = (row) => (row.target === undefined ? ['', ''] : [`≤ ${row.target}`, row.median <= row.target ? 'ok' : 'MISS']);
  const cells = rows.map((row) => [row.label, String(row.median), String(row.min), String(row.max), row.unit, ...(withTargets ? targetCells(row) : [])]);
  const widths = header.map((h, i) => Math.max(h.length, ...cells.map((c) => c[i].length)));
  const line = (c) => c.map((cell, i) => (i === 0 || i >= 4 ? cell.padEnd(widths[i]) : cell.padStart(widths[i]))).join('  ').trimEnd();
  console.log(line(header));
  console.log(widths.map((w) => '-'.repeat(w)).join('  '));
  for (const c of cells) console.log(line(c));
}

// ---------------------------------------------------------------------------------------------

/**
 * NODE_EXTRA_CA_CERTS makes every Node process read and parse a certificate bundle before any of
 * its own code runs (about 50 ms per start on the bench machine, whose sandbox sets it for a TLS
 * proxy). It is the machine's cost, not Localgate's, and a user's machine seldom sets it, so the
 * start-up rows run without it; the floor is also measured with it (a row of its own) so the
 * table shows what it costs. BENCH_KEEP_ENV=1 keeps it for every row.
 */
export const MACHINE_START_COST_VARS = ['NODE_EXTRA_CA_CERTS'];
export const strippedStartVars = () => (process.env.BENCH_KEEP_ENV === '1' ? [] : MACHINE_START_COST_VARS.filter((name) => process.env[name]));

export function childEnv(home, { keepMachineVars = false } = {}) {
  const env = { ...process.env, LOCALGATE_HOME: home };
  delete env.LOCALGATE_CONTROL_PORT;
  if (!keepMachineVars) for (const name of strippedStartVars()) delete env[name];
  return env;
}

/** Wall time from spawn to exit of one process; a non-zero exit fails the bench. */
function timeExit([command, ...args], home, envOptions) {
  return new Promise((resolve, reject) => {
    const started = performance.now();
    const child = spawn(command, args, { env: childEnv(home, envOptions), stdio: ['ignore', 'ignore', 'pipe'] });
    let stderr = '';
    child.stderr.on('data', (chunk) => (stderr += chunk));
    const timer = setTimeout(() => child.kill('SIGKILL'), CHILD_TIMEOUT_MS);
    child.once('error', reject);
    child.once('exit', (code, signal) => {
      const ms = performance.now() - started;
      clearTimeout(timer);
      if (code === 0) resolve(ms);
      else reject(new Error(`${args.join(' ')} exited ${code ?? signal}: ${stderr.trim()}`));
    });
  });
}

export async function runCli(args, home) {
  await timeExit([process.execPath, CLI, ...args], home);
}

/** `localgate serve` in the background: time to its first 200 from /healthz, and a clean stop. */
export function startServe(home) {
  const started = performance.now();
  const child = spawn(process.execPath, [CLI, 'serve'], { env: childEnv(home), stdio: 'ignore' });
  const exited = new Promise((resolve) => child.once('exit', resolve));
  let alive = true;
  exited.then(() => (alive = false));
  const killer = setTimeout(() => child.kill('SIGKILL'), 4 * CHILD_TIMEOUT_MS);
  return {
    child,
    async untilHealthy(port) {
      const deadline = started + CHILD_TIMEOUT_MS;
      while (performance.now() < deadline) {
        if (!alive) throw new Error('localgate serve exited before /healthz answered');
        if ((await healthzStatus(port)) === 200) return performance.now() - started;
        await sleep(2);
      }
      throw new Error(`localgate serve: no 200 from /healthz within ${CHILD_TIMEOUT_MS / 1000} s`);
    },
    async stop() {
      if (alive) child.kill('SIGTERM');
      await Promise.race([exited, sleep(CHILD_TIMEOUT_MS)]);
      if (alive) child.kill('SIGKILL');
      clearTimeout(killer);
    },
  };
}

export function healthzStatus(port) {
  return new Promise((resolve) => {
    const request = http.get({ host: '127.0.0.1', port, path: '/healthz', agent: false }, (response) => {
      response.resume();
      response.once('end', () => resolve(response.statusCode));
    });
    request.once('error', () => resolve(0));
    request.setTimeout(1_000, () => request.destroy());
  });
}

/**
 * Spawns `localgate native` as Chromium does (caller origin in argv, pipes on stdio), writes one
 * framed `proxy.status` request and times the reply frame. Ends stdin afterwards, so the relay exits.
 */
function timeNativeStatus(home) {
  return new Promise((resolve, reject) => {
    const started = performance.now();
    const child = spawn(process.execPath, [CLI, 'native', EXTENSION_ORIGIN], { env: childEnv(home), stdio: ['pipe', 'pipe', 'ignore'] });
    const timer = setTimeout(() => child.kill('SIGKILL'), CHILD_TIMEOUT_MS);
    let buffered = Buffer.alloc(0);
    let done = false;
    const finish = (error, ms) => {
      if (done) return;
      done = true;
      child.stdin.end();
      child.once('exit', () => clearTimeout(timer));
      if (error) reject(error);
      else resolve(ms);
    };
    child.once('error', (error) => finish(error));
    child.once('exit', (code) => finish(new Error(`localgate native exited (${code}) before replying`)));
    child.stdout.on('data', (chunk) => {
      buffered = Buffer.concat([buffered, chunk]);
      while (buffered.length >= 4 && buffered.length >= 4 + buffered.readUInt32LE(0)) {
        const length = buffered.readUInt32LE(0);
        const message = JSON.parse(buffered.subarray(4, 4 + length).toString('utf8'));
        buffered = buffered.subarray(4 + length);
        if (message.id !== 'bench') continue; // a pushed event
        const ms = performance.now() - started;
        finish(message.ok ? undefined : new Error(`native status failed: ${JSON.stringify(message.error)}`), ms);
      }
    });
    const json = Buffer.from(JSON.stringify({ id: 'bench', type: 'proxy.status' }));
    const frame = Buffer.alloc(4 + json.length);
    frame.writeUInt32LE(json.length, 0);
    json.copy(frame, 4);
    child.stdin.write(frame);
  });
}

/** Stops a daemon the relay started detached in `home` (daemon.json names it), and waits for it. */
export async function stopDaemonOf(home) {
  let pid;
  try {
    pid = JSON.parse(fs.readFileSync(path.join(home, 'daemon.json'), 'utf8')).pid;
  } catch {
    return;
  }
  const alive = () => {
    try {
      process.kill(pid, 0);
      return true;
    } catch {
      return false;
    }
  };
  if (!alive()) return;
  process.kill(pid, 'SIGTERM');
  const deadline = Date.now() + CHILD_TIMEOUT_MS;
  while (alive() && Date.now() < deadline) await sleep(20);
  if (alive()) process.kill(pid, 'SIGKILL');
}

/** An idle node:http reverse proxy in its own process (the floor for a Node proxy's memory). */
async function idleBareProxyRss() {
  const proxy = await startBareProxyProcess(9);
  try {
    await sleep(IDLE_MS);
    return residentMB(proxy.child.pid);
  } finally {
    proxy.stop();
  }
}

/**
 * A bare node:http reverse proxy (pipe in, pipe out, keep-alive agent) to 127.0.0.1:`upstreamPort`,
 * in its own process: `{ child, origin, stop() }` once it listens. Killed after CHILD_TIMEOUT_MS × 4
 * whatever happens.
 */
export async function startBareProxyProcess(upstreamPort) {
  const source = `
    const http = require('node:http');
    const agent = new http.Agent({ keepAlive: true, maxSockets: 256 });
    const server = http.createServer({ keepAliveTimeout: 60000 }, (req, res) => {
      const up = http.request({ host: '127.0.0.1', port: ${Number(upstreamPort)}, method: req.method, path: req.url, headers: req.headers, agent }, (r) => { res.writeHead(r.statusCode, r.headers); r.pipe(res); });
      up.on('error', () => { if (!res.headersSent) res.writeHead(502).end(); else res.destroy(); });
      req.pipe(up);
    }).listen(0, '127.0.0.1', () => console.log(server.address().port));`;
  const child = spawn(process.execPath, ['-e', source], { stdio: ['ignore', 'pipe', 'ignore'] });
  const timer = setTimeout(() => child.kill('SIGKILL'), 4 * CHILD_TIMEOUT_MS);
  const stop = () => {
    clearTimeout(timer);
    child.kill('SIGKILL');
  };
  try {
    const port = await new Promise((resolve, reject) => {
      child.stdout.once('data', (line) => resolve(Number(String(line).trim())));
      child.once('exit', () => reject(new Error('the bare proxy exited')));
    });
    return { child, origin: `http://127.0.0.1:${port}`, stop };
  } catch (error) {
    stop();
    throw error;
  }
}

/** The peak resident set size of a live process so far (Linux VmHWM), in MB; undefined elsewhere. */
export function peakResidentMB(pid) {
  return procStatusMB(pid, 'VmHWM');
}

/** Resident set size of a process, in MB (Linux /proc; `ps` elsewhere). */
export function residentMB(pid) {
  const fromProc = procStatusMB(pid, 'VmRSS');
  if (fromProc !== undefined) return fromProc;
  return new Promise((resolve, reject) => {
    const ps = spawn('ps', ['-o', 'rss=', '-p', String(pid)], { stdio: ['ignore', 'pipe', 'ignore'] });
    let out = '';
    ps.stdout.on('data', (chunk) => (out += chunk));
    ps.once('error', reject);
    ps.once('exit', () => resolve(round(Number(out.trim()) / 1024, 1)));
  });
}

/** A `kB` field of /proc/<pid>/status, in MB; undefined where there is no /proc (not Linux). */
function procStatusMB(pid, field) {
  try {
    const match = new RegExp(`${field}:\\s+(\\d+) kB`).exec(fs.readFileSync(`/proc/${pid}/status`, 'utf8'));
    if (match) return round(Number(match[1]) / 1024, 1);
  } catch {
    // Not Linux.
  }
  return undefined;
}

/** A loopback port that was free a moment ago (the OS picks it; released for the caller to bind). */
export function freePort() {
  return new Promise((resolve, reject) => {
    const server = net.createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address();
      server.close(() => resolve(port));
    });
  });
}

export function stats(samples) {
  const sorted = [...samples].sort((a, b) => a - b);
  const middle = Math.floor(sorted.length / 2);
  const median = sorted.length % 2 ? sorted[middle] : (sorted[middle - 1] + sorted[middle]) / 2;
  return { median: round(median, 1), min: round(sorted[0], 1), max: round(sorted.at(-1), 1) };
}

function round(n, digits) {
  const f = 10 ** digits;
  return Math.round(n * f) / f;
}

function sleep(ms) {
  return new Promise((resolve) => setTimeout(resolve, ms));
}
