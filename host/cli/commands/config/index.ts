import { Command } from 'commander';
import { configGetCommand } from './get.js';
import { configSetCommand } from './set.js';

export function configCommand(): Command {
  return new Command('config')
    .description('Show or change the proxy settings (through the daemon when it runs, else in config.json).')
    .addCommand(configGetCommand())
    .addCommand(configSetCommand());
}
