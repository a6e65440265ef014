import * as z from 'zod';
import { AccountEditSchema, AccountTestResultSchema, AccountViewSchema, NewAccountSchema } from '../accounts.js';
import { OriginSchema, ProxyConfigPatchSchema } from '../config.js';
import { DaemonStatusSchema } from '../status.js';
import { MonitorEntrySchema, MonitorStatsSchema, STATS_WINDOWS } from '../monitor.js';

/** The config as it leaves the daemon: everything, api_key included (the user must copy it). */
export const ConfigViewSchema = z.object({
  port: z.number(),
  allow_lan_access: z.boolean(),
  auth_mode: z.string(),
  api_key: z.string(),
  model_mapping: z.record(z.string(), z.string()),
  request_timeout_s: z.number(),
  connect_timeout_s: z.number().optional(),
  stream_idle_timeout_s: z.number().optional(),
  max_attempts: z.number().optional(),
  max_concurrent_requests: z.number().optional(),
  default_max_tokens: z.record(z.string(), z.number()),
  cors_allowed_origins: z.array(z.string()),
  allowed_hosts: z.array(z.string()),
  log_retention_days: z.number(),
  monitor_capture_bodies: z.boolean(),
  monitor_body_limit_bytes: z.number(),
  max_body_mb: z.number().optional(),
  scheduling: z.string().optional(),
  preferred_account: z.string().nullable().optional(),
  signature_cache_size: z.number().optional(),
  responses_store_size: z.number().optional(),
  responses_store_ttl_seconds: z.number().optional(),
});

const Empty = z.object({}).optional();
const AccountIdPayload = z.object({ id: z.string().min(1) });

export const HealthzResultSchema = z.object({
  ok: z.boolean(),
  url: z.string(),
  status: z.number().optional(),
  body: z.string().optional(),
  latency_ms: z.number(),
  error: z.string().optional(),
});

/**
 * Every control request: its payload schema and its result schema. Both transports (native
 * messaging and WebSocket) carry exactly these, validated on both ends.
 */
export const CONTROL_MESSAGES = {
  'proxy.start': { payload: Empty, result: DaemonStatusSchema },
  'proxy.stop': { payload: Empty, result: DaemonStatusSchema },
  'proxy.status': { payload: Empty, result: DaemonStatusSchema },
  'config.get': { payload: Empty, result: ConfigViewSchema },
  'config.update': { payload: ProxyConfigPatchSchema, result: ConfigViewSchema },
  'apiKey.generate': { payload: Empty, result: ConfigViewSchema },
  /**
   * Adds one web origin to cors_allowed_origins (the toolbar's "Allow this site"), or removes it.
   * One message each rather than config.update with the whole list: the daemon edits its live
   * list, so an origin added elsewhere meanwhile is never lost.
   */
  'cors.allowOrigin': { payload: z.object({ origin: OriginSchema }), result: ConfigViewSchema },
  'cors.removeOrigin': { payload: z.object({ origin: OriginSchema }), result: ConfigViewSchema },
  'accounts.list': { payload: Empty, result: z.array(AccountViewSchema) },
  'accounts.add': { payload: NewAccountSchema, result: AccountViewSchema },
  'accounts.remove': { payload: AccountIdPayload, result: z.object({ removed: z.string() }) },
  'accounts.setEnabled': {
    payload: AccountIdPayload.extend({ enabled: z.boolean() }),
    result: AccountViewSchema,
  },
  /** Changes an account's label, base URL, models or key (write-only); what is not named stays. */
  'accounts.update': { payload: AccountEditSchema.extend({ id: z.string().min(1) }), result: AccountViewSchema },
  /** Clears an account's cooldowns (per model too) and an upstream's disabling: "try it again now". */
  'accounts.reset': { payload: AccountIdPayload, result: AccountViewSchema },
  /**
   * One cheap call to the provider's model list with the account's key: `works` (with the
   * account's model count), `key-rejected`, `unreachable` or `provider-error` (the provider's words).
   */
  'accounts.test': { payload: AccountIdPayload, result: AccountTestResultSchema },
  'healthz.check': { payload: Empty, result: HealthzResultSchema },
  'monitor.recent': {
    payload: z.object({ limit: z.number().int().min(1).max(1000).optional() }).optional(),
    result: z.array(MonitorEntrySchema),
  },
  /** A snapshot of the last hour or day: counts, tokens per account and model, latency percentiles. */
  'monitor.stats': {
    payload: z.object({ window: z.enum(STATS_WINDOWS) }),
    result: MonitorStatsSchema,
  },
  'daemon.shutdown': { payload: Empty, result: z.object({ stopping: z.literal(true) }) },
} as const;

export type ControlMessageType = keyof typeof CONTROL_MESSAGES;

/**
 * Requests that may take longer than a client's usual wait: a model list may span pages of up
 * to 10 s each. Clients (CLI, extension) wait this long for them.
 */
export const SLOW_REQUEST_TIMEOUTS_MS: Partial<Record<ControlMessageType, number>> = {
  'accounts.test': 60_000,
};

/**
 * Requests that only read or check (a check asks an upstream again, and refreshes what it learned),
 * so running one twice changes nothing. Every other request (start, stop,
 * adding an account, a new API key, …) is answered once per request id by the daemon: a client
 * that resends after a reconnect, with the same id, gets the first answer instead of a second run.
 */
export const SAFE_TO_REPEAT: ReadonlySet<ControlMessageType> = new Set<ControlMessageType>([
  'proxy.status',
  'config.get',
  'accounts.list',
  'accounts.test',
  'healthz.check',
  'monitor.recent',
  'monitor.stats',
]);

export type ControlPayload<T extends ControlMessageType> = z.infer<(typeof CONTROL_MESSAGES)[T]['payload']>;
export type ControlResult<T extends ControlMessageType> = z.infer<(typeof CONTROL_MESSAGES)[T]['result']>;

export function isControlMessageType(type: string): type is ControlMessageType {
  return Object.hasOwn(CONTROL_MESSAGES, type);
}

/** Events the daemon pushes. */
export const CONTROL_EVENTS = {
  status: DaemonStatusSchema,
  /** The config after every change, whoever made it (a view, the CLI, another browser). */
  config: ConfigViewSchema,
  'monitor.entry': MonitorEntrySchema,
} as const;
export type ControlEventName = keyof typeof CONTROL_EVENTS;
