import { existsSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

/**
 * The folder holding Localgate's package.json (and bin/localgate.js). Found by walking up from this
 * module, because the module runs from three depths: host/ (tests, through vitest), dist/host/
 * (tsc output) and dist/cli/ (the esbuild bundle bin/localgate.js runs).
 */
export const PACKAGE_ROOT: string = (() => {
  const start = path.dirname(fileURLToPath(import.meta.url));
  for (let dir = start; ; dir = path.dirname(dir)) {
    if (existsSync(path.join(dir, 'package.json'))) return dir;
    if (path.dirname(dir) === dir) return path.resolve(start, '..');
  }
})();

/** The CLI entry, as a browser's native-host launcher and a spawned daemon run it. */
export const CLI_PATH = path.join(PACKAGE_ROOT, 'bin', 'localgate.js');
