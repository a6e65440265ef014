// How the browser tests and the bench start Chromium with the built extension. Plain JavaScript
// (typed by chromium-launch.d.ts) because the bench runs on plain Node, which cannot load
// TypeScript; the tests use it through chromium.ts.

import { existsSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { chromium } from 'playwright-core';

export const REPO_ROOT = fileURLToPath(new URL('../..', import.meta.url));
export const EXTENSION_DIR = path.join(REPO_ROOT, '.output', 'chrome-mv3');

const CHROMIUM_PATHS = ['/usr/bin/chromium', '/usr/lib/chromium/chromium'];

/** Debian's Chromium (installed by .ci/run); never a Playwright-downloaded browser. */
export function findChromium() {
  return CHROMIUM_PATHS.find((candidate) => existsSync(candidate));
}

/** The recipe from ../shared/docs/extension-e2e.md: a fresh profile with the unpacked extension (plus `extraArgs`). */
export function launchWithExtension(executablePath, userDataDir, env, extraArgs = []) {
  return chromium.launchPersistentContext(userDataDir, {
    executablePath,
    headless: true,
    env,
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
