import { Command } from 'commander';
import { resolveDataDir } from '../../../store/data-dir.js';
import { noteWhereApplied, printLine } from '../../output.js';
import { withSettings } from '../../settings-target.js';

/** `accounts enable` and `accounts disable`, which differ only in the flag they set. */
export function accountsSetEnabledCommand(enabled: boolean): Command {
  const verb = enabled ? 'enable' : 'disable';
  return new Command(verb)
    .description(enabled ? 'Enable an account (also clears its cooldown).' : 'Disable an account: the proxy stops using it, its key is kept.')
    .argument('<id>', 'account id, as shown by "accounts list"')
    .action(async (id: string) => {
      const { account, via } = await withSettings(resolveDataDir(), async (target) => ({ account: await target.setAccountEnabled(id, enabled), via: target.via }));
      printLine(`${enabled ? 'Enabled' : 'Disabled'} account ${account.id} (${account.label})`);
      noteWhereApplied(via);
    });
}
