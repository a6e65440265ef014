import { Command } from 'commander';
import { z } from 'zod';
import { PortSchema } from '../../../shared/config.js';
import { runDaemon } from '../../daemon/run-daemon.js';
import { resolveDataDir } from '../../store/data-dir.js';

/** `serve` options as commander hands them over (strings), checked and converted. */
export const serveOptionsSchema = z.object({
  port: z.coerce.number().pipe(PortSchema).optional(),
  demo: z.boolean().default(false),
});

export function serveCommand(): Command {
  return new Command('serve')
    .description('Run the Localgate daemon in the foreground: the control server and the proxy. Stop it with Ctrl-C, SIGTERM or "localgate shutdown".')
    .option('--port <port>', 'proxy port; saved to config.json, so later runs use it too')
    .option('--demo', 'serve from a built-in local echo account only (no upstream key needed; nothing is saved)')
    .action(async (rawOptions: unknown) => {
      const options = serveOptionsSchema.parse(rawOptions);
      await runDaemon({ dataDir: resolveDataDir(), demo: options.demo, ...(options.port === undefined ? {} : { port: options.port }) });
    });
}
