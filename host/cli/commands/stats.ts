import { Command } from 'commander';

export function statsCommand(): Command {
  return new Command('stats')
    .description('Summarise the last hour (or day) of requests: counts, errors, tokens per account and model, latency percentiles, translation warnings by code. From the daemon, or from the request log files when none runs.')
    .option('--window <window>', 'hour or day', 'hour')
    .option('--json', 'print JSON')
    .action(async (rawOptions: unknown) => (await import('../actions/stats.js')).runStats(rawOptions));
}
