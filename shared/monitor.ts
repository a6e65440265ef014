import * as z from 'zod';

/** An entry keeps at most this many warnings (each code once). */
export const MAX_ENTRY_WARNINGS = 20;

/** Something the translation dropped or changed for one request (host/ir/ir-warning.ts). */
export const EntryWarningSchema = z.object({
  /** Short and stable, kebab case (`dropped-top-k`): also sent in the `x-localgate-warnings` header. */
  code: z.string(),
  /** What exactly, for a person (the feature and the details of this request), at most 200 characters. */
  message: z.string(),
});
export type EntryWarning = z.infer<typeof EntryWarningSchema>;

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
  /** What the translation dropped or changed, each code once; absent when nothing was (and for pass-through). */
  warnings: z.array(EntryWarningSchema).max(MAX_ENTRY_WARNINGS).optional(),
  /**
   * With `monitor_capture_bodies` on: the client's JSON request body as sent, cut at
   * `monitor_body_limit_bytes`. Never a header. Kept in the request log only, not in the live
   * ring or the control protocol (see host/monitor/monitor-sink.ts).
   */
  request_body: z.string().optional(),
  /** With `monitor_capture_bodies` on: the first `monitor_body_limit_bytes` sent to the client. */
  response_body: z.string().optional(),
  /** True when a captured body was cut at the limit. */
  bodies_truncated: z.boolean().optional(),
});
export type MonitorEntry = z.infer<typeof MonitorEntrySchema>;

export const STATS_WINDOWS = ['hour', 'day'] as const;
export type StatsWindow = (typeof STATS_WINDOWS)[number];

/** Requests, errors and tokens of one account or one model within the window. */
export const StatsGroupSchema = z.object({
  /** The account label or model name; `(none)` for requests that never got that far (401, 404…). */
  name: z.string(),
  requests: z.number().int(),
  errors: z.number().int(),
  tokens_in: z.number().int(),
  tokens_out: z.number().int(),
});
export type StatsGroup = z.infer<typeof StatsGroupSchema>;

/** How many requests of the window carried one warning code. */
export const WarningCountSchema = z.object({
  code: z.string(),
  requests: z.number().int(),
});
export type WarningCount = z.infer<typeof WarningCountSchema>;

/** One minute of the last hour. */
export const MinuteBucketSchema = z.object({
  /** Epoch ms of the minute's start. */
  start: z.number(),
  requests: z.number().int(),
  errors: z.number().int(),
});
export type MinuteBucket = z.infer<typeof MinuteBucketSchema>;

/**
 * A snapshot of the monitor over the last hour or day (rolling), computed on demand from the
 * recorded entries (host/monitor/monitor-stats.ts).
 */
export const MonitorStatsSchema = z.object({
  window: z.enum(STATS_WINDOWS),
  /** Epoch ms: the window is [from, to). */
  from: z.number(),
  to: z.number(),
  requests: z.number().int(),
  /** Requests that failed: HTTP status >= 400, or a recorded error other than the client leaving. */
  errors: z.number().int(),
  tokens_in: z.number().int(),
  tokens_out: z.number().int(),
  /** Total latency percentiles (nearest rank), ms; null when the window holds no request. */
  latency_ms: z.object({ p50: z.number(), p90: z.number(), p99: z.number() }).nullable(),
  /** The last 60 minutes whatever the window, oldest first; the last bucket is the current minute. */
  per_minute: z.array(MinuteBucketSchema),
  /** By account label, most requests first. */
  by_account: z.array(StatsGroupSchema),
  /** By the model sent upstream (after mapping; the client's when unmapped), most requests first. */
  by_model: z.array(StatsGroupSchema),
  /**
   * By warning code: requests whose translation dropped or changed something, most frequent
   * first. Defaults to none for a daemon that predates it.
   */
  by_warning: z.array(WarningCountSchema).default([]),
});
export type MonitorStats = z.infer<typeof MonitorStatsSchema>;
