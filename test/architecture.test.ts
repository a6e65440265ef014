import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

/**
 * Imports go one way: routes and relays (host/proxy) use the pipeline, the pipeline uses the
 * translation core and the providers, and the translation core depends on neither. A module that
 * imports "upwards" is reported here with the specifier that does it.
 */
const HOST = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../host');

/** Layer (a folder of host/) → the layers it must never import from. */
const FORBIDDEN: Record<string, readonly string[]> = {
  pipeline: ['proxy'],
  ir: ['proxy', 'pipeline', 'codecs', 'providers'],
  codecs: ['proxy', 'pipeline', 'providers'],
  providers: ['proxy', 'pipeline'],
  pool: ['proxy', 'pipeline'],
  core: ['proxy'],
};

function sourceFiles(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const full = path.join(dir, entry.name);
    if (entry.isDirectory()) return sourceFiles(full);
    return entry.name.endsWith('.ts') && !entry.name.endsWith('.test.ts') ? [full] : [];
  });
}

/** Every relative module specifier of a file: static imports and re-exports, and dynamic `import()`. */
function importSpecifiers(source: string): string[] {
  const specifiers: string[] = [];
  for (const match of source.matchAll(/(?:^|\n)\s*(?:import|export)\b[^'"`;]*?\bfrom\s*['"]([^'"]+)['"]/g)) specifiers.push(match[1]!);
  for (const match of source.matchAll(/(?:^|\n)\s*import\s*['"]([^'"]+)['"]/g)) specifiers.push(match[1]!);
  for (const match of source.matchAll(/\bimport\(\s*['"]([^'"]+)['"]\s*\)/g)) specifiers.push(match[1]!);
  return specifiers.filter((specifier) => specifier.startsWith('.'));
}

/** The host/ layer a path lies in (its first folder under host/). */
function layerOf(file: string): string | undefined {
  const relative = path.relative(HOST, file);
  return relative.startsWith('..') ? undefined : relative.split(path.sep)[0];
}

function violations(): string[] {
  const found: string[] = [];
  for (const [layer, forbidden] of Object.entries(FORBIDDEN)) {
    for (const file of sourceFiles(path.join(HOST, layer))) {
      for (const specifier of importSpecifiers(readFileSync(file, 'utf8'))) {
        const target = layerOf(path.resolve(path.dirname(file), specifier));
        if (target && forbidden.includes(target)) found.push(`${path.relative(HOST, file)} imports ${specifier}`);
      }
    }
  }
  return found;
}

describe('one direction of imports', () => {
  it('finds the specifiers of every import form', () => {
    const source = [
      "import type { A } from '../proxy/a.js';",
      'import {',
      '  B,',
      "} from '../proxy/b.js';",
      "export { C } from './c.js';",
      "import './side-effect.js';",
      "const lazy = await import('../proxy/d.js');",
      "import { z } from 'zod';",
    ].join('\n');
    expect(importSpecifiers(source)).toEqual(['../proxy/a.js', '../proxy/b.js', './c.js', './side-effect.js', '../proxy/d.js']);
  });

  it('host/pipeline never imports host/proxy; the translation core imports neither', () => {
    expect(violations()).toEqual([]);
  });
});
