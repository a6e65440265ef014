import * as z from 'zod';
import { LocalgateError } from '../../../../shared/errors.js';
import { resolveDataDir } from '../../../store/data-dir.js';
import { noteWhereApplied, printJson, printLine } from '../../output.js';
import { resolveApiKey } from '../../read-secret.js';
import { withSettings } from '../../settings-target.js';
import { addOptionsSchema } from './add.js';

/** `accounts edit` options: any of add's but the provider, plus --any-model; the edit itself is validated by the shared schema. */
const editOptionsSchema = addOptionsSchema.omit({ provider: true, baseUrl: true }).extend({
  baseUrl: z.string().optional(),
  anyModel: z.boolean().optional(),
});

export async function runAccountsEdit(id: string, rawOptions: unknown): Promise<void> {
  const options = editOptionsSchema.parse(rawOptions);
  if (options.anyModel && options.models !== undefined) throw new LocalgateError('INVALID_ACCOUNT', 'Give --models or --any-model, not both.');
  // The key changes only when one is given: never prompted for, never printed.
  const keyGiven = options.apiKey !== undefined || options.apiKeyStdin === true;
  const edit = {
    ...(options.label === undefined ? {} : { label: options.label }),
    ...(options.baseUrl === undefined ? {} : { base_url: options.baseUrl }),
    ...(options.models === undefined ? {} : { models: options.models }),
    ...(options.anyModel ? { models: null } : {}),
    ...(keyGiven ? { api_key: await resolveApiKey(options) } : {}),
  };
  if (Object.keys(edit).length === 0) throw new LocalgateError('INVALID_ACCOUNT', 'Nothing to change: give --label, --base-url, --models, --any-model or a new key.');
  const { account, via } = await withSettings(resolveDataDir(), async (target) => ({ account: await target.updateAccount(id, edit), via: target.via }));
  if (options.json) printJson(account);
  else printLine(`Changed account ${account.id} (${account.label}, key ${account.api_key_masked})`);
  noteWhereApplied(via);
}
