import { Command } from 'commander';

export function shutdownCommand(): Command {
  return new Command('shutdown')
    .description('Stop the daemon of this data directory and wait until its process is gone. Exits 0 if none runs.')
    .action(async () => (await import('../actions/shutdown.js')).runShutdown());
}
