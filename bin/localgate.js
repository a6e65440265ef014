#!/usr/bin/env node
// The CLI is written in TypeScript and built into dist/ by `npm run build:host` (run by `npm ci`).
import '../dist/host/cli/main.js';
