// The popup's first open (issue 9: "the popup shows the proxy's state ≤ 500 ms after its first open
// with the daemon not yet running"), in headless Chromium with the built extension and the real
// native host (test/e2e/chromium-launch.js, as the browser tests launch it). Every run has a fresh
// browser profile and a fresh copy of a data dir with one account, and no daemon when it begins:
//
//   browser start   the browser starts; its background worker connects to the native host at once,
//                   and the relay starts the daemon. The popup is opened as soon as the browser is
//                   up (Playwright's launch has returned), as a user who opens it right away.
//   daemon stopped  the browser has been running, the daemon was stopped (`localgate shutdown`, a
//                   crash): the relay exited with it, and the worker, which reconnects only when
//                   asked, shows `!` on the toolbar. Opening the popup connects the worker again,
//                   whose relay starts the daemon: nothing of the daemon runs when the popup opens.
//
// Timed inside the popup page: from its navigation start (performance.timeOrigin) to the moment
// #proxy-state shows a state (running / stopped), seen by a MutationObserver installed before the
// page's own scripts. Each run also records whether the daemon was already healthy when the popup
// was opened (a live daemon.json and a 200 from /healthz) and, for "browser start", the same moment
// counted from the browser's launch.

import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { EXTENSION_DIR, REPO_ROOT, findChromium, launchWithExtension } from '../test/e2e/chromium-launch.js';
import { childEnv, freePort, healthzStatus, runCli, stats, stopDaemonOf } from './startup.js';

/** Issue 9's target for both rows. */
export const POPUP_STATE_TARGET_MS = 500;
/** The Chromium extension ID (shared/extension-identity.ts: pinned by the manifest key). */
const EXTENSION_ID = 'mdondbjfkknahgioopfccablmlamlbim';
const POPUP_URL = `chrome-extension://${EXTENSION_ID}/popup.html`;
const WAIT_MS = 20_000;
/** What the extension build is made from: a change to any of these makes .output stale. */
const EXTENSION_INPUTS = ['extension', 'shared', 'wxt.config.ts', 'package.json', 'package-lock.json'];

/**
 * Runs both cases `runs` times each, alternating, and returns start-up rows (bench/startup.js),
 * or no rows (with a loud line) where there is no Chromium.
 */
export async function runPopupStartupBench({ runs = 10, log = (line) => process.stderr.write(`${line}\n`) } = {}) {
  const executable = findChromium();
  if (!executable) {
    log('  startup  !!! Chromium is not installed (apt-get install chromium): the popup rows are NOT measured');
    return [];
  }
  ensureExtensionBuild(log);
  const homes = [];
  const fresh = (prefix) => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), prefix));
    homes.push(dir);
    return dir;
  };
  const samples = { browserStart: [], fromLaunch: [], daemonStopped: [] };
  const healthyAtOpen = { browserStart: 0, daemonStopped: 0 };
  try {
    const template = fresh('localgate-bench-popup-');
    const proxyPort = await freePort();
    await runCli(['config', 'set', `port=${proxyPort}`], template);
    await runCli(['accounts', 'add', '--provider', 'openai', '--base-url', 'http://127.0.0.1:9/v1', '--api-key', 'sk-bench-popup-key', '--label', 'bench'], template);
    const setUp = async () => {
      const home = fresh('localgate-bench-popup-home-');
      fs.cpSync(template, home, { recursive: true });
      const profile = fresh('localgate-bench-popup-profile-');
      await runCli(['install-native-host', '--browser', 'chromium', '--user-data-dir', profile], home);
      return { home, profile, proxyPort, executable };
    };
    // Untimed: the first launch on this machine reads Chromium from disk (5.5 s against 0.7 s).
    await openPopup(await setUp(), { stopDaemonFirst: false });
    for (let i = 0; i < runs; i++) {
      const started = await openPopup(await setUp(), { stopDaemonFirst: false });
      samples.browserStart.push(started.stateMs);
      samples.fromLaunch.push(started.fromLaunchMs);
      if (started.daemonHealthyAtOpen) healthyAtOpen.browserStart++;
      const stopped = await openPopup(await setUp(), { stopDaemonFirst: true });
      samples.daemonStopped.push(stopped.stateMs);
      if (stopped.daemonHealthyAtOpen) healthyAtOpen.daemonStopped++;
      log(
        `  startup  popup run ${i + 1}: browser start ${round(started.stateMs)} ms (${round(started.fromLaunchMs)} ms from launch, daemon ${started.daemonHealthyAtOpen ? '' : 'not '}healthy at open), ` +
          `daemon stopped ${round(stopped.stateMs)} ms`,
      );
    }
  } finally {
    for (const dir of homes) {
      await stopDaemonOf(dir);
      fs.rmSync(dir, { recursive: true, force: true });
    }
  }
  const row = (key, label, values, extra) => ({ key, label, unit: 'ms', runs: values.length, ...stats(values), samples: values.map((v) => round(v)), ...extra });
  const upAtOpen = (count) => `daemon up at open ${count}/${runs}`;
  return [
    row('popupBrowserStart', `popup open → proxy state (browser start; ${upAtOpen(healthyAtOpen.browserStart)})`, samples.browserStart, {
      target: POPUP_STATE_TARGET_MS,
      daemonHealthyAtOpen: healthyAtOpen.browserStart,
    }),
    row('popupBrowserStartFromLaunch', '  the same, counted from the browser launch', samples.fromLaunch),
    row('popupDaemonStopped', `popup open → proxy state (daemon stopped; ${upAtOpen(healthyAtOpen.daemonStopped)})`, samples.daemonStopped, {
      target: POPUP_STATE_TARGET_MS,
      daemonHealthyAtOpen: healthyAtOpen.daemonStopped,
    }),
  ];
}

/**
 * One browser: launched on a fresh profile, the popup opened in a tab (as the browser tests do;
 * the toolbar popup is the same page), timed, and everything stopped again.
 */
async function openPopup({ home, profile, proxyPort, executable }, { stopDaemonFirst }) {
  const launchedAt = Date.now();
  const context = await launchWithExtension(executable, profile, childEnv(home));
  try {
    if (stopDaemonFirst) {
      const worker = context.serviceWorkers()[0] ?? (await context.waitForEvent('serviceworker', { timeout: WAIT_MS }));
      const badge = () => worker.evaluate(() => chrome.action.getBadgeText({}));
      // The worker has shown the running proxy's port: the daemon is up and the worker knows it.
      await until(async () => (await badge()) === String(proxyPort), 'the toolbar badge to show the running proxy');
      await stopDaemonOf(home);
      // `!`: the relay went with the daemon and the worker has seen its port close.
      await until(async () => (await badge()) === '!', 'the toolbar badge to show the lost daemon');
    }
    const page = await context.newPage();
    await page.addInitScript(markProxyStateShown);
    const daemonFileAtOpen = liveDaemonPid(home) !== undefined;
    const healthzAtOpen = healthzStatus(proxyPort);
    await page.goto(POPUP_URL, { waitUntil: 'commit' });
    const daemonHealthyAtOpen = daemonFileAtOpen && (await healthzAtOpen) === 200;
    await page.waitForFunction(() => globalThis.__benchProxyStateShownAt !== undefined, undefined, { timeout: WAIT_MS });
    const { timeOrigin, shownAt } = await page.evaluate(() => ({ timeOrigin: performance.timeOrigin, shownAt: globalThis.__benchProxyStateShownAt }));
    return { stateMs: shownAt, fromLaunchMs: timeOrigin + shownAt - launchedAt, daemonHealthyAtOpen };
  } finally {
    await context.close();
    // Measured already: no need for the daemon's graceful stop (1–2 s here).
    killDaemonOf(home);
  }
}

/** Runs in the popup before its own scripts: notes when #proxy-state first has text. */
function markProxyStateShown() {
  const check = () => {
    if (globalThis.__benchProxyStateShownAt !== undefined || !document.querySelector('#proxy-state')?.textContent) return;
    globalThis.__benchProxyStateShownAt = performance.now();
    observer.disconnect();
  };
  const observer = new MutationObserver(check);
  observer.observe(document, { subtree: true, childList: true, characterData: true });
}

function killDaemonOf(home) {
  const pid = liveDaemonPid(home);
  if (pid !== undefined) process.kill(pid, 'SIGKILL');
}

function liveDaemonPid(home) {
  try {
    const { pid } = JSON.parse(fs.readFileSync(path.join(home, 'daemon.json'), 'utf8'));
    process.kill(pid, 0);
    return pid;
  } catch {
    return undefined;
  }
}

async function until(predicate, what) {
  const deadline = Date.now() + WAIT_MS;
  while (Date.now() < deadline) {
    if (await predicate()) return;
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
  throw new Error(`popup bench: waited ${WAIT_MS / 1000} s for ${what}`);
}

/**
 * The popup rows load the built extension: builds it (wxt build, a few seconds) when .output is
 * missing or older than any of its sources, so the bench never times yesterday's popup.
 */
function ensureExtensionBuild(log) {
  const built = mtimeOf(path.join(EXTENSION_DIR, 'manifest.json'));
  const newest = Math.max(...EXTENSION_INPUTS.map((input) => newestMtime(path.join(REPO_ROOT, input))));
  if (built !== undefined && built >= newest) return;
  log(`  startup  building the extension (${built === undefined ? 'no build' : 'sources changed since the build'}): wxt build`);
  const wxt = path.join(REPO_ROOT, 'node_modules', 'wxt', 'bin', 'wxt.mjs');
  const result = spawnSync(process.execPath, [wxt, 'build'], { cwd: REPO_ROOT, stdio: ['ignore', 'ignore', 'inherit'] });
  if (result.status !== 0) throw new Error(`wxt build failed (${result.status ?? result.signal})`);
}

function mtimeOf(file) {
  try {
    return fs.statSync(file).mtimeMs;
  } catch {
    return undefined;
  }
}

function newestMtime(entry) {
  let stat;
  try {
    stat = fs.statSync(entry);
  } catch {
    return 0;
  }
  if (!stat.isDirectory()) return stat.mtimeMs;
  // Unit tests are not built into the extension.
  const built = fs.readdirSync(entry).filter((name) => name !== 'tests' && !/\.test\.tsx?$/.test(name));
  return Math.max(stat.mtimeMs, ...built.map((name) => newestMtime(path.join(entry, name))));
}

function round(n) {
  return Math.round(n * 10) / 10;
}
