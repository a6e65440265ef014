import { existsSync, mkdirSync } from 'node:fs';
import { readLiveDaemonFile } from '../../host/store/daemon-file.js';
import path from 'node:path';
import type { BrowserContext } from 'playwright-core';
import { EXTENSION_DIR, REPO_ROOT, findChromium, launchWithExtension as launchChromium } from './chromium-launch.js';

export { EXTENSION_DIR, REPO_ROOT, findChromium };
export const ARTIFACTS_DIR = path.join(REPO_ROOT, 'test-artifacts');

/**
 * Whether browser tests can run here. Without Chromium they may skip only outside CI, and say so
 * loudly; in CI a missing browser is a failure, not a skip.
 */
export function chromiumOrSkipReason(): { executable: string } | { skip: string } {
  const executable = findChromium();
  if (executable) return { executable };
  if (process.env.CI) throw new Error('Chromium is missing in CI: .ci/run must install it (apt-get install chromium)');
  const reason = 'Chromium is not installed (apt-get install chromium): SKIPPING the browser end-to-end tests';
  console.warn(`\n${'!'.repeat(reason.length)}\n${reason}\n${'!'.repeat(reason.length)}\n`);
  return { skip: reason };
}

/** The recipe from ../shared/docs/extension-e2e.md (chromium-launch.js), with a place for screenshots. */
export async function launchWithExtension(executablePath: string, userDataDir: string, env: NodeJS.ProcessEnv, extraArgs: string[] = []): Promise<BrowserContext> {
  mkdirSync(ARTIFACTS_DIR, { recursive: true });
  return launchChromium(executablePath, userDataDir, env, extraArgs);
}

/** The browser tests load the built extension: fail with the fix when it is missing. */
export function requireExtensionBuild(): void {
  if (!existsSync(path.join(EXTENSION_DIR, 'manifest.json'))) throw new Error(`No extension build in ${EXTENSION_DIR}: run "npm run build" (npm test does)`);
}

/** The daemon the native host started detached outlives the browser by design: the test ends it, by pid. */
export function killDaemonOf(homeDir: string): void {
  const daemon = readLiveDaemonFile(homeDir);
  if (daemon) process.kill(daemon.pid, 'SIGKILL');
}
