import { afterEach, describe, expect, it } from 'vitest';
import { spawn, type ChildProcessWithoutNullStreams } from 'node:child_process';
import { EXTENSION_ID } from '../shared/extension-identity.js';
import { DaemonStatusSchema } from '../shared/status.js';
import { encodeNativeMessage, NativeMessageDecoder } from '../host/native/native-framing.js';
import { isProcessAlive, readLiveDaemonFile } from '../host/store/daemon-file.js';
import { CLI_BIN } from './helpers/cli-process.js';
import { makeTempHome } from './helpers/temp-home.js';

/** The native host, started the way Chromium starts it: argv = [caller origin], pipes on stdio. */
function startHost(home: string, caller: string) {
  const env: NodeJS.ProcessEnv = { ...process.env, LOCALGATE_HOME: home };
  delete env.LOCALGATE_CONTROL_PORT;
  const child = spawn(process.execPath, [CLI_BIN, 'native', caller], { env, stdio: ['pipe', 'pipe', 'pipe'] }) as ChildProcessWithoutNullStreams;
  const messages: any[] = [];
  const decoder = new NativeMessageDecoder((message) => messages.push(message));
  child.stdout.on('data', (chunk: Buffer) => decoder.push(chunk));
  const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
  return {
    child,
    messages,
    exited,
    async next(predicate: (m: any) => boolean, timeoutMs = 15_000) {
      const deadline = Date.now() + timeoutMs;
      while (Date.now() < deadline) {
        const found = messages.find(predicate);
        if (found) return found;
        await new Promise((resolve) => setTimeout(resolve, 20));
      }
      throw new Error(`no matching message; got ${JSON.stringify(messages)}`);
    },
  };
}

describe('localgate native (the browser-launched relay)', () => {
  const cleanups: Array<() => void> = [];
  afterEach(() => cleanups.splice(0).forEach((cleanup) => cleanup()));

  function home(): string {
    const temp = makeTempHome();
    cleanups.push(() => {
      const daemon = readLiveDaemonFile(temp.dir);
      if (daemon) process.kill(daemon.pid, 'SIGKILL');
      temp.cleanup();
    });
    return temp.dir;
  }

  it('starts the daemon detached, relays requests byte-split however the pipe delivers them, and exits when stdin ends', async () => {
    const dir = home();
    const host = startHost(dir, `chrome-extension://${EXTENSION_ID}/`);
    const frames = Buffer.concat([
      encodeNativeMessage({ id: 'a', type: 'proxy.status' }),
      encodeNativeMessage({ id: 'b', type: 'config.get' }),
    ]);
    // Split mid-length-prefix and mid-body, as a pipe may.
    host.child.stdin.write(frames.subarray(0, 2));
    await new Promise((resolve) => setTimeout(resolve, 30));
    host.child.stdin.write(frames.subarray(2, 17));
    host.child.stdin.write(frames.subarray(17));

    const status = await host.next((m) => m.id === 'a');
    expect(status.ok).toBe(true);
    const parsed = DaemonStatusSchema.parse(status.result);
    expect(parsed.proxy.state).toBe('stopped');
    expect(parsed.daemon.data_dir).toBe(dir);
    const config = await host.next((m) => m.id === 'b');
    expect(config.result.port).toBe(8045);

    const daemon = readLiveDaemonFile(dir)!;
    expect(daemon.pid).not.toBe(host.child.pid);

    const ended = performance.now();
    host.child.stdin.end();
    expect(await host.exited).toBe(0);
    expect(performance.now() - ended).toBeLessThan(1_500);
    // The daemon outlives its starter: the browser kills the host, never the proxy.
    expect(isProcessAlive(daemon.pid)).toBe(true);
  });

  it('passes daemon errors through with their codes and messages', async () => {
    const host = startHost(home(), `chrome-extension://${EXTENSION_ID}/`);
    host.child.stdin.write(encodeNativeMessage({ id: 'start', type: 'proxy.start' }));
    host.child.stdin.write(encodeNativeMessage({ id: 'bad', type: 'config.update', payload: { port: 80 } }));
    host.child.stdin.write(encodeNativeMessage({ nonsense: true }));
    expect(await host.next((m) => m.id === 'start')).toEqual({ id: 'start', ok: false, error: { code: 'NO_ACCOUNTS', message: 'No available accounts, please add an account first' } });
    expect(await host.next((m) => m.id === 'bad')).toMatchObject({ ok: false, error: { code: 'INVALID_CONFIG', message: expect.stringContaining('port') } });
    expect(await host.next((m) => m.id === 'unknown')).toMatchObject({ ok: false, error: { code: 'INVALID_MESSAGE' } });
    host.child.stdin.end();
    expect(await host.exited).toBe(0);
  });

  it('refuses a caller that is not our extension, without starting anything', async () => {
    const dir = home();
    const host = startHost(dir, 'chrome-extension://aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa/');
    host.child.stdin.write(encodeNativeMessage({ id: 'x', type: 'proxy.status' }));
    expect(await host.next((m) => m.id === 'x')).toMatchObject({ ok: false, error: { code: 'ORIGIN_FORBIDDEN' } });
    expect(readLiveDaemonFile(dir)).toBeUndefined();
    host.child.stdin.end();
    expect(await host.exited).toBe(0);
  });
});
