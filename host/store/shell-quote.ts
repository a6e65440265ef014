/** `value` as one POSIX shell word: single-quoted, with embedded quotes closed, escaped and reopened. */
export function shellQuote(value: string): string {
  return `'${value.replaceAll("'", `'\\''`)}'`;
}
