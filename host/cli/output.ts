// Kept free of zod and the shared schemas: `status` prints through here before it knows whether a
// daemon runs, and must stay as quick to load as `--version`.

/** Data goes to stdout: what a script reads. */
export function printLine(text = ''): void {
  process.stdout.write(`${text}\n`);
}

/** Pretty JSON on stdout, for `--json`. */
export function printJson(value: unknown): void {
  printLine(JSON.stringify(value, null, 2));
}

/** Diagnostics go to stderr, so they never corrupt `--json` output. */
export function printNote(text: string): void {
  process.stderr.write(`${text}\n`);
}

/** Left-aligned columns, two spaces apart; the first row is the header. */
export function formatTable(rows: readonly (readonly string[])[]): string {
  const widths: number[] = [];
  for (const row of rows) row.forEach((cell, index) => (widths[index] = Math.max(widths[index] ?? 0, cell.length)));
  return rows.map((row) => row.map((cell, index) => (index === row.length - 1 ? cell : cell.padEnd(widths[index] ?? 0))).join('  ')).join('\n');
}

/** Where a change went, said on stderr after it was made. */
export function noteWhereApplied(via: 'daemon' | 'files'): void {
  printNote(via === 'daemon' ? 'Applied to the running daemon.' : 'No daemon running: saved to the data files; the daemon uses it when it starts.');
}
