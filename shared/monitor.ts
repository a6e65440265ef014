import { z } from 'zod';

/** One proxied request as the monitor shows it. Never holds keys or auth headers. */
export const MonitorEntrySchema = z.object({
  id: z.string(),
  /** Epoch ms when the request arrived. */
  time: z.number(),
  method: z.string(),
  path: z.string(),
  /** The client protocol, from the route. */
  protocol: z.enum(['openai', 'anthropic', 'gemini', 'health', 'other']),
  /** The model the client asked for, and the one sent upstream after mapping. */
  model: z.string().optional(),
  mapped_model: z.string().optional(),
  /** The label of the account that served it (never its key or identity). */
  account: z.string().optional(),
  status: z.number().int(),
  latency_ms: z.number(),
  /** Time until the upstream's response headers arrived. */
  ttfb_ms: z.number().optional(),
  stream: z.boolean().optional(),
  tokens_in: z.number().int().optional(),
  tokens_out: z.number().int().optional(),
  /** Why it failed, when it did (an error kind, never a message holding request data). */
  error: z.string().optional(),
});
export type MonitorEntry = z.infer<typeof MonitorEntrySchema>;
