import { Command } from 'commander';
import { resolveDataDir } from '../../../store/data-dir.js';
import { noteWhereApplied, printLine } from '../../output.js';
import { withSettings } from '../../settings-target.js';

export function accountsRemoveCommand(): Command {
  return new Command('remove')
    .description('Remove an upstream account (its key is deleted from accounts.json).')
    .argument('<id>', 'account id, as shown by "accounts list"')
    .action(async (id: string) => {
      const via = await withSettings(resolveDataDir(), async (target) => {
        await target.removeAccount(id);
        return target.via;
      });
      printLine(`Removed account ${id}`);
      noteWhereApplied(via);
    });
}
