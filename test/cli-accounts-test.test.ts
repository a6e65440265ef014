import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { startFakeAnthropicUpstream, type FakeAnthropicUpstream } from './fakes/fake-anthropic-upstream.js';
import { startFakeGeminiUpstream, type FakeGeminiUpstream } from './fakes/fake-gemini-upstream.js';
import { startFakeOpenAIUpstream, type FakeOpenAIUpstream } from './fakes/fake-openai-upstream.js';
import { ANTHROPIC_500, GEMINI_500, OPENAI_500 } from './fakes/provider-errors.js';
import { runCli, ServeProcess, type CliResult } from './helpers/cli-process.js';
import { freePort, makeTempHome } from './helpers/temp-home.js';

const NO_ACCOUNTS = 'No available accounts, please add an account first';
type Provider = 'openai' | 'anthropic' | 'gemini';

/**
 * `localgate accounts test ID`: one call to the provider's model list with the account's key,
 * from the CLI alone (no daemon) and through a running daemon (the `accounts.test` control
 * message), against fakes that answer as each provider does: the list, its real key-refused
 * error, a 500 in its own words; and an address where nothing listens.
 */
describe('localgate accounts test (built CLI, as a subprocess)', () => {
  let home: { dir: string; cleanup(): void };
  let openai: FakeOpenAIUpstream;
  let anthropic: FakeAnthropicUpstream;
  let gemini: FakeGeminiUpstream;
  const daemons: ServeProcess[] = [];

  beforeAll(async () => {
    [openai, anthropic, gemini] = await Promise.all([
      startFakeOpenAIUpstream({ models: ['gpt-4o', 'gpt-4o-mini', 'o3'] }),
      startFakeAnthropicUpstream(),
      startFakeGeminiUpstream(),
    ]);
  });
  afterAll(async () => {
    await Promise.all([openai.close(), anthropic.close(), gemini.close()]);
  });
  beforeEach(() => {
    home = makeTempHome('localgate-cli-test-');
  });
  afterEach(async () => {
    await Promise.all(daemons.splice(0).map((daemon) => daemon.kill()));
    for (const upstream of [openai, anthropic, gemini]) upstream.modelListError = undefined;
    home.cleanup();
  });

  const cli = (...args: string[]) => runCli(home.dir, args);
  const fakes = () => ({ openai, anthropic, gemini });

  function expectOk(result: CliResult): CliResult {
    if (result.code !== 0) throw new Error(`exit ${result.code}\nstdout: ${result.stdout}\nstderr: ${result.stderr}`);
    return result;
  }

  async function addAccount(provider: Provider, options: { apiKey?: string; baseUrl?: string; models?: string } = {}): Promise<string> {
    const upstream = fakes()[provider];
    const args = ['accounts', 'add', '--provider', provider, '--base-url', options.baseUrl ?? upstream.baseUrl, '--api-key', options.apiKey ?? upstream.apiKey, '--json'];
    if (options.models) args.push('--models', options.models);
    const added = expectOk(await cli(...args));
    return (JSON.parse(added.stdout) as { id: string }).id;
  }

  describe('without a daemon', () => {
    it('works: the model count, with the account’s patterns applied; each provider asked with the key', async () => {
      const ids = { openai: await addAccount('openai', { models: 'gpt-4o*' }), anthropic: await addAccount('anthropic'), gemini: await addAccount('gemini') };
      const before = { openai: openai.modelListRequests.length, anthropic: anthropic.modelListRequests.length, gemini: gemini.modelListRequests.length };
      expect(expectOk(await cli('accounts', 'test', ids.openai)).stdout).toBe(`${ids.openai}: works (2 models)\n`);
      expect(expectOk(await cli('accounts', 'test', ids.anthropic)).stdout).toBe(`${ids.anthropic}: works (2 models)\n`);
      expect(JSON.parse(expectOk(await cli('accounts', 'test', ids.gemini, '--json')).stdout)).toEqual({ outcome: 'works', modelCount: 3 });
      expect(openai.modelListRequests.slice(before.openai).map((r) => r.headers.authorization)).toEqual([`Bearer ${openai.apiKey}`]);
      expect(anthropic.modelListRequests.slice(before.anthropic).map((r) => r.headers['x-api-key'])).toEqual([anthropic.apiKey]);
      expect(gemini.modelListRequests.slice(before.gemini).map((r) => r.headers['x-goog-api-key'])).toEqual([gemini.apiKey]);
    });

    it('key rejected: each provider’s own refusal (OpenAI and Anthropic 401, Gemini 400 API_KEY_INVALID), the key nowhere', async () => {
      const wrongKeys = { openai: 'sk-proj-wrongwrongwrong0123', anthropic: 'sk-ant-api03-wrongwrongwrong0123', gemini: 'AIzaWrongWrongWrong0123456' };
      const expected = {
        // The key OpenAI quotes (already starred) is masked whole, its full stop with it (openai-chat/decode-error.ts).
        openai: 'key rejected: HTTP 401: Incorrect API key provided: sk-*** You can find your API key at https://platform.openai.com/account/api-keys.',
        anthropic: 'key rejected: HTTP 401: invalid x-api-key',
        gemini: 'key rejected: HTTP 400: API key not valid. Please pass a valid API key.',
      };
      for (const provider of ['openai', 'anthropic', 'gemini'] as const) {
        const id = await addAccount(provider, { apiKey: wrongKeys[provider] });
        const result = await cli('accounts', 'test', id);
        expect(result.code).toBe(1);
        expect(result.stdout).toBe(`${id}: ${expected[provider]}\n`);
        expect(result.stdout + result.stderr).not.toContain(wrongKeys[provider]);
        const json = await cli('accounts', 'test', id, '--json');
        expect(json.code).toBe(1);
        expect(JSON.parse(json.stdout)).toEqual({ outcome: 'key-rejected', message: expected[provider].replace('key rejected: ', '') });
      }
    });

    it('unreachable: nothing listens at the base URL', async () => {
      const port = await freePort();
      const id = await addAccount('anthropic', { baseUrl: `http://127.0.0.1:${port}` });
      const result = await cli('accounts', 'test', id);
      expect(result.code).toBe(1);
      expect(result.stdout).toBe(`${id}: unreachable: connection refused by 127.0.0.1:${port}\n`);
    });

    it('a 500 in the provider’s words', async () => {
      openai.modelListError = { status: 500, body: OPENAI_500 };
      anthropic.modelListError = { status: 500, body: ANTHROPIC_500 };
      gemini.modelListError = { status: 500, body: GEMINI_500 };
      const expected = {
        openai: 'HTTP 500: The server had an error while processing your request. Sorry about that!',
        anthropic: 'HTTP 500: Internal server error',
        gemini: 'HTTP 500: An internal error has occurred. Please retry or report in https://developers.generativeai.google/guide/troubleshooting',
      };
      for (const provider of ['openai', 'anthropic', 'gemini'] as const) {
        const id = await addAccount(provider);
        const result = await cli('accounts', 'test', id);
        expect(result.code).toBe(1);
        expect(result.stdout).toBe(`${id}: provider error: ${expected[provider]}\n`);
      }
    });

    it('an upstream that quotes the key back: the message carries it masked', async () => {
      const key = 'gsk_live_quotedback0123456789';
      const upstream = await startFakeOpenAIUpstream({ apiKey: key });
      try {
        upstream.modelListError = { status: 402, body: { error: { message: `Key ${key} has no credit left`, type: 'billing_error', param: null, code: null } } };
        const added = expectOk(await cli('accounts', 'add', '--provider', 'openai', '--base-url', upstream.baseUrl, '--api-key', key, '--json'));
        const id = (JSON.parse(added.stdout) as { id: string }).id;
        const result = await cli('accounts', 'test', id);
        expect(result.code).toBe(1);
        expect(result.stdout).toBe(`${id}: provider error: HTTP 402: Key gsk_li…6789 has no credit left\n`);
        expect(result.stdout + result.stderr).not.toContain(key);
      } finally {
        await upstream.close();
      }
    });

    it('an unknown id', async () => {
      const result = await cli('accounts', 'test', 'acc_nope');
      expect(result.code).toBe(1);
      expect(result.stderr).toContain('No account with id "acc_nope"');
    });
  });

  it('through a running daemon: the same answers, and the list shows each account’s model count', async () => {
    const port = await freePort();
    const daemon = ServeProcess.start(home.dir, ['--port', String(port)]);
    daemons.push(daemon);
    await daemon.waitForOutput(NO_ACCOUNTS);
    const works = await addAccount('gemini');
    const rejected = await addAccount('openai', { apiKey: 'sk-proj-wrongwrongwrong0123' });
    const refusedPort = await freePort();
    const unreachable = await addAccount('openai', { baseUrl: `http://127.0.0.1:${refusedPort}/v1` });

    expect(expectOk(await cli('accounts', 'test', works)).stdout).toBe(`${works}: works (3 models)\n`);
    const refused = await cli('accounts', 'test', rejected, '--json');
    expect(refused.code).toBe(1);
    expect(JSON.parse(refused.stdout)).toMatchObject({ outcome: 'key-rejected' });
    const nobody = await cli('accounts', 'test', unreachable);
    expect(nobody.code).toBe(1);
    expect(nobody.stdout).toBe(`${unreachable}: unreachable: connection refused by 127.0.0.1:${refusedPort}\n`);
    anthropic.modelListError = { status: 500, body: ANTHROPIC_500 };
    const failing = await addAccount('anthropic');
    expect((await cli('accounts', 'test', failing)).stdout).toBe(`${failing}: provider error: HTTP 500: Internal server error\n`);

    // Only the daemon knows counts: the gemini account's is there, the others' unknown.
    const listed = JSON.parse(expectOk(await cli('accounts', 'list', '--json')).stdout) as Array<{ id: string; model_count?: number }>;
    expect(Object.fromEntries(listed.map((account) => [account.id, account.model_count]))).toEqual({ [works]: 3, [rejected]: undefined, [unreachable]: undefined, [failing]: undefined });
    const table = expectOk(await cli('accounts', 'list')).stdout;
    expect(table.split('\n')[0]).toMatch(/BASE URL\s+SERVES\s+MODELS$/);
    expect(table.split('\n').find((line) => line.startsWith(works))).toMatch(/\s3 models\s+\*$/);
    expect(table.split('\n').find((line) => line.startsWith(rejected))).toMatch(/\s\?\s+\*$/);
  }, 60_000);
});
