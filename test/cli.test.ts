import { chmodSync, existsSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { createServer, type Server } from 'node:net';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { CLI_BIN, runCli, ServeProcess, startCli, type CliResult } from './helpers/cli-process.js';
import { freePort, makeTempHome } from './helpers/temp-home.js';

const UPSTREAM_KEY = 'sk-upstream-secret-0123456789';
const NO_ACCOUNTS = 'No available accounts, please add an account first';

describe('localgate CLI (built, as a subprocess)', () => {
  let home: { dir: string; cleanup(): void };
  const daemons: ServeProcess[] = [];


  beforeEach(() => {
    home = makeTempHome('localgate-cli-');
  });

  afterEach(async () => {
    await Promise.all(daemons.splice(0).map((daemon) => daemon.kill()));
    home.cleanup();
  });

  const cli = (...args: string[]) => runCli(home.dir, args);
  const file = (name: string) => path.join(home.dir, name);
  const readJson = (name: string) => JSON.parse(readFileSync(file(name), 'utf8')) as Record<string, unknown>;
  const modeOf = (name: string) => statSync(file(name)).mode & 0o777;

  function expectOk(result: CliResult): CliResult {
    if (result.code !== 0) throw new Error(`exit ${result.code}\nstdout: ${result.stdout}\nstderr: ${result.stderr}`);
    return result;
  }

  async function statusJson() {
    return JSON.parse(expectOk(await cli('status', '--json')).stdout) as {
      daemon: { state: string; pid?: number; control_port?: number };
      proxy: { state: string; host: string; port: number; last_error?: { code: string; message: string } };
      active_accounts: number;
      accounts: { id: string; enabled: boolean; api_key_masked: string }[];
    };
  }

  async function addAccount(...extra: string[]): Promise<string> {
    const result = expectOk(await cli('accounts', 'add', '--provider', 'openai', '--base-url', 'http://127.0.0.1:9/v1', '--api-key', UPSTREAM_KEY, '--json', ...extra));
    return (JSON.parse(result.stdout) as { id: string }).id;
  }

  async function startServe(args: string[], ready: string): Promise<ServeProcess> {
    const daemon = ServeProcess.start(home.dir, args);
    daemons.push(daemon);
    await daemon.waitForOutput(ready);
    return daemon;
  }

  describe('config, without a daemon', () => {
    it('shows the config with api_key masked, in full with --reveal, and as JSON', async () => {
      const text = expectOk(await cli('config', 'get')).stdout;
      const apiKey = readJson('config.json').api_key as string;
      expect(text).toMatch(/^port\s+8045$/m);
      expect(text).not.toContain(apiKey);
      expect(text).toContain(apiKey.slice(0, 6));
      expect(expectOk(await cli('config', 'get', '--reveal')).stdout).toContain(apiKey);
      const json = JSON.parse(expectOk(await cli('config', 'get', '--json')).stdout) as Record<string, unknown>;
      expect(json).toMatchObject({ port: 8045, allow_lan_access: false, auth_mode: 'auto', model_mapping: {}, request_timeout_s: 600 });
      expect(json.api_key).not.toBe(apiKey);
      expect(JSON.parse(expectOk(await cli('config', 'get', '--json', '--reveal')).stdout)).toMatchObject({ api_key: apiKey });
      expect(modeOf('config.json')).toBe(0o600);
    });

    it('sets several pairs in one call, dotted mapping patterns included', async () => {
      const result = expectOk(await cli('config', 'set', 'port=9000', 'auth_mode=strict', 'allow_lan_access=true', 'model_mapping.gpt-4.1*=gpt-4o', 'model_mapping.claude-*=gpt-4o-mini'));
      expect(result.stderr).toContain('No daemon running');
      expect(readJson('config.json')).toMatchObject({
        port: 9000,
        auth_mode: 'strict',
        allow_lan_access: true,
        model_mapping: { 'gpt-4.1*': 'gpt-4o', 'claude-*': 'gpt-4o-mini' },
      });
      expectOk(await cli('config', 'set', 'model_mapping.claude-*='));
      expect(readJson('config.json').model_mapping).toEqual({ 'gpt-4.1*': 'gpt-4o' });
      expect(modeOf('config.json')).toBe(0o600);
    });

    it('rejects the whole call when one pair is invalid, leaving the file unchanged', async () => {
      expectOk(await cli('config', 'get'));
      const before = readFileSync(file('config.json'), 'utf8');
      for (const pairs of [['port=9100', 'auth_mode=bogus'], ['port=9100', 'no_such_key=1'], ['port=9100', 'oops'], ['port=80']]) {
        const result = await cli('config', 'set', ...pairs);
        expect(result.code, pairs.join(' ')).toBe(1);
        expect(result.stderr).toMatch(/^Invalid configuration: /);
        expect(readFileSync(file('config.json'), 'utf8')).toBe(before);
      }
    });
  });

  describe('accounts, without a daemon', () => {
    it('adds, lists (masked), disables, enables and removes', async () => {
      const id = await addAccount('--label', 'main', '--models', 'gpt-4o,gpt-4o-mini');
      expect(modeOf('accounts.json')).toBe(0o600);
      const listed = expectOk(await cli('accounts', 'list', '--json'));
      expect(listed.stdout).not.toContain(UPSTREAM_KEY);
      expect(JSON.parse(listed.stdout)).toEqual([
        expect.objectContaining({ id, label: 'main', provider: 'openai', enabled: true, models: ['gpt-4o', 'gpt-4o-mini'], api_key_masked: 'sk-ups…6789' }),
      ]);
      const table = expectOk(await cli('accounts', 'list')).stdout;
      expect(table).toContain(id);
      expect(table).not.toContain(UPSTREAM_KEY);

      expectOk(await cli('accounts', 'disable', id));
      expect(JSON.parse(expectOk(await cli('accounts', 'list', '--json')).stdout)[0]).toMatchObject({ enabled: false, status: { state: 'disabled' } });
      expectOk(await cli('accounts', 'enable', id));
      expect(JSON.parse(expectOk(await cli('accounts', 'list', '--json')).stdout)[0]).toMatchObject({ enabled: true });
      expectOk(await cli('accounts', 'remove', id));
      expect(JSON.parse(expectOk(await cli('accounts', 'list', '--json')).stdout)).toEqual([]);
      expect(readFileSync(file('accounts.json'), 'utf8')).not.toContain(UPSTREAM_KEY);
    });

    it('reports an unknown id and an invalid account with exit code 1', async () => {
      const missing = await cli('accounts', 'remove', 'acc_nope');
      expect(missing.code).toBe(1);
      expect(missing.stderr).toContain('No account with id "acc_nope"');
      const invalid = await cli('accounts', 'add', '--provider', 'openai', '--base-url', 'not-a-url', '--api-key', UPSTREAM_KEY);
      expect(invalid.code).toBe(1);
      expect(invalid.stderr).toMatch(/^Invalid account: base_url/);
      expect(existsSync(file('accounts.json'))).toBe(false);
    });

    describe('the key on stdin (--api-key-stdin), never in argv', () => {
      const ADD_ARGS = ['accounts', 'add', '--provider', 'openai', '--base-url', 'http://127.0.0.1:9/v1', '--api-key-stdin', '--json'];

      it('reads the whole of stdin, drops the trailing newline, stores the key and lists it masked', async () => {
        const { child, result } = startCli(home.dir, ADD_ARGS, { stdin: 'pipe' });
        // Spawned (exec done) and waiting for stdin: what `ps` shows of it must not hold the key.
        await once(child, 'spawn');
        const argv = readFileSync(`/proc/${child.pid}/cmdline`, 'utf8').split('\0');
        expect(argv).toContain('--api-key-stdin');
        expect(argv.join(' ')).not.toContain(UPSTREAM_KEY);
        child.stdin!.end(`${UPSTREAM_KEY}\n`);
        const added = JSON.parse(expectOk(await result).stdout) as { id: string; api_key_masked: string };
        expect(added.api_key_masked).toBe('sk-ups…6789');
        const stored = readJson('accounts.json') as { accounts: Array<{ id: string; api_key: string }> };
        expect(stored.accounts).toEqual([expect.objectContaining({ id: added.id, api_key: UPSTREAM_KEY })]);
        const listed = expectOk(await cli('accounts', 'list', '--json')).stdout;
        expect(listed).not.toContain(UPSTREAM_KEY);
        expect(JSON.parse(listed)).toEqual([expect.objectContaining({ id: added.id, api_key_masked: 'sk-ups…6789' })]);
      });

      it('refuses an empty stdin, naming the way to pass the key', async () => {
        const { child, result } = startCli(home.dir, ADD_ARGS, { stdin: 'pipe' });
        child.stdin!.end('\n');
        const refused = await result;
        expect(refused.code).toBe(1);
        expect(refused.stderr).toContain('No API key: stdin was empty');
        expect(existsSync(file('accounts.json'))).toBe(false);
      });

      it('without --api-key and with stdin not a terminal, says how to give the key instead of waiting', async () => {
        const refused = await cli('accounts', 'add', '--provider', 'openai', '--base-url', 'http://127.0.0.1:9/v1');
        expect(refused.code).toBe(1);
        expect(refused.stderr).toContain('No API key: pipe it in with --api-key-stdin');
        expect(refused.stderr).toContain('or run the command in a terminal to be prompted for it');
        expect(existsSync(file('accounts.json'))).toBe(false);
      });

      it('on a terminal without --api-key, prompts for the key and does not echo it', async () => {
        // `script` gives the CLI a real pseudo-terminal (echo on, as a user's terminal has).
        const command = [process.execPath, CLI_BIN, 'accounts', 'add', '--provider', 'openai', '--base-url', 'http://127.0.0.1:9/v1', '--json'].map((word) => `'${word}'`).join(' ');
        const terminal = spawn('script', ['-qfec', command, '/dev/null'], { env: { ...process.env, LOCALGATE_HOME: home.dir }, stdio: ['pipe', 'pipe', 'pipe'] });
        let screen = '';
        terminal.stdout.on('data', (chunk: Buffer) => (screen += chunk.toString()));
        const exited = once(terminal, 'close');
        await vi.waitFor(() => expect(screen).toContain('Upstream API key (not shown): '), { timeout: 10_000 });
        // Typed only once the prompt is up: before raw mode, the terminal itself would echo it.
        terminal.stdin.write(`${UPSTREAM_KEY}\r`);
        const [code] = (await exited) as [number];
        terminal.stdin.end();
        expect(code).toBe(0);
        expect(screen).not.toContain(UPSTREAM_KEY);
        expect(screen).toContain('sk-ups…6789');
        const stored = readJson('accounts.json') as { accounts: Array<{ api_key: string }> };
        expect(stored.accounts.map((account) => account.api_key)).toEqual([UPSTREAM_KEY]);
      });

      it('refuses both --api-key and --api-key-stdin', async () => {
        const refused = await cli(...ADD_ARGS, '--api-key', UPSTREAM_KEY);
        expect(refused.code).toBe(1);
        expect(refused.stderr).toContain('Give the API key one way');
      });
    });
  });

  it('refuses a data directory other users can write, naming it and the fix, and leaves it as it was', async () => {
    chmodSync(home.dir, 0o777);
    const refused = await cli('config', 'get');
    expect(refused.code).toBe(1);
    expect(refused.stderr).toContain(`Refusing to use ${home.dir}: other users can write to it (mode 777)`);
    expect(refused.stderr).toContain(`chmod go-w '${home.dir}'`);
    expect(modeOf('.')).toBe(0o777);
    expect(existsSync(file('config.json'))).toBe(false);
  });

  it('status and shutdown without a daemon say so and exit 0', async () => {
    expect(JSON.parse(expectOk(await cli('status', '--json')).stdout)).toEqual({ daemon: { state: 'not running', data_dir: home.dir } });
    expect(expectOk(await cli('status')).stdout).toContain('not running');
    expect(expectOk(await cli('shutdown')).stdout).toContain('No Localgate daemon is running');
  });

  it('a change made while a daemon is starting waits for it instead of writing files that daemon has already read', async () => {
    // A daemon takes daemon.lock, reads accounts.json, and only then writes daemon.json: stand in for
    // one stuck in between with a live process holding the lock.
    const starting = spawn('sleep', ['30'], { stdio: 'ignore' });
    try {
      writeFileSync(file('daemon.lock'), `${JSON.stringify({ pid: starting.pid, started_at: Date.now() })}\n`, { mode: 0o600 });
      const { child, result } = startCli(home.dir, ['accounts', 'add', '--provider', 'openai', '--base-url', 'https://api.openai.com/v1', '--api-key', 'sk-starting-0123456789'], { stdin: 'ignore' });
      await new Promise((resolve) => setTimeout(resolve, 1_000));
      expect(child.exitCode).toBeNull();
      expect(existsSync(file('accounts.json'))).toBe(false);
      // The starting daemon dies before it listens: the change goes to the files after all.
      starting.kill('SIGKILL');
      expect(expectOk(await result).stderr).toContain('No daemon running: saved to the data files');
      expect((readJson('accounts.json').accounts as unknown[]).length).toBe(1);
    } finally {
      starting.kill('SIGKILL');
    }
  });

  it('status reads a daemon file left by a daemon that died as "not running"', async () => {
    // A pid no process holds: the file is stale, and status must look past it, not fail on it.
    writeFileSync(file('daemon.json'), JSON.stringify({ pid: 2 ** 22 + 1, control_port: 1, started_at: Date.now(), version: '0.0.0' }), { mode: 0o600 });
    expect(JSON.parse(expectOk(await cli('status', '--json')).stdout)).toEqual({ daemon: { state: 'not running', data_dir: home.dir } });
  });

  it('serve refuses a port outside the allowed range before starting anything', async () => {
    const result = await cli('serve', '--port', '80');
    expect(result.code).toBe(1);
    expect(result.stderr).toMatch(/- port: .*1024/);
    expect(existsSync(file('daemon.json'))).toBe(false);
  });

  describe('serve', () => {
    it('with no accounts says so and stays up; account and config changes apply live; SIGTERM exits 0', async () => {
      const port = await freePort();
      const daemon = await startServe(['--port', String(port)], NO_ACCOUNTS);
      expect(readJson('daemon.json')).toMatchObject({ pid: daemon.pid, control_port: expect.any(Number) });
      expect(readJson('config.json').port).toBe(port);

      let status = await statusJson();
      expect(status).toMatchObject({ daemon: { state: 'running', pid: daemon.pid }, proxy: { state: 'stopped', last_error: { code: 'NO_ACCOUNTS', message: NO_ACCOUNTS } }, active_accounts: 0 });

      const added = await cli('accounts', 'add', '--provider', 'openai', '--base-url', 'http://127.0.0.1:9/v1', '--api-key', UPSTREAM_KEY, '--json');
      expectOk(added);
      expect(added.stderr).toContain('Applied to the running daemon');
      const id = (JSON.parse(added.stdout) as { id: string }).id;
      // The first active account starts the proxy that was waiting for one.
      await daemon.waitForOutput(`Localgate proxy listening on http://127.0.0.1:${port}`);
      status = await statusJson();
      expect(status).toMatchObject({ proxy: { state: 'running', port }, active_accounts: 1 });
      expect(JSON.stringify(status)).not.toContain(UPSTREAM_KEY);

      expectOk(await cli('accounts', 'disable', id));
      expect((await statusJson()).active_accounts).toBe(0);
      expectOk(await cli('accounts', 'enable', id));
      expect((await statusJson()).active_accounts).toBe(1);
      const listed = expectOk(await cli('accounts', 'list', '--json')).stdout;
      expect(listed).not.toContain(UPSTREAM_KEY);
      expect(JSON.parse(listed)).toEqual([expect.objectContaining({ id, api_key_masked: 'sk-ups…6789', status: { state: 'ready' } })]);

      expectOk(await cli('config', 'set', 'model_mapping.gpt-4.1*=gpt-4o', 'request_timeout_s=30'));
      expect(JSON.parse(expectOk(await cli('config', 'get', '--json')).stdout)).toMatchObject({ model_mapping: { 'gpt-4.1*': 'gpt-4o' }, request_timeout_s: 30 });
      expect(readJson('config.json')).toMatchObject({ model_mapping: { 'gpt-4.1*': 'gpt-4o' }, request_timeout_s: 30 });
      const rejected = await cli('config', 'set', 'request_timeout_s=60', 'auth_mode=bogus');
      expect(rejected.code).toBe(1);
      expect(readJson('config.json').request_timeout_s).toBe(30);

      expectOk(await cli('accounts', 'remove', id));
      status = await statusJson();
      expect(status.accounts).toEqual([]);
      expect(status.active_accounts).toBe(0);
      expect(daemon.output).not.toContain(UPSTREAM_KEY);

      const signalled = Date.now();
      daemon.signal('SIGTERM');
      expect(await daemon.exited).toEqual({ code: 0, signal: null });
      expect(Date.now() - signalled).toBeLessThan(5_000);
      expect(existsSync(file('daemon.json'))).toBe(false);
    }, 90_000);

    describe('with the proxy port taken', () => {
      let blocker: Server;

      beforeEach(async () => {
        blocker = createServer();
        await new Promise<void>((resolve) => blocker.listen(0, '127.0.0.1', resolve));
      });

      afterEach(async () => {
        await new Promise((resolve) => blocker.close(resolve));
      });

      it('prints the bind failure, stays up, and stops on "shutdown"', async () => {
        await addAccount();
        const port = (blocker.address() as { port: number }).port;
        const daemon = await startServe(['--port', String(port)], `Failed to start proxy server: failed to bind address 127.0.0.1:${port}: `);
        const status = await statusJson();
        expect(status).toMatchObject({ daemon: { state: 'running' }, proxy: { state: 'stopped', last_error: { code: 'BIND_FAILED' } }, active_accounts: 1 });

        const stopped = expectOk(await cli('shutdown'));
        expect(stopped.stdout).toContain(`Localgate daemon (pid ${daemon.pid}) stopped`);
        expect(await daemon.exited).toEqual({ code: 0, signal: null });
        expect(existsSync(file('daemon.json'))).toBe(false);
      }, 60_000);
    });

    it('a second serve on the same data dir refuses politely and leaves the first running', async () => {
      const first = await startServe(['--port', String(await freePort())], NO_ACCOUNTS);
      const second = await runCli(home.dir, ['serve', '--port', String(await freePort())]);
      expect(second.code).toBe(1);
      expect(second.stderr).toContain(`A Localgate daemon is already running for this data directory (pid ${first.pid}`);
      expect(first.running).toBe(true);
      expect(readJson('daemon.json').pid).toBe(first.pid);
      expect((await statusJson()).daemon.pid).toBe(first.pid);
    }, 60_000);

    it('--demo serves the echo account, translated requests included, and SIGINT to the process group exits 0', async () => {
      const port = await freePort();
      const daemon = await startServe(['--demo', '--port', String(port)], 'Demo mode:');
      expect(daemon.output).toContain(`Localgate proxy listening on http://127.0.0.1:${port}`);
      const health = await fetch(`http://127.0.0.1:${port}/healthz`);
      expect(health.status).toBe(200);

      // The built daemon loads the translation codecs on first use (host/pipeline/lazy-codecs.ts):
      // a pass-through first, then translated requests (the echo account speaks OpenAI Chat), a
      // stream, a Responses request (the conversation store) and Gemini's JSON-array stream.
      const post = async (pathname: string, body: object, headers: Record<string, string> = {}) => {
        const response = await fetch(`http://127.0.0.1:${port}${pathname}`, { method: 'POST', headers: { 'content-type': 'application/json', ...headers }, body: JSON.stringify(body) });
        return { status: response.status, text: await response.text() };
      };
      const chat = await post('/v1/chat/completions', { model: 'localgate-echo', messages: [{ role: 'user', content: 'as is' }] });
      expect(chat).toMatchObject({ status: 200, text: expect.stringContaining('"content":"Echo from the Localgate demo model: as is"') });
      const anthropic = await post('/v1/messages', { model: 'localgate-echo', max_tokens: 50, stream: true, messages: [{ role: 'user', content: 'translated' }] }, { 'anthropic-version': '2023-06-01' });
      expect(anthropic.status).toBe(200);
      expect(anthropic.text).toContain('event: message_start');
      expect(anthropic.text).toContain('"text_delta","text":"translated"');
      const responses = await post('/v1/responses', { model: 'localgate-echo', input: 'stored' });
      expect(responses.status).toBe(200);
      const followUp = await post('/v1/responses', { model: 'localgate-echo', input: 'again', previous_response_id: (JSON.parse(responses.text) as { id: string }).id });
      expect(followUp).toMatchObject({ status: 200, text: expect.stringContaining('Echo from the Localgate demo model: again') });
      const gemini = await post('/v1beta/models/localgate-echo:streamGenerateContent', { contents: [{ role: 'user', parts: [{ text: 'gem' }] }] });
      expect(gemini.status).toBe(200);
      expect(gemini.text.startsWith('[{"candidates"')).toBe(true);

      daemon.signal('SIGINT', { group: true });
      expect(await daemon.exited).toEqual({ code: 0, signal: null });
      expect(existsSync(file('daemon.json'))).toBe(false);
      expect(existsSync(file('accounts.json'))).toBe(false);
    }, 60_000);
  });
});
