/**
 * The commands a process runs most often, recognised before commander loads: `--version`,
 * `status` (scripts and the bench poll it) and `native` (the browser starts it each time the
 * popup opens). Each light form runs the very action commander would run, with the same
 * arguments, so output, exit codes and errors are the same (light-commands.test.ts
 * checks every form against commander). Anything else, help included, goes through commander.
 *
 * Kept free of static imports: main.ts loads this before deciding what else to load.
 */
export type LightCommand =
  | { kind: 'version' }
  | { kind: 'status'; options: { json?: boolean } }
  | { kind: 'native'; caller: string[] };

/**
 * The light command for `args` (argv after the script), or undefined when commander must parse it.
 * Only forms whose meaning commander leaves in no doubt qualify: commander reads the program's
 * options (`-V`, `--version`, `-h`, `--help`) anywhere on the line, even after a subcommand, and
 * drops a `--`, so an argument that starts with `-` (beyond the ones named) sends the line to commander.
 */
export function lightCommandFor(args: readonly string[]): LightCommand | undefined {
  const [first, ...rest] = args;
  if (args.length === 1 && (first === '--version' || first === '-V')) return { kind: 'version' };
  if (first === 'status') {
    if (rest.length === 0) return { kind: 'status', options: {} };
    if (rest.length === 1 && rest[0] === '--json') return { kind: 'status', options: { json: true } };
    return undefined;
  }
  // What browsers pass: the caller origin (Chromium; on Windows also --parent-window=<handle>),
  // or the manifest path and add-on id (Firefox).
  if (first === 'native' && rest.every((arg) => !arg.startsWith('-') || /^--parent-window=\d+$/.test(arg))) return { kind: 'native', caller: rest };
  return undefined;
}

/** Runs a light command: the action commander would run for the same line. */
export async function runLightCommand(command: LightCommand): Promise<void> {
  switch (command.kind) {
    case 'version':
      // What commander's version option prints.
      process.stdout.write(`${(await import('../version.js')).VERSION}\n`);
      return;
    case 'status':
      return (await import('./actions/status.js')).runStatus(command.options);
    case 'native':
      return (await import('./actions/native.js')).runNative(command.caller);
  }
}
