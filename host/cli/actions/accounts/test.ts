import type { AccountTestResult } from '../../../../shared/accounts.js';
import { resolveDataDir } from '../../../store/data-dir.js';
import { printJson, printLine } from '../../output.js';
import { withSettings } from '../../settings-target.js';

/** `accounts test ID`: one call to the provider's model list with the account's key. Exit 1 unless it works. */
export async function runAccountsTest(id: string, options: { json?: boolean }): Promise<void> {
  const result = await withSettings(resolveDataDir(), (target) => target.testAccount(id));
  if (options.json) printJson(result);
  else printLine(`${id}: ${describeTestResult(result)}`);
  if (result.outcome !== 'works') process.exitCode = 1;
}

function describeTestResult(result: AccountTestResult): string {
  switch (result.outcome) {
    case 'works':
      return `works (${result.modelCount ?? 0} model${result.modelCount === 1 ? '' : 's'})`;
    case 'key-rejected':
      return `key rejected: ${result.message ?? ''}`;
    case 'unreachable':
      return `unreachable: ${result.message ?? ''}`;
    case 'provider-error':
      return `provider error: ${result.message ?? ''}`;
  }
}
