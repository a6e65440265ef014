import { Command } from 'commander';
import { holdYoungGenerationDuringStart } from '../../daemon/start-up-heap.js';

export function serveCommand(): Command {
  return new Command('serve')
    .description('Run the Localgate daemon in the foreground: the control server and the proxy. Stop it with Ctrl-C, SIGTERM or "localgate shutdown".')
    .option('--port <port>', 'proxy port; saved to config.json, so later runs use it too')
    .option('--demo', 'serve from a built-in local echo account only (no upstream key needed; nothing is saved)')
    .action(async (rawOptions: unknown) => {
      // Before the daemon's modules load: most of what they allocate is for good (start-up-heap.ts).
      holdYoungGenerationDuringStart();
      return (await import('../actions/serve.js')).runServe(rawOptions);
    });
}
