import { Command, Option } from 'commander';
import { PROVIDERS } from '../../../../shared/providers.js';

// Definitions only: each action imports its module when it runs (see ../../program.ts).

export function accountsCommand(): Command {
  return new Command('accounts')
    .description('Manage upstream accounts (through the daemon when it runs, else in accounts.json).')
    .addCommand(accountsAddCommand())
    .addCommand(accountsListCommand())
    .addCommand(accountsEditCommand())
    .addCommand(accountsRemoveCommand())
    .addCommand(accountsSetEnabledCommand(true))
    .addCommand(accountsSetEnabledCommand(false))
    .addCommand(accountsResetCommand())
    .addCommand(accountsTestCommand());
}

function accountsAddCommand(): Command {
  return new Command('add')
    .description('Add an upstream account (enabled at once). Its key is stored in accounts.json (mode 0600) and shown masked.')
    .addOption(new Option('--provider <provider>', 'API family the upstream speaks').choices(PROVIDERS).makeOptionMandatory())
    .requiredOption('--base-url <url>', 'upstream base URL (openai: https://host/v1; anthropic and gemini: the bare origin)')
    .option('--api-key-stdin', 'read the upstream API key from stdin (keeps it out of ps and shell history); on a terminal, without either option, you are prompted for it')
    .option('--api-key <key>', 'upstream API key on the command line (visible in ps and shell history; prefer --api-key-stdin)')
    .option('--label <label>', 'name shown in lists and the monitor (default: provider @ host)')
    .option('--models <list>', 'comma-separated models or globs this account serves (default: any)')
    .option('--json', 'print the added account as JSON')
    .action(async (rawOptions: unknown) => (await import('../../actions/accounts/add.js')).runAccountsAdd(rawOptions));
}

function accountsListCommand(): Command {
  return new Command('list')
    .description('List upstream accounts (keys masked). Without a daemon, state is only enabled/disabled.')
    .option('--json', 'print JSON')
    .action(async (options: { json?: boolean }) => (await import('../../actions/accounts/list.js')).runAccountsList(options));
}

function accountsEditCommand(): Command {
  return new Command('edit')
    .description('Change an account\'s label, base URL, models or key; what you do not name stays. A new key or base URL is tried afresh.')
    .argument('<id>', 'account id, as shown by "accounts list"')
    .option('--label <label>', 'new name shown in lists and the monitor')
    .option('--base-url <url>', 'new upstream base URL')
    .option('--models <list>', 'comma-separated models or globs this account serves')
    .option('--any-model', 'serve any model (drops the --models list)')
    .option('--api-key-stdin', 'read a new upstream API key from stdin')
    .option('--api-key <key>', 'a new upstream API key on the command line (visible in ps and shell history; prefer --api-key-stdin)')
    .option('--json', 'print the account as JSON')
    .action(async (id: string, rawOptions: unknown) => (await import('../../actions/accounts/edit.js')).runAccountsEdit(id, rawOptions));
}

function accountsRemoveCommand(): Command {
  return new Command('remove')
    .description('Remove an upstream account (its key is deleted from accounts.json).')
    .argument('<id>', 'account id, as shown by "accounts list"')
    .action(async (id: string) => (await import('../../actions/accounts/remove.js')).runAccountsRemove(id));
}

/** `accounts enable` and `accounts disable`, which differ only in the flag they set. */
function accountsSetEnabledCommand(enabled: boolean): Command {
  const verb = enabled ? 'enable' : 'disable';
  return new Command(verb)
    .description(enabled ? 'Enable an account (also clears its cooldown).' : 'Disable an account: the proxy stops using it, its key is kept.')
    .argument('<id>', 'account id, as shown by "accounts list"')
    .action(async (id: string) => (await import('../../actions/accounts/set-enabled.js')).runAccountsSetEnabled(id, enabled));
}

/** `accounts reset ID`: the user's "try this account again now". */
function accountsResetCommand(): Command {
  return new Command('reset')
    .description('Clear an account\'s cooldowns (per model too) and an upstream\'s disabling (rejected key, spent quota); a user\'s disable stays.')
    .argument('<id>', 'account id, as shown by "accounts list"')
    .option('--json', 'print the account as JSON')
    .action(async (id: string, options: { json?: boolean }) => (await import('../../actions/accounts/reset.js')).runAccountsReset(id, options));
}

/** `accounts test ID`: does this key work? */
function accountsTestCommand(): Command {
  return new Command('test')
    .description('Ask the provider for its model list with the account\'s key: works (and how many models it serves), key rejected, unreachable, or the provider\'s words. Exits 1 unless it works.')
    .argument('<id>', 'account id, as shown by "accounts list"')
    .option('--json', 'print the result as JSON')
    .action(async (id: string, options: { json?: boolean }) => (await import('../../actions/accounts/test.js')).runAccountsTest(id, options));
}
