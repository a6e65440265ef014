import { Command } from 'commander';

export function statusCommand(): Command {
  return new Command('status')
    .description(
      'Show the daemon, the proxy and the accounts. Exits 0 whether or not the daemon runs; with --json, ' +
        '{"daemon":{"state":"not running","data_dir":…}} when it does not, else the daemon status with daemon.state "running" and daemon.control_port.',
    )
    .option('--json', 'print JSON')
    .action(async (options: { json?: boolean }) => (await import('../actions/status.js')).runStatus(options));
}
