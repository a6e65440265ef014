import { Command } from 'commander';

/** Prints the string the popup takes when no native host is installed (WebSocket fallback). */
export function pairCommand(): Command {
  return new Command('pair')
    .description('Print a pairing string for the extension when the native host cannot be installed (the daemon must be running).')
    .action(async () => (await import('../actions/pair.js')).runPair());
}
