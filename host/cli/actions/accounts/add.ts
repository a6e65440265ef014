import * as z from 'zod';
import { resolveDataDir } from '../../../store/data-dir.js';
import { noteWhereApplied, printJson, printLine } from '../../output.js';
import { resolveApiKey } from '../../read-secret.js';
import { withSettings } from '../../settings-target.js';

/** `accounts add` options as commander hands them over; the account itself is validated by the shared schema. */
export const addOptionsSchema = z.object({
  provider: z.string(),
  baseUrl: z.string(),
  apiKey: z.string().optional(),
  apiKeyStdin: z.boolean().optional(),
  label: z.string().optional(),
  models: z
    .string()
    .transform((list) => list.split(',').map((model) => model.trim()).filter((model) => model.length > 0))
    .optional(),
  json: z.boolean().optional(),
});

export async function runAccountsAdd(rawOptions: unknown): Promise<void> {
  const options = addOptionsSchema.parse(rawOptions);
  const input = {
    provider: options.provider,
    base_url: options.baseUrl,
    api_key: await resolveApiKey(options),
    ...(options.label === undefined ? {} : { label: options.label }),
    ...(options.models === undefined ? {} : { models: options.models }),
  };
  const { account, via } = await withSettings(resolveDataDir(), async (target) => ({ account: await target.addAccount(input), via: target.via }));
  if (options.json) printJson(account);
  else printLine(`Added account ${account.id} (${account.label}, key ${account.api_key_masked})`);
  noteWhereApplied(via);
}
