import * as z from 'zod';
import { AccountViewSchema } from './accounts.js';
import { ERROR_CODE_LIST } from './errors.js';

export const ProxyStateSchema = z.object({
  state: z.enum(['stopped', 'running']),
  /** Where the proxy listens (running) or would listen (stopped). */
  host: z.string(),
  port: z.number().int(),
  /** `http://127.0.0.1:8045` while running. */
  url: z.string().optional(),
  /** Why the last start failed, if it did and the proxy has not started since. */
  last_error: z.object({ code: z.enum(ERROR_CODE_LIST), message: z.string() }).optional(),
});
export type ProxyState = z.infer<typeof ProxyStateSchema>;

/** A snapshot of the daemon, built on demand from live state (never counted incrementally). */
export const DaemonStatusSchema = z.object({
  daemon: z.object({
    pid: z.number().int(),
    version: z.string(),
    data_dir: z.string(),
    started_at: z.number(),
  }),
  proxy: ProxyStateSchema,
  /** Enabled accounts that are ready now. */
  active_accounts: z.number().int(),
  accounts: z.array(AccountViewSchema),
});
export type DaemonStatus = z.infer<typeof DaemonStatusSchema>;
