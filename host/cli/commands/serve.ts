import { Command } from 'commander';

export function serveCommand(): Command {
  return new Command('serve')
    .description('Run the Localgate daemon in the foreground: the control server and the proxy. Stop it with Ctrl-C, SIGTERM or "localgate shutdown".')
    .option('--port <port>', 'proxy port; saved to config.json, so later runs use it too')
    .option('--demo', 'serve from a built-in local echo account only (no upstream key needed; nothing is saved)')
    .action(async (rawOptions: unknown) => (await import('../actions/serve.js')).runServe(rawOptions));
}
