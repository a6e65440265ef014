import { resolveDataDir } from '../../../store/data-dir.js';
import { printJson, printLine, printNote } from '../../output.js';
import { withSettings } from '../../settings-target.js';
import { describeAccountState } from './describe-state.js';

/** `accounts reset ID`: the user's "try this account again now". */
export async function runAccountsReset(id: string, options: { json?: boolean }): Promise<void> {
  const { account, via } = await withSettings(resolveDataDir(), async (target) => ({ account: await target.resetAccount(id), via: target.via }));
  if (options.json) printJson(account);
  else printLine(`Reset account ${account.id} (${account.label}): ${describeAccountState(account)}`);
  if (via === 'files') printNote('No daemon running: cooldowns live in the daemon only, so there was nothing to reset.');
  else printNote('Applied to the running daemon.');
}
