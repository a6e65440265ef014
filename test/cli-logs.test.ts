import { spawn, type ChildProcessByStdio } from 'node:child_process';
import type { Readable } from 'node:stream';
import { mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import OpenAI from 'openai';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { MonitorEntry, MonitorStats } from '../shared/monitor.js';
import { localDate, localDateDaysBefore } from '../host/monitor/request-log-files.js';
import { CLI_BIN, runCli, ServeProcess, type CliResult } from './helpers/cli-process.js';
import { freePort, makeTempHome } from './helpers/temp-home.js';

function entry(id: string, time: number, extra: Partial<MonitorEntry> = {}): MonitorEntry {
  return { id, time, method: 'POST', path: '/v1/chat/completions', protocol: 'openai', status: 200, latency_ms: 812.4, ...extra };
}

function expectOk(result: CliResult): CliResult {
  if (result.code !== 0) throw new Error(`exit ${result.code}\nstdout: ${result.stdout}\nstderr: ${result.stderr}`);
  return result;
}

const jsonLines = (text: string) => text.split('\n').filter(Boolean).map((line) => JSON.parse(line) as MonitorEntry);

describe('localgate logs / stats (built CLI, as a subprocess)', () => {
  let home: { dir: string; cleanup(): void };
  const children: Array<{ kill(): Promise<void> }> = [];


  beforeEach(() => {
    home = makeTempHome('localgate-cli-logs-');
  });

  afterEach(async () => {
    await Promise.all(children.splice(0).map((child) => child.kill()));
    home.cleanup();
  });

  const cli = (...args: string[]) => runCli(home.dir, args);

  describe('without a daemon: from the log files', () => {
    const now = Date.now();
    const yesterday = entry('y1', now - 25 * 3_600_000, { model: 'gpt-4o', mapped_model: 'gpt-4o-mini', account: 'main', tokens_in: 12, tokens_out: 40 });
    const first = entry('t1', now - 60_000, { protocol: 'anthropic', path: '/v1/messages', model: 'claude-sonnet-4', account: 'main', status: 529, error: 'overloaded', stream: true });
    const second = entry('t2', now - 30_000, {
      model: 'gpt-4o',
      account: 'backup',
      tokens_in: 5,
      tokens_out: 7,
      latency_ms: 99.6,
      warnings: [{ code: 'dropped-top-k', message: 'top_k: not an OpenAI parameter' }],
    });

    function writeLogs() {
      const dir = path.join(home.dir, 'logs');
      mkdirSync(dir, { recursive: true });
      writeFileSync(path.join(dir, `requests-${localDateDaysBefore(now, 1)}.jsonl`), `${JSON.stringify(yesterday)}\n`);
      writeFileSync(path.join(dir, `requests-${localDate(now)}.jsonl`), `${JSON.stringify(first)}\nnot json\n${JSON.stringify(second)}\n`);
    }

    it('prints one readable line per request, oldest first, across days, with its translation warnings below it', async () => {
      writeLogs();
      const lines = expectOk(await cli('logs')).stdout.trimEnd().split('\n');
      expect(lines).toHaveLength(4);
      expect(lines[0]).toMatch(/^\d{4}-\d{2}-\d{2} \d{2}:\d{2}:\d{2} {2}openai {5}POST \/v1\/chat\/completions {2}gpt-4o→gpt-4o-mini {2}main {2}200 {2}812 ms {2}12\/40 tok$/);
      expect(lines[1]).toContain('anthropic  POST /v1/messages  claude-sonnet-4  main  529 overloaded  812 ms stream  -');
      expect(lines[2]).toContain('POST /v1/chat/completions  gpt-4o  backup  200  100 ms  5/7 tok');
      expect(lines[3]).toBe('    ! dropped-top-k  top_k: not an OpenAI parameter');
    });

    it('--json prints one entry per line, --limit the newest N', async () => {
      writeLogs();
      expect(jsonLines(expectOk(await cli('logs', '--json')).stdout)).toEqual([yesterday, first, second]);
      expect(jsonLines(expectOk(await cli('logs', '--json', '--limit', '2')).stdout).map((e) => e.id)).toEqual(['t1', 't2']);
      const bad = await cli('logs', '--limit', '0');
      expect(bad.code).toBe(1);
      expect(bad.stderr).toContain('limit');
    });

    it('says there is nothing yet, and that --follow needs a daemon', async () => {
      const empty = expectOk(await cli('logs'));
      expect(empty.stdout).toBe('');
      expect(empty.stderr).toContain('No requests logged yet');
      const follow = await cli('logs', '--follow');
      expect(follow.code).toBe(1);
      expect(follow.stderr).toContain('No Localgate daemon is running');
    });

    it('stats --json summarises the files', async () => {
      writeLogs();
      const day = JSON.parse(expectOk(await cli('stats', '--json', '--window', 'day')).stdout) as MonitorStats;
      // Yesterday's entry is 25 h old: outside the rolling 24 h.
      expect(day).toMatchObject({ window: 'day', requests: 2, errors: 1, tokens_in: 5, tokens_out: 7 });
      expect(day.by_account.map((group) => group.name)).toEqual(['backup', 'main']);
      expect(day.by_warning).toEqual([{ code: 'dropped-top-k', requests: 1 }]);
      const text = expectOk(await cli('stats')).stdout;
      expect(text).toMatch(/^Last hour: 2 requests, 1 error, 5 tokens in, 7 tokens out$/m);
      expect(text).toMatch(/^warning +requests\ndropped-top-k +1$/m);
    });
  });

  describe('with `serve --demo` running', () => {
    async function startDemo() {
      const port = await freePort();
      const daemon = ServeProcess.start(home.dir, ['--demo', '--port', String(port)]);
      children.push(daemon);
      await daemon.waitForOutput(`Localgate proxy listening on http://127.0.0.1:${port}`);
      return { daemon, client: new OpenAI({ baseURL: `http://127.0.0.1:${port}/v1`, apiKey: 'unused', maxRetries: 0 }) };
    }

    /** `logs --follow --json` in the background, collecting its stdout. */
    function follow(): { child: ChildProcessByStdio<null, Readable, Readable>; output: () => string; exited: Promise<number | null>; kill(): Promise<void> } {
      const env: NodeJS.ProcessEnv = { ...process.env, LOCALGATE_HOME: home.dir };
      delete env.LOCALGATE_CONTROL_PORT;
      const child = spawn(process.execPath, [CLI_BIN, 'logs', '--follow', '--json'], { env, stdio: ['ignore', 'pipe', 'pipe'] });
      let stdout = '';
      child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
      const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
      const handle = {
        child,
        output: () => stdout,
        exited,
        async kill() {
          if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
          await exited;
        },
      };
      children.push(handle);
      return handle;
    }

    it('prints the daemon\'s recent requests, follows new ones until Ctrl-C, and the files keep them after shutdown', async () => {
      const { client } = await startDemo();
      await client.chat.completions.create({ model: 'gpt-4o', messages: [{ role: 'user', content: 'first' }] });

      const recent = jsonLines(expectOk(await cli('logs', '--json')).stdout);
      expect(recent).toHaveLength(1);
      expect(recent[0]).toMatchObject({ method: 'POST', path: '/v1/chat/completions', protocol: 'openai', model: 'gpt-4o', status: 200 });
      expect(recent[0]!.account).toMatch(/demo/);
      expect(expectOk(await cli('logs')).stdout).toContain('openai     POST /v1/chat/completions  gpt-4o');

      const follower = follow();
      await expect.poll(() => jsonLines(follower.output()).length, { timeout: 10_000 }).toBe(1);
      await client.chat.completions.create({ model: 'gpt-4o-mini', messages: [{ role: 'user', content: 'second' }] });
      const stream = await client.chat.completions.create({ model: 'm-stream', messages: [{ role: 'user', content: 'third' }], stream: true });
      for await (const _chunk of stream) void _chunk;
      await expect.poll(() => jsonLines(follower.output()).map((e) => e.model), { timeout: 10_000 }).toEqual(['gpt-4o', 'gpt-4o-mini', 'm-stream']);
      follower.child.kill('SIGINT');
      expect(await follower.exited).toBe(0);

      const stats = JSON.parse(expectOk(await cli('stats', '--json')).stdout) as MonitorStats;
      expect(stats).toMatchObject({ window: 'hour', requests: 3, errors: 0 });
      expect(stats.by_model.map((group) => group.name).sort()).toEqual(['gpt-4o', 'gpt-4o-mini', 'm-stream']);

      expectOk(await cli('shutdown'));
      const fromFiles = jsonLines(expectOk(await cli('logs', '--json')).stdout);
      expect(fromFiles.map((e) => e.model)).toEqual(['gpt-4o', 'gpt-4o-mini', 'm-stream']);
      expect(fromFiles.map((e) => e.id)).toEqual(jsonLines(follower.output()).map((e) => e.id));
    });
  });
});
