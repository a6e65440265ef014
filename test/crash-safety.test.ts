import { execFileSync } from 'node:child_process';
import { existsSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { AccountsFileSchema } from '../shared/accounts.js';
import { ProxyConfigSchema } from '../shared/config.js';
import { loadAccounts } from '../host/store/accounts-store.js';
import { loadConfig } from '../host/store/config-store.js';
import { acquireDaemonLock, DAEMON_LOCK_FILE } from '../host/store/daemon-lock.js';
import { runCli, ServeProcess } from './helpers/cli-process.js';
import { freePort, makeTempHome } from './helpers/temp-home.js';

const ALREADY_RUNNING = 'A Localgate daemon is already running for this data directory';

describe('crash safety', () => {
  let home: { dir: string; cleanup(): void };
  const daemons: ServeProcess[] = [];

  beforeEach(() => {
    home = makeTempHome('localgate-crash-');
  });
  afterEach(async () => {
    await Promise.all(daemons.splice(0).map((daemon) => daemon.kill()));
    home.cleanup();
  });

  const serve = (args: string[] = []) => {
    const daemon = ServeProcess.start(home.dir, args);
    daemons.push(daemon);
    return daemon;
  };
  const lockFile = () => path.join(home.dir, DAEMON_LOCK_FILE);

  describe('the daemon lock (in-process)', () => {
    it('is exclusive, holds the pid, and is released', async () => {
      const lock = await acquireDaemonLock(home.dir);
      expect(JSON.parse(readFileSync(lockFile(), 'utf8'))).toMatchObject({ pid: process.pid });
      lock.release();
      expect(existsSync(lockFile())).toBe(false);
      lock.release(); // idempotent
    });

    it('refuses while the recorded pid is alive, and takes over a lock whose pid is dead', async () => {
      // The test runner's parent is alive and is not this process.
      writeFileSync(lockFile(), JSON.stringify({ pid: process.ppid, started_at: Date.now() }));
      await expect(acquireDaemonLock(home.dir)).rejects.toThrow(`${ALREADY_RUNNING} (pid ${process.ppid}`);
      const dead = execFileSync(process.execPath, ['-e', 'process.stdout.write(String(process.pid))']).toString();
      writeFileSync(lockFile(), JSON.stringify({ pid: Number(dead), started_at: Date.now() }));
      const lock = await acquireDaemonLock(home.dir);
      expect(JSON.parse(readFileSync(lockFile(), 'utf8')).pid).toBe(process.pid);
      lock.release();
    });

    it('treats a lock written before the last boot as stale, even if its pid is alive now', async () => {
      writeFileSync(lockFile(), JSON.stringify({ pid: process.ppid, started_at: 1_000 }));
      const lock = await acquireDaemonLock(home.dir);
      lock.release();
    });
  });

  it('three `serve` started at the same instant: exactly one runs, the others refuse politely', async () => {
    writeFileSync(path.join(home.dir, 'config.json'), JSON.stringify({ api_key: 'sk-crash-test-key', port: await freePort() }));
    const started = [serve(['--demo']), serve(['--demo']), serve(['--demo'])];
    const outcomes = await Promise.all(
      started.map(async (daemon) => {
        const exited = await Promise.race([daemon.exited, daemon.waitForOutput('Localgate proxy listening').then(() => undefined)]);
        return exited ? { daemon, exited } : { daemon, exited: undefined };
      }),
    );
    const running = outcomes.filter((outcome) => outcome.exited === undefined);
    const refused = outcomes.filter((outcome) => outcome.exited !== undefined);
    expect(running).toHaveLength(1);
    expect(refused).toHaveLength(2);
    const winner = running[0]!.daemon;
    for (const { daemon, exited } of refused) {
      expect(exited).toEqual({ code: 1, signal: null });
      expect(daemon.output).toContain(`${ALREADY_RUNNING} (pid ${winner.pid}`);
      expect(daemon.output).toContain('localgate shutdown');
      expect(daemon.output).not.toMatch(/at .*\.js:\d+/); // a message, not a stack trace
    }
    expect(JSON.parse(readFileSync(lockFile(), 'utf8')).pid).toBe(winner.pid);
    const status = JSON.parse((await runCli(home.dir, ['status', '--json'])).stdout);
    expect(status.daemon.pid).toBe(winner.pid);

    // Released on a clean shutdown.
    expect((await runCli(home.dir, ['shutdown'])).code).toBe(0);
    expect(await winner.exited).toEqual({ code: 0, signal: null });
    expect(existsSync(lockFile())).toBe(false);
    expect(existsSync(path.join(home.dir, 'daemon.json'))).toBe(false);
  }, 60_000);

  it('SIGKILL at any moment while config and accounts are being written: files stay valid and a new serve starts', async () => {
    const rounds = 20;
    const proxyPort = await freePort();
    writeFileSync(path.join(home.dir, 'config.json'), JSON.stringify({ api_key: 'sk-crash-test-key', port: proxyPort }));
    const random = seeded(20_260_501);
    let writesSeen = 0;
    for (let round = 0; round < rounds; round += 1) {
      const daemon = serve();
      // Hammer: CLI writers run while the daemon starts, serves and dies. Each goes through the
      // daemon when it is reachable and edits the files directly otherwise: both paths are hit.
      let hammering = true;
      const hammer = async (worker: number) => {
        for (let i = 0; hammering; i += 1) {
          const result =
            (i + worker) % 2 === 0
              ? await runCli(home.dir, ['config', 'set', `request_timeout_s=${100 + ((round * 7 + i + worker) % 500)}`, `model_mapping.m${worker}-*=gpt-${i}`])
              : await runCli(home.dir, ['accounts', 'add', '--provider', 'openai', '--base-url', 'http://127.0.0.1:9/v1', '--api-key', `sk-crash-${round}-${worker}-${i}`, '--label', `r${round}w${worker}i${i}`]);
          if (result.code === 0) writesSeen += 1;
        }
      };
      const writers = [hammer(0), hammer(1), hammer(2)];
      // Kill somewhere between "just spawned" and "serving for a while".
      await new Promise((resolve) => setTimeout(resolve, Math.floor(random() * 700)));
      daemon.signal('SIGKILL', { group: true });
      expect(await daemon.exited).toEqual({ code: null, signal: 'SIGKILL' });
      // Let the writers race the dead daemon (files edited directly, or a failed connection) a little longer.
      await new Promise((resolve) => setTimeout(resolve, Math.floor(random() * 200)));
      hammering = false;
      await Promise.all(writers);

      // Both files parse and validate with the real loaders and schemas; temp files are never data.
      const config = loadConfig(home.dir);
      expect(ProxyConfigSchema.safeParse(config).success).toBe(true);
      expect(ProxyConfigSchema.safeParse(JSON.parse(readFileSync(path.join(home.dir, 'config.json'), 'utf8'))).success).toBe(true);
      expect(() => loadAccounts(home.dir)).not.toThrow();
      if (existsSync(path.join(home.dir, 'accounts.json'))) {
        const accountsText = readFileSync(path.join(home.dir, 'accounts.json'), 'utf8');
        expect(AccountsFileSchema.safeParse(JSON.parse(accountsText)).success, accountsText.slice(0, 200)).toBe(true);
      }
      for (const name of readdirSync(home.dir).filter((n) => n.endsWith('.tmp'))) {
        expect(['config.json', 'accounts.json', 'daemon.json', DAEMON_LOCK_FILE]).not.toContain(name);
      }
    }
    expect(writesSeen).toBeGreaterThan(rounds); // the hammer really wrote

    // The last daemon died holding the lock (and maybe daemon.json): the next one takes over.
    const next = serve();
    await next.waitForOutput(`Localgate proxy listening on http://127.0.0.1:${proxyPort}`, 20_000);
    expect(JSON.parse(readFileSync(lockFile(), 'utf8')).pid).toBe(next.pid);
    const status = JSON.parse((await runCli(home.dir, ['status', '--json'])).stdout);
    expect(status).toMatchObject({ daemon: { state: 'running', pid: next.pid }, proxy: { state: 'running' } });
    expect(status.accounts.length).toBe(loadAccounts(home.dir).length);
    next.signal('SIGTERM');
    expect(await next.exited).toEqual({ code: 0, signal: null });
    expect(existsSync(lockFile())).toBe(false);
  }, 180_000);
});

/** A small deterministic PRNG (mulberry32), so a failing round can be replayed. */
function seeded(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}
