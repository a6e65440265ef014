#!/usr/bin/env node
// Bundles the host into dist/cli/ for bin/localgate.js (run by `npm run build:host`, after tsc has
// type-checked it and emitted dist/host/, which the bench and tooling import module by module).
//
// Why a bundle: on Node 20 every ES module file costs a resolve, a read and a link; the CLI, the
// native relay and the daemon load several hundred of them (ours, Fastify's, zod's, undici's),
// which was most of their start-up time. esbuild merges them into a few chunks, and code
// splitting keeps each `await import()` a chunk of its own: a command's action
// (host/cli/commands/*) and the tokenizer load only when used.
import { readFileSync, rmSync, writeFileSync } from 'node:fs';
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

/**
 * Node's HTTP/2 module, which no Localgate server or upstream connection uses, is loaded only if
 * something does use it. Fastify requires it at the top of its server module (for `http2: true`
 * servers) and undici's HTTP/1 client requires its HTTP/2 client (for `allowH2` dispatchers, which
 * Localgate never creates), which requires it too. Loading it costs ~2 MB resident in a bare Node
 * process, ~0.4 MB in the daemon (which shares much of it with the https and tls it loads anyway;
 * idle RSS, back to back). Each require below becomes one made on first use; a dependency update
 * that changes the line fails the build here rather than quietly loading HTTP/2 again.
 */
const HTTP2_ON_FIRST_USE = [
  {
    file: 'fastify/lib/server.js',
    eager: "const http2 = require('node:http2')",
    lazy: "const http2 = { createServer: (...args) => require('node:http2').createServer(...args), createSecureServer: (...args) => require('node:http2').createSecureServer(...args) }",
  },
  {
    file: 'undici/lib/dispatcher/client.js',
    eager: "const connectH2 = require('./client-h2.js')",
    lazy: "const connectH2 = (...args) => require('./client-h2.js')(...args)",
  },
];
const http2OnFirstUse = {
  name: 'http2-on-first-use',
  setup(build) {
    for (const { file, eager, lazy } of HTTP2_ON_FIRST_USE) {
      // By its path inside node_modules (which may be a symlink, so esbuild's path is the real one).
      const filter = new RegExp(`[\\\\/]node_modules[\\\\/]${file.replaceAll('.', '\\.').replaceAll('/', '[\\\\/]')}$`);
      build.onLoad({ filter }, (args) => {
        const source = readFileSync(args.path, 'utf8');
        if (source.split(eager).length !== 2) throw new Error(`${file}: expected exactly one \`${eager}\` (scripts/build-host.mjs, HTTP2_ON_FIRST_USE)`);
        return { contents: source.replace(eager, lazy), loader: 'js', resolveDir: path.dirname(args.path) };
      });
    }
  },
};

rmSync(outdir, { recursive: true, force: true });
const result = await build({
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
  plugins: [testOnlyDependenciesLeftOut, http2OnFirstUse],
  // Less to read and parse at every start. Names are not kept (esbuild's keepNames costs a call
  // per function at load); errors here name themselves (`this.name = …`).
  minify: true,
  logLevel: 'warning',
  // BUILD_METAFILE=<file> writes esbuild's metafile there: which module went into which chunk, and
  // which chunks a chunk imports (to check what a command loads at start, e.g. no codecs in `serve`).
  metafile: Boolean(process.env.BUILD_METAFILE),
});
if (process.env.BUILD_METAFILE) writeFileSync(process.env.BUILD_METAFILE, JSON.stringify(result.metafile));
