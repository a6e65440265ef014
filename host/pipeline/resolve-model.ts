import { globMatches, globSpecificity, isGlob } from '../pool/glob.js';

/**
 * The model to send upstream for the model a client asked for: an exact mapping first, then the
 * most specific matching wildcard (most literal characters; ties broken by pattern text so the
 * answer never depends on the order keys were added), else the name unchanged.
 */
export function resolveModel(mapping: Readonly<Record<string, string>>, requested: string): string {
  return matchPattern(mapping, requested) ?? requested;
}

/**
 * A mapping's wildcard patterns, most specific first (most literal characters; ties by pattern
 * text, so the answer never depends on the order keys were added). Computed once per mapping
 * object: the config's mapping is the same object until the config changes.
 */
const wildcardsByMapping = new WeakMap<object, readonly string[]>();

function wildcardsOf(mapping: Readonly<Record<string, unknown>>): readonly string[] {
  let wildcards = wildcardsByMapping.get(mapping);
  if (!wildcards) {
    wildcards = Object.keys(mapping)
      .filter(isGlob)
      .sort((a, b) => globSpecificity(b) - globSpecificity(a) || (a < b ? -1 : a > b ? 1 : 0));
    wildcardsByMapping.set(mapping, wildcards);
  }
  return wildcards;
}

/** The value of the best-matching pattern (exact, then most specific wildcard), or undefined. */
export function matchPattern<T>(mapping: Readonly<Record<string, T>>, requested: string): T | undefined {
  if (Object.hasOwn(mapping, requested)) return mapping[requested];
  const best = wildcardsOf(mapping).find((pattern) => globMatches(pattern, requested));
  return best === undefined ? undefined : mapping[best];
}
