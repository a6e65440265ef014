import type * as CodecTables from './codecs.js';

/** The translation core: client and upstream codecs, and what only translated requests use. */
export type Codecs = typeof CodecTables;

let codecs: Codecs | undefined;
let loading: Promise<Codecs> | undefined;

/**
 * The translation core, loaded on first use: about 15% of what the daemon would otherwise load at
 * start, and a request between a client and an account of its own family (pass-through) never
 * needs it. The import happens once; afterwards this returns the tables themselves, no promise.
 */
export function loadCodecs(): Codecs | Promise<Codecs> {
  return (
    codecs ??
    (loading ??= import('./codecs.js').then(
      (loaded) => (codecs = loaded),
      (error: unknown) => {
        loading = undefined;
        throw error;
      },
    ))
  );
}

/**
 * The tables, for code that runs only after a translated attempt was made (its result, relay,
 * encoders): that attempt loaded them first. Throws if that order is ever broken.
 */
export function loadedCodecs(): Codecs {
  if (!codecs) throw new Error('The translation codecs were used before they were loaded (host/pipeline/lazy-codecs.ts).');
  return codecs;
}
