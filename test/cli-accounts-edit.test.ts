import { readFileSync } from 'node:fs';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { startFakeOpenAIUpstream, type FakeOpenAIUpstream } from './fakes/fake-openai-upstream.js';
import { expectOk, runCli, ServeProcess, startCli } from './helpers/cli-process.js';
import { freePort, makeTempHome } from './helpers/temp-home.js';

describe('localgate accounts edit (built CLI, as a subprocess)', () => {
  let home: { dir: string; cleanup(): void };
  let upstream: FakeOpenAIUpstream;
  const daemons: ServeProcess[] = [];

  beforeEach(async () => {
    home = makeTempHome('localgate-cli-edit-');
    upstream = await startFakeOpenAIUpstream();
  });

  afterEach(async () => {
    await Promise.all(daemons.splice(0).map((daemon) => daemon.kill()));
    await upstream.close();
    home.cleanup();
  });

  const cli = (...args: string[]) => runCli(home.dir, args);
  const saved = () => JSON.parse(readFileSync(path.join(home.dir, 'accounts.json'), 'utf8')).accounts as Array<Record<string, unknown>>;

  async function addAccount(apiKey: string): Promise<string> {
    const added = expectOk(await cli('accounts', 'add', '--provider', 'openai', '--base-url', upstream.baseUrl, '--api-key', apiKey, '--label', 'main', '--models', 'gpt-4o', '--json'));
    return (JSON.parse(added.stdout) as { id: string }).id;
  }

  it('without a daemon: changes only what is named, a key from stdin included, and never prints it', async () => {
    const id = await addAccount('sk-first-key-0123456789');
    const edited = expectOk(await cli('accounts', 'edit', id, '--label', 'team', '--models', 'gpt-4o*, o3'));
    expect(edited.stdout.trim()).toMatch(new RegExp(`^Changed account ${id} \\(team, key `));
    expect(saved()[0]).toMatchObject({ label: 'team', base_url: upstream.baseUrl, api_key: 'sk-first-key-0123456789', models: ['gpt-4o*', 'o3'] });

    const { child, result } = startCli(home.dir, ['accounts', 'edit', id, '--api-key-stdin', '--any-model'], { stdin: 'pipe' });
    child.stdin!.end('sk-second-key-9876543210\n');
    const rekeyed = expectOk(await result);
    expect(rekeyed.stdout + rekeyed.stderr).not.toContain('sk-second-key-9876543210');
    expect(saved()[0]).toMatchObject({ label: 'team', api_key: 'sk-second-key-9876543210' });
    expect(saved()[0]).not.toHaveProperty('models');

    const nothing = await cli('accounts', 'edit', id);
    expect(nothing.code).toBe(1);
    expect(nothing.stderr).toContain('Nothing to change');
    const bad = await cli('accounts', 'edit', id, '--base-url', 'ftp://x');
    expect(bad.code).toBe(1);
    expect(bad.stderr).toContain('base_url');
  });

  it('with a daemon: a new key for a rejected account serves at once', async () => {
    const port = await freePort();
    const daemon = ServeProcess.start(home.dir, ['--port', String(port)]);
    daemons.push(daemon);
    const id = await addAccount('sk-wrong-key-0123456789');
    await daemon.waitForOutput(`Localgate proxy listening on http://127.0.0.1:${port}`, 30_000); // a loaded machine starts slowly
    const chat = () =>
      fetch(`http://127.0.0.1:${port}/v1/chat/completions`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ model: 'gpt-4o', messages: [{ role: 'user', content: 'hi' }] }),
      });
    const refused = await chat();
    expect(refused.status).toBe(503);
    await refused.text();

    const edited = expectOk(await cli('accounts', 'edit', id, '--api-key', upstream.apiKey, '--json'));
    expect(JSON.parse(edited.stdout)).toMatchObject({ id, status: { state: 'ready' } });
    expect(edited.stdout).not.toContain(upstream.apiKey);
    expect(edited.stderr).toContain('Applied to the running daemon');
    const served = await chat();
    expect(served.status).toBe(200);
    await served.text();
  }, 60_000);
});
