import { execFile, spawn, type ChildProcessWithoutNullStreams } from 'node:child_process';
import { existsSync, readdirSync, readFileSync, realpathSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import OpenAI from 'openai';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { NATIVE_HOST_NAME, EXTENSION_ID } from '../shared/extension-identity.js';
import { encodeNativeMessage, NativeMessageDecoder } from '../host/native/native-framing.js';
import { isProcessAlive, readLiveDaemonFile } from '../host/store/daemon-file.js';
import { startFakeOpenAIUpstream, type FakeOpenAIUpstream } from './fakes/fake-openai-upstream.js';
import { freePort, makeTempHome } from './helpers/temp-home.js';

const run = promisify(execFile);
const REPO = fileURLToPath(new URL('..', import.meta.url));
const VERSION = (JSON.parse(readFileSync(path.join(REPO, 'package.json'), 'utf8')) as { version: string }).version;

/**
 * The npm tarball installs and runs like a real app, away from this clone: `npm pack`, a global
 * install into a throwaway prefix with no network (`--offline`: the tarball has no dependencies to
 * fetch, the CLI being one esbuild bundle), then the installed `localgate`: --version, serve
 * relaying a real request, and install-native-host writing a launcher that runs the installed
 * package, which a browser could start. Slow (a pack and an install): one file, generous timeouts.
 */
describe('the npm package, installed globally', () => {
  let work: { dir: string; cleanup(): void };
  let prefix: string;
  let installed: string;
  let bin: string;

  beforeAll(async () => {
    work = makeTempHome('localgate-pack-');
    prefix = path.join(work.dir, 'prefix');
    // --ignore-scripts: prepack would rebuild dist/cli/ (what the tarball ships), which the test
    // run's global setup just built, while other test files run that same build.
    const packed = await run('npm', ['pack', '--ignore-scripts', '--json', '--pack-destination', work.dir], { cwd: REPO, maxBuffer: 16 * 1024 * 1024 });
    const [{ filename }] = JSON.parse(packed.stdout) as [{ filename: string }];
    await run('npm', ['install', '--global', '--prefix', prefix, '--offline', '--no-audit', '--no-fund', path.join(work.dir, filename)], { cwd: work.dir });
    bin = path.join(prefix, 'bin', 'localgate');
    installed = realpathSync(path.join(prefix, 'lib', 'node_modules', 'localgate'));
  }, 240_000);

  afterAll(() => work?.cleanup());

  /** The installed binary, run from outside the clone with its own data dir and HOME. */
  function localgate(args: string[], env: { home: string; dataDir: string }, input?: string) {
    const child = spawn(bin, args, { cwd: work.dir, env: isolatedEnv(env), stdio: ['pipe', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    child.stdin.end(input);
    return {
      child,
      output: () => stdout + stderr,
      done: new Promise<{ code: number | null; stdout: string; stderr: string }>((resolve) => child.once('close', (code) => resolve({ code, stdout, stderr }))),
    };
  }

  it('holds the launcher and the bundle only, and nothing that runs at install', () => {
    expect(readdirSync(installed).sort()).toEqual(['README.md', 'bin', 'dist', 'package.json']);
    expect(readdirSync(path.join(installed, 'dist'))).toEqual(['cli']);
    const manifest = JSON.parse(readFileSync(path.join(installed, 'package.json'), 'utf8')) as { dependencies?: object; scripts?: Record<string, string> };
    expect(manifest.dependencies ?? {}).toEqual({});
    for (const hook of ['preinstall', 'install', 'postinstall', 'prepare']) expect(manifest.scripts?.[hook], hook).toBeUndefined();
  });

  it('prints its version', async () => {
    const home = makeTempHome('localgate-pack-home-');
    try {
      expect(await localgate(['--version'], { home: home.dir, dataDir: home.dir }).done).toMatchObject({ code: 0, stdout: `${VERSION}\n` });
    } finally {
      home.cleanup();
    }
  });

  describe('serve and the native host', () => {
    let home: { dir: string; cleanup(): void };
    let dataDir: string;
    let upstream: FakeOpenAIUpstream;
    let serve: ReturnType<typeof localgate> | undefined;

    beforeAll(async () => {
      home = makeTempHome('localgate-pack-home-');
      dataDir = path.join(home.dir, 'data');
      upstream = await startFakeOpenAIUpstream();
    });

    afterAll(async () => {
      serve?.child.kill('SIGKILL');
      await upstream?.close();
      home?.cleanup();
    });

    it('serves a request through an account, answers /healthz and reports its status over the control channel', async () => {
      const env = { home: home.dir, dataDir };
      const added = await localgate(['accounts', 'add', '--provider', 'openai', '--base-url', upstream.baseUrl, '--api-key-stdin', '--label', 'packed'], env, `${upstream.apiKey}\n`).done;
      expect(added, added.stderr).toMatchObject({ code: 0 });
      const port = await freePort();
      serve = localgate(['serve', '--port', String(port)], env);
      await waitFor(() => serve!.output().includes(`Localgate proxy listening on http://127.0.0.1:${port}`), () => serve!.output());

      expect((await fetch(`http://127.0.0.1:${port}/healthz`)).status).toBe(200);
      const apiKey = (JSON.parse(readFileSync(path.join(dataDir, 'config.json'), 'utf8')) as { api_key: string }).api_key;
      const completion = await new OpenAI({ baseURL: `http://127.0.0.1:${port}/v1`, apiKey, maxRetries: 0 }).chat.completions.create({
        model: 'gpt-4o-mini',
        messages: [{ role: 'user', content: 'hi' }],
      });
      expect(completion.choices[0]?.message.content).toBeTruthy();
      expect(upstream.requests).toHaveLength(1);

      const status = await localgate(['status', '--json'], env).done;
      expect(status, status.stderr).toMatchObject({ code: 0 });
      expect(JSON.parse(status.stdout)).toMatchObject({ daemon: { state: 'running', version: VERSION }, proxy: { state: 'running', port }, active_accounts: 1 });
    }, 120_000);

    it('install-native-host writes a manifest whose launcher runs the installed package, and the launcher relays to the daemon', async () => {
      const env = { home: home.dir, dataDir };
      const result = await localgate(['install-native-host', '--browser', 'chrome'], env).done;
      expect(result, result.stderr).toMatchObject({ code: 0 });
      const manifestPath = path.join(home.dir, '.config', 'google-chrome', 'NativeMessagingHosts', `${NATIVE_HOST_NAME}.json`);
      const manifest = JSON.parse(readFileSync(manifestPath, 'utf8')) as { path: string; allowed_origins: string[] };
      expect(manifest.allowed_origins).toEqual([`chrome-extension://${EXTENSION_ID}/`]);
      const launcher = readFileSync(manifest.path, 'utf8');
      expect(launcher).toContain(path.join(installed, 'bin', 'localgate.js'));
      expect(launcher).not.toContain(REPO);

      // What the browser does: start the launcher with the caller's origin and talk native messaging.
      const host = spawn(manifest.path, [`chrome-extension://${EXTENSION_ID}/`], { env: isolatedEnv(env), stdio: ['pipe', 'pipe', 'pipe'] }) as ChildProcessWithoutNullStreams;
      const replies: unknown[] = [];
      const decoder = new NativeMessageDecoder((message) => replies.push(message));
      host.stdout.on('data', (chunk: Buffer) => decoder.push(chunk));
      host.stdin.write(encodeNativeMessage({ id: 'browser-1', type: 'proxy.status' }));
      try {
        await waitFor(() => replies.length > 0, () => JSON.stringify(replies));
        expect(replies[0]).toMatchObject({ id: 'browser-1', ok: true, result: { proxy: { state: 'running' }, active_accounts: 1 } });
        expect(readLiveDaemonFile(dataDir)?.pid).toBe(serve!.child.pid);
      } finally {
        host.stdin.end();
        host.kill('SIGKILL');
      }
    }, 120_000);

    it('shuts down when asked', async () => {
      const daemonPid = serve!.child.pid!;
      const stopped = await localgate(['shutdown'], { home: home.dir, dataDir }).done;
      expect(stopped, stopped.stderr).toMatchObject({ code: 0 });
      await waitFor(() => !isProcessAlive(daemonPid), () => 'daemon still alive');
      expect(existsSync(path.join(dataDir, 'daemon.json'))).toBe(false);
    }, 60_000);
  });
});

/** The user's environment minus anything that points at this clone's data or pins a port. */
function isolatedEnv({ home, dataDir }: { home: string; dataDir: string }): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = { ...process.env, HOME: home, LOCALGATE_HOME: dataDir };
  delete env.LOCALGATE_CONTROL_PORT;
  return env;
}

async function waitFor(condition: () => boolean, describe: () => string, timeoutMs = 30_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!condition()) {
    if (Date.now() > deadline) throw new Error(`timed out; so far: ${describe()}`);
    await new Promise((resolve) => setTimeout(resolve, 25));
  }
}
