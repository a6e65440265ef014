#!/usr/bin/env node
// Bundles the host into dist/cli/ for bin/localgate.js (run by `npm run build:host`, after tsc has
// type-checked it and emitted dist/host/, which the bench and tooling import module by module).
//
// Why a bundle: on Node 20 every ES module file costs a resolve, a read and a link; the CLI, the
// native relay and the daemon load several hundred of them (ours, Fastify's, zod's, undici's),
// which was most of their start-up time. esbuild merges them into a few chunks, and code
// splitting keeps each `await import()` a chunk of its own: a command's action
// (host/cli/commands/*) and the tokenizer load only when used.
import { rmSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { build } from 'esbuild';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const outdir = path.join(root, 'dist', 'cli');

/**
 * Dependencies of our dependencies that only their test helpers use, each required at the top of a
 * file the daemon loads: Fastify's `inject()` (light-my-request, and the readable-stream under it)
 * and @fastify/websocket's `injectWS()` (duplexify), and pino, which Fastify requires only when
 * given a logger (every server here runs with `logger: false`). Bundled, they were ~400 KB of
 * source (~20% of what `serve` parses) that no command runs; the tests import the TypeScript, not
 * this bundle. Each is replaced by a stub that fails loudly if it is ever used after all.
 */
const TEST_ONLY_DEPENDENCIES = ['light-my-request', 'duplexify', 'pino'];
const testOnlyDependenciesLeftOut = {
  name: 'test-only-dependencies-left-out',
  setup(build) {
    const filter = new RegExp(`^(${TEST_ONLY_DEPENDENCIES.join('|')})$`);
    build.onResolve({ filter }, (args) => ({ path: args.path, namespace: 'left-out' }));
    build.onLoad({ filter: /.*/, namespace: 'left-out' }, (args) => ({
      loader: 'js',
      contents: `const fail = () => { throw new Error(${JSON.stringify(`${args.path} is left out of the bundled Localgate CLI (scripts/build-host.mjs)`)}); };
module.exports = new Proxy(fail, { get: fail, construct: fail, apply: fail });`,
    }));
  },
};

rmSync(outdir, { recursive: true, force: true });
await build({
  absWorkingDir: root,
  entryPoints: { main: 'host/cli/main.ts' },
  outdir,
  bundle: true,
  splitting: true,
  format: 'esm',
  platform: 'node',
  target: 'node20',
  // Bundled CommonJS dependencies (Fastify, ws, undici) call require() for Node built-ins,
  // which an ES module has no binding for.
  banner: { js: "import { createRequire as __localgateCreateRequire } from 'node:module'; const require = __localgateCreateRequire(import.meta.url);" },
  chunkNames: 'chunk-[hash]',
  // Fastify's JSON-schema compilers (ajv, fast-json-stringify) are never built: every server passes
  // its own compilers factory (host/core/no-json-schema-compilers.ts), so Fastify never requires
  // them. Left out of the bundle, they cost nothing to read or parse.
  external: ['@fastify/ajv-compiler', '@fastify/fast-json-stringify-compiler'],
  plugins: [testOnlyDependenciesLeftOut],
  // Less to read and parse at every start. Names are not kept (esbuild's keepNames costs a call
  // per function at load); errors here name themselves (`this.name = …`).
  minify: true,
  logLevel: 'warning',
});
