/**
 * Model-name globs: `*` matches any run of characters, everything else is literal.
 * Compiled patterns are cached because the same few patterns are checked on every request.
 */
const compiled = new Map<string, RegExp>();

export function isGlob(pattern: string): boolean {
  return pattern.includes('*');
}

export function globMatches(pattern: string, name: string): boolean {
  if (!isGlob(pattern)) return pattern === name;
  let regex = compiled.get(pattern);
  if (!regex) {
    const source = pattern.split('*').map((part) => part.replace(/[.+?^${}()|[\]\\]/g, '\\$&')).join('.*');
    regex = new RegExp(`^${source}$`, 's');
    if (compiled.size > 1000) compiled.clear();
    compiled.set(pattern, regex);
  }
  return regex.test(name);
}

/** How specific a glob is: its count of literal characters. */
export function globSpecificity(pattern: string): number {
  return pattern.replaceAll('*', '').length;
}
