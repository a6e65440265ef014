import { globMatches, globSpecificity, isGlob } from '../pool/glob.js';

/**
 * The model to send upstream for the model a client asked for: an exact mapping first, then the
 * most specific matching wildcard (most literal characters; ties broken by pattern text so the
 * answer never depends on the order keys were added), else the name unchanged.
 */
export function resolveModel(mapping: Readonly<Record<string, string>>, requested: string): string {
  return matchPattern(mapping, requested) ?? requested;
}

/** The value of the best-matching pattern (exact, then most specific wildcard), or undefined. */
export function matchPattern<T>(mapping: Readonly<Record<string, T>>, requested: string): T | undefined {
  if (Object.hasOwn(mapping, requested)) return mapping[requested];
  let best: string | undefined;
  for (const pattern of Object.keys(mapping)) {
    if (!isGlob(pattern) || !globMatches(pattern, requested)) continue;
    if (
      best === undefined ||
      globSpecificity(pattern) > globSpecificity(best) ||
      (globSpecificity(pattern) === globSpecificity(best) && pattern < best)
    ) {
      best = pattern;
    }
  }
  return best === undefined ? undefined : mapping[best];
}
