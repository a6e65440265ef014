import { Command } from 'commander';
import { applyDaemonV8Flags } from '../../daemon/daemon-v8-flags.js';

export function serveCommand(): Command {
  return new Command('serve')
    .description('Run the Localgate daemon in the foreground: the control server and the proxy. Stop it with Ctrl-C, SIGTERM or "localgate shutdown".')
    .option('--port <port>', 'proxy port; saved to config.json, so later runs use it too')
    .option('--demo', 'serve from a built-in local echo account only (no upstream key needed; nothing is saved)')
    .action(async (rawOptions: unknown) => {
      // Before the daemon's modules load: V8 settings for an idle daemon's footprint (daemon-v8-flags.ts).
      applyDaemonV8Flags();
      return (await import('../actions/serve.js')).runServe(rawOptions);
    });
}
