import { resolveDataDir } from '../../../store/data-dir.js';
import { noteWhereApplied, printLine } from '../../output.js';
import { withSettings } from '../../settings-target.js';

/** `accounts enable` and `accounts disable`, which differ only in the flag they set. */
export async function runAccountsSetEnabled(id: string, enabled: boolean): Promise<void> {
  const { account, via } = await withSettings(resolveDataDir(), async (target) => ({ account: await target.setAccountEnabled(id, enabled), via: target.via }));
  printLine(`${enabled ? 'Enabled' : 'Disabled'} account ${account.id} (${account.label})`);
  noteWhereApplied(via);
}
