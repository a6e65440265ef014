// Summarises a V8 CPU profile (`node --cpu-prof`) by function: self time and total (inclusive)
// time, heaviest first, so a hot path's cost can be read without a profiler UI.
//
//   node bench/profile-summary.js CPU.<...>.cpuprofile [--top 40] [--filter dist/host]
//
// Self = samples whose top frame is the function; total = samples with the function anywhere on
// the stack (counted once per sample, so recursion does not inflate it). Idle, GC and program
// time are reported as V8 names them ("(idle)", "(garbage collector)", "(program)").

import { readFileSync } from 'node:fs';

const args = process.argv.slice(2);
const file = args.find((a) => !a.startsWith('--') && !/^\d+$/.test(a));
const option = (name, fallback) => {
  const index = args.indexOf(`--${name}`);
  return index === -1 ? fallback : args[index + 1];
};
const top = Number(option('top', 40));
const filter = option('filter', '');
if (!file) {
  console.error('usage: node bench/profile-summary.js <file.cpuprofile> [--top N] [--filter text]');
  process.exit(2);
}

const profile = JSON.parse(readFileSync(file, 'utf8'));
const byId = new Map(profile.nodes.map((node) => [node.id, node]));
const parent = new Map();
for (const node of profile.nodes) for (const child of node.children ?? []) parent.set(child, node.id);

const label = (node) => {
  const { functionName, url, lineNumber } = node.callFrame;
  const where = url ? `${url.replace(/^file:\/\/.*?\/(dist|node_modules)\//, '$1/')}:${lineNumber + 1}` : '';
  return `${functionName || '(anonymous)'} ${where}`.trim();
};

const self = new Map();
const total = new Map();
const count = profile.samples.length;
for (const id of profile.samples) {
  const leaf = byId.get(id);
  self.set(label(leaf), (self.get(label(leaf)) ?? 0) + 1);
  const seen = new Set();
  for (let at = id; at !== undefined; at = parent.get(at)) {
    const name = label(byId.get(at));
    if (seen.has(name)) continue;
    seen.add(name);
    total.set(name, (total.get(name) ?? 0) + 1);
  }
}

const idle = self.get('(idle)') ?? 0;
const busy = count - idle;
const pct = (n) => `${((100 * n) / busy).toFixed(1).padStart(5)}%`;
console.log(`${count} samples, ${busy} busy (percentages below are of busy samples)\n`);
const print = (title, map) => {
  console.log(title);
  const rows = [...map].filter(([name]) => name !== '(idle)' && name !== '(root)' && name.includes(filter)).sort((a, b) => b[1] - a[1]).slice(0, top);
  for (const [name, n] of rows) console.log(`  ${pct(n)}  ${name}`);
  console.log('');
};
print('self', self);
print('total (inclusive)', total);
