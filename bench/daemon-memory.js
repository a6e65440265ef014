// The daemon's memory targets (issue 9), in its own process: idle RSS, and peak RSS under the
// 50-connection json and sse loads. Why a separate process: in bench/run.js the proxies share one
// process with both proxies under test and the worker threads (upstream, load generator), so its
// RSS — "rss after MB" in the 50-connection table — is all of them together. Here a real
// `localgate serve` (the built CLI, a throwaway LOCALGATE_HOME, one OpenAI account on the bench's
// upstream) and a bare node:http proxy each run alone, and the kernel's own high-water mark of
// their resident set (VmHWM in /proc/<pid>/status: the peak, not a sample of it) is read after
// each load. Linux only (elsewhere the peak is missing and idle RSS comes from `ps`).

import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { IDLE_MS, freePort, peakResidentMB, residentMB, runCli, startBareProxyProcess, startServe } from './startup.js';

export const MEMORY_TARGETS = { idleRssMB: 60, peakRssMB: 150 };

/**
 * Idle RSS, then VmHWM after each of the `json` and `sse` loads at `load.connections`, for the
 * daemon and the bare proxy. `runJob`: the load worker's job runner (bench/run.js); `load`:
 * { count, warmup, maxMs, connections }.
 */
export async function runDaemonMemory({ upstreamOrigin, upstreamPort, runJob, load, log = (line) => process.stderr.write(`${line}\n`) }) {
  const home = fs.mkdtempSync(path.join(os.tmpdir(), 'localgate-bench-memory-'));
  const rows = {};
  try {
    const port = await freePort();
    await runCli(['config', 'set', `port=${port}`, 'auth_mode=off'], home);
    await runCli(['accounts', 'add', '--provider', 'openai', '--base-url', `${upstreamOrigin}/v1`, '--api-key', 'sk-bench-memory-key', '--label', 'bench', '--models', 'gpt-4o-mini'], home);
    const daemon = startServe(home);
    try {
      await daemon.untilHealthy(port);
      rows.localgate = await measure(daemon.child.pid, `http://127.0.0.1:${port}`, runJob, load);
    } finally {
      await daemon.stop();
    }
    const bare = await startBareProxyProcess(upstreamPort);
    try {
      rows.bare = await measure(bare.child.pid, bare.origin, runJob, load);
    } finally {
      bare.stop();
    }
  } finally {
    fs.rmSync(home, { recursive: true, force: true });
  }
  for (const target of ['bare', 'localgate']) {
    const r = rows[target];
    log(`  memory   ${target.padEnd(10)} idle ${r.idleRssMB} MB, peak json ${r.peakRssMB.json} MB, peak sse ${r.peakRssMB.sse} MB${r.errors ? `, errors ${r.errors}` : ''}`);
  }
  return { options: { ...load, idleMs: IDLE_MS, targets: MEMORY_TARGETS }, ...rows };
}

async function measure(pid, origin, runJob, { count, warmup, maxMs, connections }) {
  await sleep(IDLE_MS);
  const idleRssMB = await residentMB(pid);
  const peakRssMB = {};
  let errors = 0;
  for (const scenario of ['json', 'sse']) {
    const run = await runJob({ origin, path: '/v1/chat/completions', stream: scenario === 'sse', warmup, count, maxMs, connections });
    errors += run.errors;
    peakRssMB[scenario] = peakResidentMB(pid);
  }
  return { idleRssMB, peakRssMB, rssAfterMB: await residentMB(pid), errors };
}

function sleep(ms) {
  return new Promise((resolve) => setTimeout(resolve, ms));
}
