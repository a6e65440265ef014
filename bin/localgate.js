#!/usr/bin/env node
// The CLI is written in TypeScript and bundled into dist/cli/ by `npm run build:host` (run by `npm ci`).
import '../dist/cli/main.js';
