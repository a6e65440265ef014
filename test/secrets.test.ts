import { spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { readdirSync, readFileSync, statSync } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { request } from 'undici';
import { startFakeOpenAIUpstream, type FakeOpenAIUpstream } from './fakes/fake-openai-upstream.js';
import { CLI_BIN, runCli, ServeProcess, type CliResult } from './helpers/cli-process.js';
import { freePort, makeTempHome } from './helpers/temp-home.js';

/** Keys shaped like real ones (OpenAI project keys are `sk-proj-` + ~150 url-safe characters). */
const realLookingKey = (prefix: string) => `${prefix}${randomBytes(60).toString('base64url')}`;

describe('secrets never leave the data files', () => {
  const home = makeTempHome('localgate-secrets-');
  const upstreamKeyA = realLookingKey('sk-proj-');
  const upstreamKeyB = realLookingKey('sk-proj-');
  const proxyKey = realLookingKey('sk-lg-');
  let upstreamA: FakeOpenAIUpstream;
  let upstreamB: FakeOpenAIUpstream;
  let daemon: ServeProcess;
  let port: number;
  /** Everything a user, a log reader or a client could see. */
  const seen: Array<{ where: string; text: string }> = [];
  let followOutput = '';

  const cli = async (...args: string[]): Promise<CliResult> => {
    const result = await runCli(home.dir, args);
    seen.push({ where: `localgate ${args.join(' ')} (stdout)`, text: result.stdout }, { where: `localgate ${args.join(' ')} (stderr)`, text: result.stderr });
    return result;
  };
  const ok = (result: CliResult) => {
    if (result.code !== 0) throw new Error(`exit ${result.code}: ${result.stderr}`);
    return result.stdout;
  };

  async function call(pathname: string, body: object, key: string | undefined, extra: Record<string, string> = {}): Promise<number> {
    const response = await request(`http://127.0.0.1:${port}${pathname}`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', ...(key ? { authorization: `Bearer ${key}` } : {}), ...extra },
      body: JSON.stringify(body),
    });
    const text = await response.body.text();
    seen.push({ where: `reply ${response.statusCode} to ${pathname}`, text: `${JSON.stringify(response.headers)}\n${text}` });
    return response.statusCode;
  }

  beforeAll(async () => {
    upstreamA = await startFakeOpenAIUpstream({ apiKey: upstreamKeyA });
    upstreamB = await startFakeOpenAIUpstream({ apiKey: upstreamKeyB });
    port = await freePort();
    ok(await cli('config', 'set', `port=${port}`, 'auth_mode=strict', `api_key=${proxyKey}`, 'monitor_capture_bodies=true'));
    ok(await cli('accounts', 'add', '--provider', 'openai', '--base-url', upstreamA.baseUrl, '--api-key', upstreamKeyA, '--label', 'a'));
    ok(await cli('accounts', 'add', '--provider', 'openai', '--base-url', upstreamB.baseUrl, '--api-key', upstreamKeyB, '--label', 'b'));
    daemon = ServeProcess.start(home.dir);
    await daemon.waitForOutput(`Localgate proxy listening on http://127.0.0.1:${port}`);
  }, 120_000);

  afterAll(async () => {
    await daemon?.kill();
    await upstreamA?.close();
    await upstreamB?.close();
    home.cleanup();
  });

  it('no output, reply, log or event contains the upstream keys or the proxy key', async () => {
    // The monitor's live events, as `localgate logs --follow` prints them.
    const follower = spawn(process.execPath, [CLI_BIN, 'logs', '--follow', '--json'], { env: { ...process.env, LOCALGATE_HOME: home.dir, LOCALGATE_CONTROL_PORT: '' }, stdio: ['ignore', 'pipe', 'pipe'] });
    follower.stdout.on('data', (chunk: Buffer) => (followOutput += chunk.toString()));
    follower.stderr.on('data', (chunk: Buffer) => (followOutput += chunk.toString()));
    const followerExited = new Promise((resolve) => follower.once('exit', resolve));
    await new Promise((resolve) => setTimeout(resolve, 700)); // subscribed

    const chat = (content: string, stream = false) => ({ model: 'gpt-4o-mini', stream, messages: [{ role: 'user', content }] });
    // Successes, both accounts, streamed and not, OpenAI and Anthropic clients.
    expect(await call('/v1/chat/completions', chat('hello'), proxyKey)).toBe(200);
    expect(await call('/v1/chat/completions', chat('hello again', true), proxyKey)).toBe(200);
    expect(await call('/v1/messages', { model: 'gpt-4o-mini', max_tokens: 50, messages: [{ role: 'user', content: 'hi' }] }, undefined, { 'x-api-key': proxyKey, 'anthropic-version': '2023-06-01' })).toBe(200);
    // A wrong proxy key, a missing one, and the upstream key offered as the proxy key.
    expect(await call('/v1/chat/completions', chat('x'), 'sk-wrong-wrong-wrong')).toBe(401);
    expect(await call('/v1/chat/completions', chat('x'), undefined)).toBe(401);
    expect(await call('/v1/chat/completions', chat('x'), upstreamKeyA)).toBe(401);
    // Upstream failures: A answers 500 (cooled), B answers 401 (disabled): the client gets an error.
    upstreamA.fallback = { kind: 'error', status: 500 };
    upstreamB.fallback = { kind: 'error', status: 401, type: 'invalid_request_error', code: 'invalid_api_key', message: 'Incorrect API key provided: sk-proj-***. You can find your API key at https://platform.openai.com/account/api-keys.' };
    const failed = [await call('/v1/chat/completions', chat('fail 1'), proxyKey), await call('/v1/chat/completions', chat('fail 2', true), proxyKey)];
    expect(failed.every((status) => status >= 400)).toBe(true);
    expect(await call('/v1/chat/completions', chat('after'), proxyKey)).toBeGreaterThanOrEqual(400);
    expect(upstreamB.requests.some((r) => r.headers.authorization === `Bearer ${upstreamKeyB}`)).toBe(true); // the key really was used

    const accounts = JSON.parse(ok(await cli('accounts', 'list', '--json'))) as Array<{ label: string; status: { state: string } }>;
    expect(accounts.find((a) => a.label === 'b')?.status.state).toBe('disabled');
    ok(await cli('accounts', 'list'));
    const status = JSON.parse(ok(await cli('status', '--json')));
    expect(status.daemon.state).toBe('running');
    ok(await cli('status'));
    ok(await cli('config', 'get', '--json'));
    ok(await cli('config', 'get'));
    const logs = ok(await cli('logs', '--json', '--limit', '100'));
    expect(logs.trim().split('\n').length).toBeGreaterThanOrEqual(9);
    ok(await cli('logs'));
    ok(await cli('stats', '--json'));

    await new Promise((resolve) => setTimeout(resolve, 300));
    follower.kill('SIGINT');
    await followerExited;
    expect(followOutput.trim().split('\n').length).toBeGreaterThanOrEqual(9);
    seen.push({ where: 'logs --follow --json', text: followOutput });
    seen.push({ where: 'serve stdout/stderr', text: daemon.output });
    const logDir = path.join(home.dir, 'logs');
    const logFiles = readdirSync(logDir);
    expect(logFiles.length).toBeGreaterThan(0);
    for (const name of logFiles) seen.push({ where: `logs/${name}`, text: readFileSync(path.join(logDir, name), 'utf8') });
    // Captured bodies are in the log (so the search below really covers them).
    expect(seen.some((s) => s.where.startsWith('logs/') && s.text.includes('fail 1'))).toBe(true);

    for (const secret of [upstreamKeyA, upstreamKeyB, proxyKey]) {
      for (const { where, text } of seen) {
        if (where.includes('config set') || where.includes('accounts add')) continue; // the commands that were given the keys
        expect(text.includes(secret), `${where} leaks ${secret.slice(0, 8)}…`).toBe(false);
        // Nor a long piece of one (a key "masked" by cutting off a few characters).
        expect(text.includes(secret.slice(0, 24)), `${where} leaks the start of ${secret.slice(0, 8)}…`).toBe(false);
      }
    }
    // The searches can find: --reveal shows the proxy key, and only it.
    const revealed = ok(await runCli(home.dir, ['config', 'get', '--reveal']));
    expect(revealed).toContain(proxyKey);
    expect(revealed).not.toContain(upstreamKeyA);
  }, 90_000);

  it('data files are 0600 and the data dir and logs dir 0700', () => {
    const mode = (name: string) => statSync(path.join(home.dir, name)).mode & 0o777;
    expect(mode('.')).toBe(0o700);
    expect(mode('logs')).toBe(0o700);
    for (const name of ['config.json', 'accounts.json', 'control-token', 'daemon.json', 'daemon.lock']) expect(mode(name), name).toBe(0o600);
    for (const name of readdirSync(path.join(home.dir, 'logs'))) expect(mode(path.join('logs', name)), name).toBe(0o600);
    // The upstream keys live in accounts.json, and only there.
    expect(readFileSync(path.join(home.dir, 'accounts.json'), 'utf8')).toContain(upstreamKeyA);
  });
});
