import { closeSync, fsyncSync, openSync, readFileSync, renameSync, unlinkSync, writeSync } from 'node:fs';
import path from 'node:path';
import { randomBytes } from 'node:crypto';
import type { z } from 'zod';
import { LocalgateError } from '../../shared/errors.js';

/**
 * Writes a file so that readers (and a crash at any instant) see either the old or the new
 * content, never a torn one: write a temp file in the same directory with the final mode,
 * fsync it, then rename over the target.
 */
export function writeFileAtomic(filePath: string, content: string, mode = 0o600): void {
  const temp = path.join(path.dirname(filePath), `.${path.basename(filePath)}.${randomBytes(6).toString('hex')}.tmp`);
  const fd = openSync(temp, 'wx', mode);
  try {
    writeSync(fd, content);
    fsyncSync(fd);
  } catch (error) {
    closeSync(fd);
    unlinkSync(temp);
    throw error;
  }
  closeSync(fd);
  try {
    renameSync(temp, filePath);
  } catch (error) {
    unlinkSync(temp);
    throw error;
  }
}

export function writeJsonAtomic(filePath: string, value: unknown, mode = 0o600): void {
  writeFileAtomic(filePath, `${JSON.stringify(value, null, 2)}\n`, mode);
}

/** Line and column (1-based) of a character offset, for error messages about hand-edited files. */
function lineAndColumn(text: string, offset: number): { line: number; column: number } {
  const before = text.slice(0, offset);
  const line = before.split('\n').length;
  return { line, column: offset - before.lastIndexOf('\n') };
}

/** The offset V8 reports in a JSON.parse SyntaxError ("... at position 42" or "(line 3 column 5)"). */
function jsonErrorOffset(text: string, error: Error): number | undefined {
  const position = /position (\d+)/.exec(error.message);
  if (position) return Number(position[1]);
  const lineCol = /line (\d+) column (\d+)/.exec(error.message);
  if (lineCol) {
    const lines = text.split('\n').slice(0, Number(lineCol[1]) - 1);
    return lines.reduce((sum, l) => sum + l.length + 1, 0) + Number(lineCol[2]) - 1;
  }
  return undefined;
}

/**
 * Reads and validates a JSON data file. Returns `undefined` when the file does not exist.
 * A file that does not parse or validate is never replaced: the error names the file, and the
 * line for syntax errors or the field for schema errors, so the user can fix it by hand.
 */
export function readJsonFile<S extends z.ZodType>(filePath: string, schema: S): z.infer<S> | undefined {
  let text: string;
  try {
    text = readFileSync(filePath, 'utf8');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw error;
  }
  let raw: unknown;
  try {
    raw = JSON.parse(text);
  } catch (error) {
    const offset = jsonErrorOffset(text, error as Error);
    const where = offset === undefined ? '' : (() => {
      const { line, column } = lineAndColumn(text, offset);
      return ` at line ${line}, column ${column}`;
    })();
    throw new LocalgateError('CORRUPT_DATA_FILE', `${filePath}: invalid JSON${where} (${(error as Error).message}). Fix or remove the file; it was left untouched.`);
  }
  const parsed = schema.safeParse(raw);
  if (!parsed.success) {
    throw new LocalgateError('CORRUPT_DATA_FILE', `${filePath}: ${describeZodError(parsed.error)}. Fix or remove the file; it was left untouched.`);
  }
  return parsed.data;
}

/** "field.path: problem; other: problem" — what a person needs to fix input. */
export function describeZodError(error: z.ZodError): string {
  return error.issues
    .map((issue) => {
      const field = issue.path.map(String).join('.');
      if (issue.code === 'unrecognized_keys') {
        const keys = (issue as { keys: string[] }).keys.join(', ');
        return `${field ? `${field}: ` : ''}unknown key(s): ${keys}`;
      }
      return field ? `${field}: ${issue.message}` : issue.message;
    })
    .join('; ');
}
