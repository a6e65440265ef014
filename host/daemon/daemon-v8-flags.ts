import v8 from 'node:v8';

/**
 * V8 settings for the daemon process (`localgate serve`), set at run time before its modules load.
 * All three are about what an idle daemon keeps resident (issue 9: idle RSS ≤ 60 MB); none changes
 * what the proxy computes. A flag the user chose for this process (on the command line or in
 * NODE_OPTIONS) is left alone.
 *
 * 1. The young generation is held at its initial size while the daemon starts. Nearly everything
 *    a starting daemon allocates (modules, Fastify's routers, the schemas) lives as long as the
 *    process, so every young-generation collection during start-up finds most of it alive, and V8
 *    answers a high survival rate by doubling the young generation (1 → 8 MB here). Those pages
 *    stayed resident while the daemon idled (~4 MB of an almost empty young generation) until
 *    V8's memory reducer ran. Growth factor 1 keeps it at its start size; start-up takes no longer
 *    (the survivors are promoted either way). V8 reads the factor each time it would grow the
 *    young generation, so the default (2) is back in force as soon as it is restored.
 *
 * 2. TurboFan (V8's optimising JavaScript compiler) is held off while the daemon starts. What
 *    start-up runs often enough to get optimised is Node's ES module loader resolving the bundle's
 *    chunk imports (fileURLToPath, path.normalize), which never runs hot again; but the first
 *    optimisation in a process pages in the compiler itself and leaves its compile zone in a
 *    malloc arena: ~4 MB resident for the life of a daemon that then sits idle. The interpreter
 *    runs start-up as before; once the daemon is up, TurboFan is back and optimises the request
 *    path as it always did (V8 checks the flag each time a function gets hot).
 *
 * 3. WebAssembly stays on Liftoff, V8's baseline wasm compiler, for good. The only wasm the daemon
 *    runs is undici's HTTP response parser (llhttp). Its main function is one 33 KB state machine
 *    that V8's dynamic tiering sends to TurboFan after the first response or so (the model-list
 *    fetch at start): ~200 ms of a background thread and a 29 MB compile zone, of which glibc
 *    keeps about 10 MB in that thread's arena for good (freed but not returned to the system;
 *    glibc's dynamic trim threshold, raised by earlier large frees, is most of why). The TurboFan
 *    build parses a 400-byte response in ~1.4 µs, Liftoff's in ~3.5 µs; a proxied request costs
 *    the daemon ~400 µs of CPU, so ~2 µs more is within the noise of its throughput, while 10 MB
 *    is a sixth of its idle footprint.
 */
const V8_DEFAULT_GROWTH_FACTOR = 2;

/** The flags V8 got for this process from its command line and NODE_OPTIONS. */
export interface ChosenFlags {
  execArgv: readonly string[];
  nodeOptions: string | undefined;
}

/** What to set when the daemon starts, and what to set back once it is up. */
export interface DaemonV8Flags {
  atStart: string[];
  onceUp: string[];
}

/**
 * The settings above, less any the user made a choice about: a flag that names the same thing
 * (either polarity, `_` or `-` spelling, `--opt` for TurboFan), or, for the compilers, --jitless.
 */
export function daemonV8Flags(chosen: ChosenFlags): DaemonV8Flags {
  const names = new Set(
    [...chosen.execArgv, ...(chosen.nodeOptions ?? '').split(/\s+/)]
      .filter((arg) => arg.startsWith('--'))
      .map((arg) => arg.slice(2).split('=')[0]!.replaceAll('_', '-').replace(/^no-/, '')),
  );
  const untouched = (...flags: string[]) => flags.every((flag) => !names.has(flag));
  const flags: DaemonV8Flags = { atStart: [], onceUp: [] };
  if (untouched('semi-space-growth-factor')) {
    flags.atStart.push('--semi-space-growth-factor=1');
    flags.onceUp.push(`--semi-space-growth-factor=${V8_DEFAULT_GROWTH_FACTOR}`);
  }
  if (untouched('turbofan', 'opt', 'jitless')) {
    flags.atStart.push('--no-turbofan');
    flags.onceUp.push('--turbofan');
  }
  if (untouched('liftoff', 'liftoff-only', 'wasm-tier-up', 'wasm-dynamic-tiering', 'jitless')) flags.atStart.push('--liftoff-only');
  return flags;
}

let onceUp: string[] | undefined;

/** Before the daemon's modules load (`localgate serve`): applies the settings above. */
export function applyDaemonV8Flags(): void {
  if (onceUp) return;
  const flags = daemonV8Flags({ execArgv: process.execArgv, nodeOptions: process.env.NODE_OPTIONS });
  for (const flag of flags.atStart) v8.setFlagsFromString(flag);
  onceUp = flags.onceUp;
}

/** Once the daemon is up (or failed to start): the start-up holds end; V8 tiers and sizes as usual. */
export function releaseStartUpHolds(): void {
  for (const flag of onceUp ?? []) v8.setFlagsFromString(flag);
  onceUp = [];
}
