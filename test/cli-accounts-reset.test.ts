import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { startFakeOpenAIUpstream, type FakeOpenAIUpstream } from './fakes/fake-openai-upstream.js';
import { runCli, ServeProcess, type CliResult } from './helpers/cli-process.js';
import { freePort, makeTempHome } from './helpers/temp-home.js';

const NO_ACCOUNTS = 'No available accounts, please add an account first';

describe('localgate accounts reset (built CLI, as a subprocess)', () => {
  let home: { dir: string; cleanup(): void };
  let upstream: FakeOpenAIUpstream;
  const daemons: ServeProcess[] = [];


  beforeEach(async () => {
    home = makeTempHome('localgate-cli-reset-');
    upstream = await startFakeOpenAIUpstream();
  });

  afterEach(async () => {
    await Promise.all(daemons.splice(0).map((daemon) => daemon.kill()));
    await upstream.close();
    home.cleanup();
  });

  const cli = (...args: string[]) => runCli(home.dir, args);

  function expectOk(result: CliResult): CliResult {
    if (result.code !== 0) throw new Error(`exit ${result.code}\nstdout: ${result.stdout}\nstderr: ${result.stderr}`);
    return result;
  }

  async function addAccount(apiKey: string, label: string): Promise<string> {
    const added = expectOk(await cli('accounts', 'add', '--provider', 'openai', '--base-url', upstream.baseUrl, '--api-key', apiKey, '--label', label, '--json'));
    return (JSON.parse(added.stdout) as { id: string }).id;
  }

  it('without a daemon: checks the id and says there is nothing to reset', async () => {
    const id = await addAccount(upstream.apiKey, 'main');
    const reset = expectOk(await cli('accounts', 'reset', id));
    expect(reset.stdout.trim()).toBe(`Reset account ${id} (main): ready`);
    expect(reset.stderr).toContain('No daemon running');
    const missing = await cli('accounts', 'reset', 'acc_nope');
    expect(missing.code).toBe(1);
    expect(missing.stderr).toContain('No account with id "acc_nope"');
  });

  it('with a daemon: list and status show why an account rests; reset makes it ready', async () => {
    const port = await freePort();
    const daemon = ServeProcess.start(home.dir, ['--port', String(port)]);
    daemons.push(daemon);
    await daemon.waitForOutput(NO_ACCOUNTS);
    const id = await addAccount('sk-wrong-key-0123456789', 'bad');
    await daemon.waitForOutput(`Localgate proxy listening on http://127.0.0.1:${port}`);

    const response = await fetch(`http://127.0.0.1:${port}/v1/chat/completions`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ model: 'gpt-4o-mini', messages: [{ role: 'user', content: 'hi' }] }),
    });
    expect(response.status).toBe(503);
    await response.text();

    const listed = JSON.parse(expectOk(await cli('accounts', 'list', '--json')).stdout) as unknown[];
    expect(listed).toEqual([expect.objectContaining({ id, status: { state: 'disabled', kind: 'key-rejected', reason: 'upstream rejected the key (HTTP 401)' } })]);
    expect(expectOk(await cli('accounts', 'list')).stdout).toContain('disabled (upstream rejected the key (HTTP 401))');
    const status = expectOk(await cli('status')).stdout;
    expect(status).toContain('Accounts: 0 active, 1 enabled, 1 total');
    expect(status).toContain(`bad (${id}): disabled (upstream rejected the key (HTTP 401))`);

    const reset = expectOk(await cli('accounts', 'reset', id, '--json'));
    expect(JSON.parse(reset.stdout)).toMatchObject({ id, status: { state: 'ready' } });
    expect(reset.stderr).toContain('Applied to the running daemon');
    expect(expectOk(await cli('status')).stdout).toContain('Accounts: 1 active, 1 enabled, 1 total');
    expect(expectOk(await cli('status')).stdout).not.toContain(`bad (${id})`);
  }, 60_000);
});
