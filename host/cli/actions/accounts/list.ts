import type { AccountView } from '../../../../shared/accounts.js';
import { resolveDataDir } from '../../../store/data-dir.js';
import { formatTable, printJson, printLine, printNote } from '../../output.js';
import { withSettings } from '../../settings-target.js';
import { describeAccountState } from './describe-state.js';

export async function runAccountsList(options: { json?: boolean }): Promise<void> {
  const accounts = await withSettings(resolveDataDir(), (target) => target.listAccounts());
  if (options.json) {
    printJson(accounts);
    return;
  }
  if (accounts.length === 0) {
    printNote('No accounts. Add one with: localgate accounts add --provider openai --base-url https://api.openai.com/v1 --api-key sk-…');
    return;
  }
  const header = ['ID', 'PROVIDER', 'LABEL', 'ENABLED', 'STATE', 'KEY', 'BASE URL', 'SERVES', 'MODELS'];
  printLine(formatTable([header, ...accounts.map(row)]));
}

function row(account: AccountView): string[] {
  return [
    account.id,
    account.provider,
    account.label,
    account.enabled ? 'yes' : 'no',
    describeAccountState(account),
    account.api_key_masked,
    account.base_url,
    // Known once the daemon has fetched the account's model list.
    account.model_count === undefined ? '?' : `${account.model_count} model${account.model_count === 1 ? '' : 's'}`,
    account.models?.join(',') ?? '*',
  ];
}
