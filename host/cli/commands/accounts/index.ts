import { Command } from 'commander';
import { accountsAddCommand } from './add.js';
import { accountsListCommand } from './list.js';
import { accountsRemoveCommand } from './remove.js';
import { accountsResetCommand } from './reset.js';
import { accountsSetEnabledCommand } from './set-enabled.js';

export function accountsCommand(): Command {
  return new Command('accounts')
    .description('Manage upstream accounts (through the daemon when it runs, else in accounts.json).')
    .addCommand(accountsAddCommand())
    .addCommand(accountsListCommand())
    .addCommand(accountsRemoveCommand())
    .addCommand(accountsSetEnabledCommand(true))
    .addCommand(accountsSetEnabledCommand(false))
    .addCommand(accountsResetCommand());
}
