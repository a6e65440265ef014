import { spawn, type ChildProcess } from 'node:child_process';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

/** The built CLI, as users run it (test/helpers/build-host.ts builds it before the tests). */
export const CLI_BIN = path.join(fileURLToPath(new URL('../..', import.meta.url)), 'bin', 'localgate.js');

export interface CliResult {
  code: number | null;
  stdout: string;
  stderr: string;
}

/** The environment of a CLI run: the test's data dir, and nothing inherited that would pin ports. */
function cliEnv(home: string): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = { ...process.env, LOCALGATE_HOME: home };
  delete env.LOCALGATE_CONTROL_PORT;
  return env;
}

/** The result of a command that must succeed; else an error with its exit code and both outputs. */
export function expectOk(result: CliResult): CliResult {
  if (result.code !== 0) throw new Error(`exit ${result.code}\nstdout: ${result.stdout}\nstderr: ${result.stderr}`);
  return result;
}

/** Runs one CLI command to completion (killed after `timeoutMs`), with no stdin. */
export function runCli(home: string, args: string[], timeoutMs = 15_000): Promise<CliResult> {
  return startCli(home, args, { stdin: 'ignore', timeoutMs }).result;
}

/**
 * Starts one CLI command; with `stdin: 'pipe'` the test writes to `child.stdin` (e.g. a key for
 * `--api-key-stdin`) and the command waits for it. `result` settles when it exits.
 */
export function startCli(home: string, args: string[], options: { stdin: 'ignore' | 'pipe'; timeoutMs?: number }): { child: ChildProcess; result: Promise<CliResult> } {
  const child = spawn(process.execPath, [CLI_BIN, ...args], { env: cliEnv(home), stdio: [options.stdin, 'pipe', 'pipe'] });
  const result = new Promise<CliResult>((resolve, reject) => {
    let stdout = '';
    let stderr = '';
    child.stdout!.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
    child.stderr!.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    const timer = setTimeout(() => child.kill('SIGKILL'), options.timeoutMs ?? 15_000);
    child.once('error', reject);
    child.once('close', (code) => {
      clearTimeout(timer);
      resolve({ code, stdout, stderr });
    });
  });
  return { child, result };
}

/**
 * A `localgate serve` running in the background, in its own process group (so a test can signal
 * the group, as a terminal's Ctrl-C does, and cleanup can kill whatever it started).
 */
export class ServeProcess {
  readonly child: ChildProcess;
  readonly exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
  #output = '';

  private constructor(home: string, args: string[]) {
    this.child = spawn(process.execPath, [CLI_BIN, 'serve', ...args], { env: cliEnv(home), stdio: ['ignore', 'pipe', 'pipe'], detached: true });
    this.child.stdout!.on('data', (chunk: Buffer) => (this.#output += chunk.toString()));
    this.child.stderr!.on('data', (chunk: Buffer) => (this.#output += chunk.toString()));
    this.exited = new Promise((resolve) => this.child.once('exit', (code, signal) => resolve({ code, signal })));
  }

  static start(home: string, args: string[] = []): ServeProcess {
    return new ServeProcess(home, args);
  }

  get pid(): number {
    return this.child.pid!;
  }

  /** stdout and stderr so far. */
  get output(): string {
    return this.#output;
  }

  get running(): boolean {
    return this.child.exitCode === null && this.child.signalCode === null;
  }

  /** Resolves once the output contains `text`; rejects on timeout or if the process exits first. */
  async waitForOutput(text: string, timeoutMs = 15_000): Promise<void> {
    const deadline = Date.now() + timeoutMs;
    while (!this.#output.includes(text)) {
      if (!this.running) throw new Error(`serve exited before printing "${text}". Output:\n${this.#output}`);
      if (Date.now() > deadline) throw new Error(`serve did not print "${text}" within ${timeoutMs} ms. Output:\n${this.#output}`);
      await new Promise((resolve) => setTimeout(resolve, 25));
    }
  }

  /** Sends a signal to the process, or to its whole group. */
  signal(signal: NodeJS.Signals, options: { group?: boolean } = {}): void {
    process.kill(options.group ? -this.pid : this.pid, signal);
  }

  /** Kills the group if still running and waits for the exit: for afterEach. */
  async kill(): Promise<void> {
    if (this.running) {
      try {
        this.signal('SIGKILL', { group: true });
      } catch {
        // Already gone.
      }
    }
    await this.exited;
  }
}
