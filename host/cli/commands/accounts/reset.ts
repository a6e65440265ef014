import { Command } from 'commander';
import { resolveDataDir } from '../../../store/data-dir.js';
import { printJson, printLine, printNote } from '../../output.js';
import { withSettings } from '../../settings-target.js';
import { describeAccountState } from './describe-state.js';

/** `accounts reset ID`: the user's "try this account again now". */
export function accountsResetCommand(): Command {
  return new Command('reset')
    .description('Clear an account\'s cooldowns (per model too) and an upstream\'s disabling (rejected key, spent quota); a user\'s disable stays.')
    .argument('<id>', 'account id, as shown by "accounts list"')
    .option('--json', 'print the account as JSON')
    .action(async (id: string, options: { json?: boolean }) => {
      const { account, via } = await withSettings(resolveDataDir(), async (target) => ({ account: await target.resetAccount(id), via: target.via }));
      if (options.json) printJson(account);
      else printLine(`Reset account ${account.id} (${account.label}): ${describeAccountState(account)}`);
      if (via === 'files') printNote('No daemon running: cooldowns live in the daemon only, so there was nothing to reset.');
      else printNote('Applied to the running daemon.');
    });
}
