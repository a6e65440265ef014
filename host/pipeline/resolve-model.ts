import { globMatches, globSpecificity, isGlob } from '../pool/glob.js';

/**
 * The model to send upstream for the model a client asked for: an exact mapping first, then the
 * most specific matching wildcard (most literal characters; ties broken by pattern text so the
 * answer never depends on the order keys were added), else the name unchanged.
 */
export function resolveModel(mapping: Readonly<Record<string, string>>, requested: string): string {
  const exact = mapping[requested];
  if (exact !== undefined && Object.hasOwn(mapping, requested)) return exact;
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
  return best === undefined ? requested : mapping[best]!;
}
