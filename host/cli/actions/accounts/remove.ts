import { resolveDataDir } from '../../../store/data-dir.js';
import { noteWhereApplied, printLine } from '../../output.js';
import { withSettings } from '../../settings-target.js';

export async function runAccountsRemove(id: string): Promise<void> {
  const via = await withSettings(resolveDataDir(), async (target) => {
    await target.removeAccount(id);
    return target.via;
  });
  printLine(`Removed account ${id}`);
  noteWhereApplied(via);
}
