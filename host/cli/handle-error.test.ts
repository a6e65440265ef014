import { CommanderError } from 'commander';
import { afterEach, describe, expect, it } from 'vitest';
import { z } from 'zod';
import { LocalgateError } from '../../shared/errors.js';
import { handleError } from './handle-error.js';

function capture(error: unknown): string {
  let written = '';
  handleError(error, { write: (chunk: string) => ((written += chunk), true) });
  return written;
}

describe('handleError', () => {
  afterEach(() => {
    process.exitCode = undefined;
  });

  it('prints a LocalgateError message as is and sets exit code 1', () => {
    expect(capture(new LocalgateError('NO_ACCOUNTS'))).toBe('No available accounts, please add an account first\n');
    expect(process.exitCode).toBe(1);
  });

  it('prints a ZodError as "- field: problem" lines', () => {
    const result = z.object({ port: z.number().min(1024) }).safeParse({ port: 80 });
    expect(result.success).toBe(false);
    const text = capture(result.error);
    expect(text).toMatch(/^Invalid options:\n- port: .*1024/);
    expect(process.exitCode).toBe(1);
  });

  it('keeps the exit code commander chose, printing nothing more', () => {
    expect(capture(new CommanderError(0, 'commander.helpDisplayed', '(outputHelp)'))).toBe('');
    expect(process.exitCode).toBe(0);
  });

  it('reports anything else as unexpected', () => {
    expect(capture(new Error('boom'))).toBe('Unexpected error: boom\n');
    expect(process.exitCode).toBe(1);
  });
});
