#!/usr/bin/env node
// npm run test:agents: installs the pinned coding agents into a cache directory (not the
// project's dependencies), then runs test/agents inside a network namespace that has only
// loopback, so the agents, Localgate and the fake upstreams cannot reach the internet.
// Root (CI) uses `unshare --net`; other users get a user namespace with --map-root-user.
import { execFileSync, spawnSync } from 'node:child_process';
import { existsSync, mkdirSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const root = fileURLToPath(new URL('..', import.meta.url));
// Keep in step with test/agents/agents.ts (the versions the tests and the README name).
const AGENT_PACKAGES = ['@anthropic-ai/claude-code@2.1.197', '@openai/codex@0.171.0', '@google/gemini-cli@0.61.0'];
// The whole run (27 agent runs, each bounded by the test's own timeout) must end by then.
const TOTAL_TIMEOUT_S = 900;

if (process.env.LOCALGATE_AGENTS_NAMESPACE === '1') runTests();
else {
  const bin = install();
  enterNamespace(bin);
}

/** Installs the agents once per set of versions: .cache/agents/<versions>/node_modules/.bin. */
function install() {
  const dir = path.join(root, '.cache', 'agents', AGENT_PACKAGES.join('+').replaceAll('/', '_').replaceAll('@', ''));
  const bin = path.join(dir, 'node_modules', '.bin');
  if (!['claude', 'codex', 'gemini'].every((name) => existsSync(path.join(bin, name)))) {
    mkdirSync(dir, { recursive: true });
    console.log(`--- installing ${AGENT_PACKAGES.join(' ')} into ${path.relative(root, dir)}`);
    execFileSync('npm', ['install', '--prefix', dir, '--no-save', '--no-audit', '--no-fund', '--no-package-lock', ...AGENT_PACKAGES], { stdio: 'inherit' });
  }
  return bin;
}

function enterNamespace(bin) {
  const asRoot = process.getuid?.() === 0;
  const unshare = ['unshare', '--net', ...(asRoot ? [] : ['--map-root-user'])];
  const inner = 'ip link set lo up && exec "$0" "$@"';
  const result = spawnSync('timeout', ['--kill-after=10', String(TOTAL_TIMEOUT_S), ...unshare, 'sh', '-c', inner, process.execPath, fileURLToPath(import.meta.url), ...process.argv.slice(2)], {
    stdio: 'inherit',
    env: { ...process.env, LOCALGATE_AGENTS_NAMESPACE: '1', LOCALGATE_AGENTS_BIN: bin },
  });
  if (result.status === 124) console.error(`test:agents: the whole run exceeded ${TOTAL_TIMEOUT_S} s`);
  process.exit(result.status ?? 1);
}

function runTests() {
  const vitest = path.join(root, 'node_modules', '.bin', 'vitest');
  const result = spawnSync(vitest, ['run', '--config', 'test/agents/vitest.config.ts', ...process.argv.slice(2)], { cwd: root, stdio: 'inherit' });
  process.exit(result.status ?? 1);
}
