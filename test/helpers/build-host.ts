import { execFileSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';

/**
 * Vitest global setup: builds the host once (incremental tsc, near-instant when dist/ is fresh)
 * before any test file spawns the built CLI, instead of every CLI test file building on its own
 * — which also raced when files ran in parallel.
 */
export default function setup(): void {
  execFileSync('npm', ['run', 'build:host'], { cwd: fileURLToPath(new URL('../..', import.meta.url)), stdio: 'ignore' });
}
