import type { CommanderError } from 'commander';
import type { ZodError } from 'zod';
import { LocalgateError } from '../../shared/errors.js';

/**
 * The CLI's single exit for errors: prints what a person needs on stderr and sets
 * `process.exitCode` (never `process.exit`, so pending output is flushed). A LocalgateError's
 * message is complete and safe by contract; a ZodError (bad options) becomes "- field: problem"
 * lines; commander has already printed its own errors and help, and chose the exit code.
 */
export function handleError(error: unknown, stderr: Pick<NodeJS.WritableStream, 'write'> = process.stderr): void {
  if (isCommanderError(error)) {
    process.exitCode = error.exitCode;
    return;
  }
  process.exitCode = 1;
  if (error instanceof LocalgateError) {
    stderr.write(`${error.message}\n`);
  } else if (isZodError(error)) {
    const lines = error.issues.map((issue) => `- ${issue.path.map(String).join('.') || '(input)'}: ${issue.message}`);
    stderr.write(`Invalid options:\n${lines.join('\n')}\n`);
  } else {
    stderr.write(`Unexpected error: ${(error as Error)?.message ?? String(error)}\n`);
  }
}

/**
 * By shape, not `instanceof`: the light commands (host/cli/light-commands.ts) report their errors
 * here without loading commander, and the bundle renames commander's classes. Every
 * CommanderError carries a numeric exit code and a `commander.*` code.
 */
function isCommanderError(error: unknown): error is CommanderError {
  return error instanceof Error && typeof (error as Partial<CommanderError>).exitCode === 'number' && String((error as Partial<CommanderError>).code).startsWith('commander.');
}

/** By name, not `instanceof`: importing zod's class would load all of zod for `localgate --version`. */
function isZodError(error: unknown): error is ZodError {
  return error instanceof Error && error.name === 'ZodError' && Array.isArray((error as Partial<ZodError>).issues);
}
