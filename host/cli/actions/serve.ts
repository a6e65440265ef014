import * as z from 'zod';
import { PortSchema } from '../../../shared/config.js';
import { runDaemon } from '../../daemon/run-daemon.js';
import { resolveDataDir } from '../../store/data-dir.js';

/** `serve` options as commander hands them over (strings), checked and converted. */
export const serveOptionsSchema = z.object({
  port: z.coerce.number().pipe(PortSchema).optional(),
  demo: z.boolean().default(false),
});

export async function runServe(rawOptions: unknown): Promise<void> {
  const options = serveOptionsSchema.parse(rawOptions);
  await runDaemon({ dataDir: resolveDataDir(), demo: options.demo, ...(options.port === undefined ? {} : { port: options.port }) });
}
