import { existsSync, mkdirSync } from 'node:fs';
import { readLiveDaemonFile } from '../../host/store/daemon-file.js';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { chromium, type BrowserContext } from 'playwright-core';

export const REPO_ROOT = fileURLToPath(new URL('../..', import.meta.url));
export const EXTENSION_DIR = path.join(REPO_ROOT, '.output', 'chrome-mv3');
export const ARTIFACTS_DIR = path.join(REPO_ROOT, 'test-artifacts');

const CHROMIUM_PATHS = ['/usr/bin/chromium', '/usr/lib/chromium/chromium'];

/** Debian's Chromium (installed by .ci/run); never a Playwright-downloaded browser. */
export function findChromium(): string | undefined {
  return CHROMIUM_PATHS.find((candidate) => existsSync(candidate));
}

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

/** The recipe from ../shared/docs/extension-e2e.md: a fresh profile with the unpacked extension (plus `extraArgs`). */
export async function launchWithExtension(executablePath: string, userDataDir: string, env: NodeJS.ProcessEnv, extraArgs: string[] = []): Promise<BrowserContext> {
  mkdirSync(ARTIFACTS_DIR, { recursive: true });
  return chromium.launchPersistentContext(userDataDir, {
    executablePath,
    headless: true,
    env: env as Record<string, string>,
    args: [
      `--disable-extensions-except=${EXTENSION_DIR}`,
      `--load-extension=${EXTENSION_DIR}`,
      '--no-sandbox',
      '--disable-gpu',
      '--disable-quic',
      '--no-first-run',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
      // The extension speaks the browser's language: tests that read English text must not
      // depend on the machine's locale (a test that wants another language passes its own --lang).
      ...(extraArgs.some((arg) => arg.startsWith('--lang=')) ? [] : ['--lang=en-US']),
      ...extraArgs,
    ],
  });
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
