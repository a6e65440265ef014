import { Command } from 'commander';
import { VERSION } from '../version.js';
import { accountsCommand } from './commands/accounts/index.js';
import { configCommand } from './commands/config/index.js';
import { serveCommand } from './commands/serve.js';
import { shutdownCommand } from './commands/shutdown.js';
import { statusCommand } from './commands/status.js';
import { logsCommand } from './commands/logs.js';
import { statsCommand } from './commands/stats.js';
import { installNativeHostCommand, uninstallNativeHostCommand } from './commands/install-native-host.js';
import { nativeCommand } from './commands/native.js';
import { pairCommand } from './commands/pair.js';

/**
 * Assembles the `localgate` program from definitions only: each command's action imports its
 * module (host/cli/actions/) when it runs, so `--version` loads commander alone and `status` never
 * loads what `serve` needs (Fastify, undici, the codecs).
 *
 * Every command throws instead of exiting (`exitOverride`, applied to the whole tree because
 * `addCommand` does not copy settings to subcommands), so all errors reach the one handler in
 * main.ts. Data on stdout, everything else on stderr.
 */
export function buildProgram(): Command {
  const program = new Command('localgate')
    .description('A local AI API gateway: one endpoint for OpenAI, Anthropic and Gemini clients, served from your own upstream accounts.')
    .version(VERSION)
    .addHelpText('after', '\nData directory: $LOCALGATE_HOME if set, else the OS config dir.')
    .addCommand(serveCommand())
    .addCommand(statusCommand())
    .addCommand(shutdownCommand())
    .addCommand(accountsCommand())
    .addCommand(configCommand())
    .addCommand(logsCommand())
    .addCommand(statsCommand())
    .addCommand(installNativeHostCommand())
    .addCommand(uninstallNativeHostCommand())
    .addCommand(pairCommand())
    .addCommand(nativeCommand(), { hidden: true });
  forEachCommand(program, (command) => command.exitOverride().showHelpAfterError('(run with --help for usage)'));
  return program;
}

function forEachCommand(command: Command, apply: (command: Command) => void): void {
  apply(command);
  for (const child of command.commands) forEachCommand(child, apply);
}
