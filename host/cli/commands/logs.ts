import { Command } from 'commander';

export function logsCommand(): Command {
  return new Command('logs')
    .description(
      'Show recent proxied requests, oldest first: from the running daemon, or from the request log files (<data dir>/logs) when none runs. ' +
        'With --follow, keep printing requests as they finish until Ctrl-C.',
    )
    .option('-f, --follow', 'keep printing new requests (needs a running daemon)')
    .option('--json', 'one JSON object per line (with captured bodies when read from the log files)')
    .option('-n, --limit <count>', 'how many recent requests to print first (1-1000)', '20')
    .action(async (rawOptions: unknown) => (await import('../actions/logs.js')).runLogs(rawOptions));
}
