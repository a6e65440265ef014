import { readFileSync } from 'node:fs';

/** The package version, read once (dist/host/version.js and host/version.ts both sit two levels below the root). */
export const VERSION: string = (() => {
  for (const relative of ['../../package.json', '../package.json']) {
    try {
      return (JSON.parse(readFileSync(new URL(relative, import.meta.url), 'utf8')) as { version: string }).version;
    } catch {
      // try the next candidate
    }
  }
  return '0.0.0';
})();
