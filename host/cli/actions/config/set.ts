import { maskSecret } from '../../../../shared/api-key.js';
import { resolveDataDir } from '../../../store/data-dir.js';
import { noteWhereApplied, printLine } from '../../output.js';
import { configPatchFromPairs } from '../../parse-config-pairs.js';
import { withSettings } from '../../settings-target.js';

export async function runConfigSet(pairs: string[]): Promise<void> {
  const via = await withSettings(resolveDataDir(), async (target) => {
    const current = await target.configView();
    await target.updateConfig(configPatchFromPairs(pairs, current));
    return target.via;
  });
  for (const pair of pairs) printLine(`Set ${pair.startsWith('api_key=') ? `api_key=${maskSecret(pair.slice('api_key='.length))}` : pair}`);
  noteWhereApplied(via);
}
