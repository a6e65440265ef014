import { Command, Option } from 'commander';
import { z } from 'zod';
import { PROVIDERS } from '../../../../shared/accounts.js';
import { resolveDataDir } from '../../../store/data-dir.js';
import { noteWhereApplied, printJson, printLine } from '../../output.js';
import { withSettings } from '../../settings-target.js';

/** `accounts add` options as commander hands them over; the account itself is validated by the shared schema. */
export const addOptionsSchema = z.object({
  provider: z.string(),
  baseUrl: z.string(),
  apiKey: z.string(),
  label: z.string().optional(),
  models: z
    .string()
    .transform((list) => list.split(',').map((model) => model.trim()).filter((model) => model.length > 0))
    .optional(),
  json: z.boolean().optional(),
});

export function accountsAddCommand(): Command {
  return new Command('add')
    .description('Add an upstream account (enabled at once).')
    .addOption(new Option('--provider <provider>', 'API family the upstream speaks').choices(PROVIDERS).makeOptionMandatory())
    .requiredOption('--base-url <url>', 'upstream base URL (openai: https://host/v1; anthropic and gemini: the bare origin)')
    .requiredOption('--api-key <key>', 'upstream API key (stored in accounts.json, mode 0600; shown masked)')
    .option('--label <label>', 'name shown in lists and the monitor (default: provider @ host)')
    .option('--models <list>', 'comma-separated models or globs this account serves (default: any)')
    .option('--json', 'print the added account as JSON')
    .action(async (rawOptions: unknown) => {
      const options = addOptionsSchema.parse(rawOptions);
      const input = {
        provider: options.provider,
        base_url: options.baseUrl,
        api_key: options.apiKey,
        ...(options.label === undefined ? {} : { label: options.label }),
        ...(options.models === undefined ? {} : { models: options.models }),
      };
      const { account, via } = await withSettings(resolveDataDir(), async (target) => ({ account: await target.addAccount(input), via: target.via }));
      if (options.json) printJson(account);
      else printLine(`Added account ${account.id} (${account.label}, key ${account.api_key_masked})`);
      noteWhereApplied(via);
    });
}
