import v8 from 'node:v8';

/**
 * Keeps V8's young generation at its initial size while the daemon starts.
 *
 * Why: nearly everything a starting daemon allocates (modules, Fastify's routers, the schemas)
 * lives as long as the process, so every young-generation collection during start-up finds most of
 * it alive, and V8 answers a high survival rate by doubling the young generation (1 → 8 MB here).
 * Those pages stay resident while the daemon idles (its RSS was ~66 MB, ~4 MB of it an almost
 * empty young generation) until V8's memory reducer runs, 15–30 s later. Growth factor 1 keeps it
 * at its start size; start-up takes no longer (the survivors are promoted either way).
 *
 * Once the daemon is up, the default factor (2) is back, so traffic grows the young generation
 * as it always did: the request path runs with V8's own sizing. V8 reads this flag each time it
 * would grow the young generation, so changing it at run time takes effect at once. Not done
 * when the user chose a growth factor for this process (NODE_OPTIONS or a flag).
 */
const FLAG = '--semi-space-growth-factor';
const V8_DEFAULT_GROWTH_FACTOR = 2;

let held = false;

export function holdYoungGenerationDuringStart(): void {
  const chosen = [...process.execArgv, process.env.NODE_OPTIONS ?? ''].some((arg) => arg.includes(FLAG.slice(2)));
  if (held || chosen) return;
  v8.setFlagsFromString(`${FLAG}=1`);
  held = true;
}

/** Called once the daemon is up (or failed to start): V8 sizes the young generation as usual again. */
export function releaseYoungGeneration(): void {
  if (!held) return;
  v8.setFlagsFromString(`${FLAG}=${V8_DEFAULT_GROWTH_FACTOR}`);
  held = false;
}
