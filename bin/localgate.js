#!/usr/bin/env node
// The CLI is written in TypeScript and bundled into dist/cli/ by `npm run build:host` (run by
// `npm start`, `npm test` and `npm pack`, whose tarball ships the bundle: it needs no dependencies).
import module from 'node:module';

// Node 22.1+ can keep V8's compiled code between runs (in the OS temp dir), which shortens every
// start after the first; Node 20 has no such cache, and the call is skipped.
module.enableCompileCache?.();
await import('../dist/cli/main.js');
