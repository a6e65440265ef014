import { describe, expect, it } from 'vitest';
import { daemonV8Flags } from './daemon-v8-flags.js';

const noChoice = { execArgv: [], nodeOptions: undefined };

describe('daemonV8Flags', () => {
  it('holds the young generation and TurboFan during start-up, and keeps wasm on Liftoff for good', () => {
    expect(daemonV8Flags(noChoice)).toEqual({
      atStart: ['--semi-space-growth-factor=1', '--no-turbofan', '--liftoff-only'],
      onceUp: ['--semi-space-growth-factor=2', '--turbofan'],
    });
  });

  it('leaves the young generation alone when the user sized its growth, in either spelling', () => {
    for (const chosen of [
      { execArgv: ['--semi-space-growth-factor=4'], nodeOptions: undefined },
      { execArgv: [], nodeOptions: '--max-old-space-size=512 --semi_space_growth_factor=3' },
    ]) {
      const flags = daemonV8Flags(chosen);
      expect(flags.atStart.some((flag) => flag.startsWith('--semi-space-growth-factor'))).toBe(false);
      expect(flags.onceUp.some((flag) => flag.startsWith('--semi-space-growth-factor'))).toBe(false);
      expect(flags.atStart).toContain('--no-turbofan');
    }
  });

  it('never turns TurboFan back on for a user who turned it off (or chose it), under either name', () => {
    for (const flag of ['--no-turbofan', '--no-opt', '--turbofan', '--jitless']) {
      const flags = daemonV8Flags({ execArgv: [flag], nodeOptions: undefined });
      expect(flags.atStart).not.toContain('--no-turbofan');
      expect(flags.onceUp).not.toContain('--turbofan');
    }
  });

  it("leaves wasm tiering to the user's choice", () => {
    for (const flag of ['--no-liftoff', '--wasm-dynamic-tiering', '--no-wasm-tier-up', '--liftoff-only', '--jitless']) {
      expect(daemonV8Flags({ execArgv: [], nodeOptions: flag }).atStart).not.toContain('--liftoff-only');
    }
    expect(daemonV8Flags({ execArgv: ['--jitless'], nodeOptions: undefined }).atStart).toEqual(['--semi-space-growth-factor=1']);
  });

  it('reads only flags, not values that look like flag names', () => {
    expect(daemonV8Flags({ execArgv: ['--title=turbofan'], nodeOptions: 'opt' })).toEqual(daemonV8Flags(noChoice));
  });
});
