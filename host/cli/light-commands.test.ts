import { afterEach, describe, expect, it, vi } from 'vitest';
import { handleError } from './handle-error.js';
import { lightCommandFor, runLightCommand } from './light-commands.js';
import { buildProgram } from './program.js';

// The actions both paths end in, recorded instead of run: the light path must reach the same
// action with the same arguments as commander.
const actions = vi.hoisted(() => ({ calls: [] as unknown[][] }));
vi.mock('./actions/status.js', () => ({ runStatus: async (options: unknown) => void actions.calls.push(['status', options]) }));
vi.mock('./actions/native.js', () => ({ runNative: (caller: unknown) => void actions.calls.push(['native', caller]) }));

interface Outcome {
  calls: unknown[][];
  stdout: string;
  stderr: string;
  exitCode: number;
}

/** Runs `run` as main.ts would (errors through handleError), capturing what it printed and chose. */
async function outcomeOf(run: () => Promise<void>): Promise<Outcome> {
  actions.calls = [];
  process.exitCode = undefined;
  let stdout = '';
  let stderr = '';
  const out = vi.spyOn(process.stdout, 'write').mockImplementation((chunk) => ((stdout += String(chunk)), true));
  const err = vi.spyOn(process.stderr, 'write').mockImplementation((chunk) => ((stderr += String(chunk)), true));
  try {
    await run();
  } catch (error) {
    handleError(error);
  } finally {
    out.mockRestore();
    err.mockRestore();
  }
  const exitCode = Number(process.exitCode ?? 0);
  process.exitCode = undefined;
  return { calls: actions.calls, stdout, stderr, exitCode };
}

const viaCommander = (args: string[]) => outcomeOf(() => buildProgram().parseAsync(['node', 'localgate', ...args]).then(() => undefined));

describe('light commands (run without commander)', () => {
  afterEach(() => vi.restoreAllMocks());

  const LIGHT_LINES = [
    ['--version'],
    ['-V'],
    ['status'],
    ['status', '--json'],
    ['native'],
    ['native', 'chrome-extension://mdondbjfkknahgioopfccablmlamlbim/'],
    ['native', 'chrome-extension://mdondbjfkknahgioopfccablmlamlbim/', '--parent-window=0'],
    ['native', '/home/u/.mozilla/native-messaging-hosts/dev.localgate.host.json', 'localgate@localgate.dev'],
  ];

  it.each(LIGHT_LINES)('%j prints, exits and runs exactly what commander does', async (...args) => {
    const light = lightCommandFor(args);
    expect(light).toBeDefined();
    const expected = await viaCommander(args);
    expect(await outcomeOf(() => runLightCommand(light!))).toEqual(expected);
    // Each line does something: prints the version, or reaches its action.
    expect(expected.stdout !== '' || expected.calls.length === 1).toBe(true);
  });

  // Commander reads the program's options anywhere on the line, drops `--`, checks arguments and
  // prints help: these lines mean something else than their light look-alikes, or are errors.
  const COMMANDER_LINES = [
    [],
    ['--version', 'status'],
    ['-V', 'status'],
    ['--json', 'status'],
    ['status', '--version'],
    ['status', '-V'],
    ['status', '--help'],
    ['status', '-h'],
    ['status', 'extra'],
    ['status', '--bogus'],
    ['status', '--json', '--json'],
    ['native', '--version'],
    ['native', '-V'],
    ['native', '--', 'chrome-extension://mdondbjfkknahgioopfccablmlamlbim/'],
    ['native', 'chrome-extension://mdondbjfkknahgioopfccablmlamlbim/', '--help'],
    ['help', 'status'],
    ['serve'],
  ];

  it.each(COMMANDER_LINES)('%j is left to commander', (...args) => {
    expect(lightCommandFor(args)).toBeUndefined();
  });

  it('leaves to commander the lines where its reading differs from the light one', async () => {
    // `status --version` prints the version and never asks for the status; `native -- x` drops the `--`.
    expect(await viaCommander(['status', '--version'])).toMatchObject({ calls: [], stdout: expect.stringMatching(/^\d+\.\d+\.\d+/), exitCode: 0 });
    expect((await viaCommander(['native', '--', 'a'])).calls).toEqual([['native', ['a']]]);
  });
});
