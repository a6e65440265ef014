import * as z from 'zod';
import { AccountIdSchema } from './accounts.js';
import { ApiKeySchema } from './api-key.js';

export const AUTH_MODES = ['off', 'strict', 'all_except_health', 'auto'] as const;
export const AuthModeSchema = z.enum(AUTH_MODES);
export type AuthMode = z.infer<typeof AuthModeSchema>;

/**
 * Which ready account serves the next request: `round_robin` takes turns; `fill_first` uses the
 * first in list order until it cools; `sticky` keeps a conversation on the account that served it
 * while that account is ready.
 */
export const SCHEDULING_MODES = ['round_robin', 'sticky', 'fill_first'] as const;
export const SchedulingModeSchema = z.enum(SCHEDULING_MODES);
export type SchedulingMode = z.infer<typeof SchedulingModeSchema>;

export const PortSchema = z.number().int().min(1024).max(65535);

/**
 * Model mapping: pattern → model. A pattern is an exact name or contains `*` wildcards.
 * Resolution: exact beats wildcard; among wildcards the most specific (most literal characters)
 * wins, ties broken by pattern text so the result never depends on insertion order.
 */
export const ModelMappingSchema = z.record(z.string().min(1), z.string().min(1));

/** `*` or an origin: scheme://host[:port], nothing after it. */
export const OriginSchema = z.string().refine((value) => {
  if (value === '*') return true;
  try {
    const url = new URL(value);
    return url.origin === value && url.origin !== 'null';
  } catch {
    return false;
  }
}, 'an origin like https://app.example.com (scheme, host and optional port, no path), or *');

/** The largest `monitor_body_limit_bytes`: an entry must stay a small line in the request log. */
export const MAX_BODY_LIMIT_BYTES = 1024 * 1024;

/**
 * The fields and their rules, without defaults: a patch must not fill in what it does not name
 * (zod keeps `.default()` inside `.partial()`, which would silently reset other settings).
 */
const proxyConfigFields = {
  /** Port the proxy listens on. */
  port: PortSchema,
  /** false: bind 127.0.0.1 only; true: bind 0.0.0.0 (reachable from the LAN). */
  allow_lan_access: z.boolean(),
  /** Which requests need the api_key; `auto` = all_except_health with LAN access on, else off. */
  auth_mode: AuthModeSchema,
  /** The key clients present to the proxy. Generated on first run. */
  api_key: ApiKeySchema,
  /** Client model name (or glob) → model sent upstream. */
  model_mapping: ModelMappingSchema,
  /** Time to an upstream's first byte (response headers, then its first stream event), seconds. */
  request_timeout_s: z.number().int().min(1).max(3600),
  /** Time to open a connection to an upstream (TCP + TLS), seconds. */
  connect_timeout_s: z.number().int().min(1).max(300),
  /** The longest quiet gap between two chunks of an upstream answer, seconds. */
  stream_idle_timeout_s: z.number().int().min(1).max(3600),
  /** How many accounts one request may try (failover) before the client gets the error. */
  max_attempts: z.number().int().min(1).max(10),
  /** Generation requests served at once; beyond it a client gets an immediate 429 (Retry-After 1). */
  max_concurrent_requests: z.number().int().min(1).max(100_000),
  /**
   * Output-token limit (model pattern → tokens) sent to upstreams that require one (Anthropic)
   * when the client set none. Patterns match the mapped model like model_mapping's; unmatched
   * models get a built-in per-model default.
   */
  default_max_tokens: z.record(z.string().min(1), z.number().int().min(1).max(1_000_000)),
  /**
   * Web origins (besides the extension and loopback pages) that may call the proxy from a
   * browser, e.g. `https://chat.example.com`. `*` is accepted only while auth is on.
   */
  cors_allowed_origins: z.array(OriginSchema),
  /** Extra Host names the proxy answers to with LAN access on (e.g. `mybox.local`), against DNS rebinding. */
  allowed_hosts: z.array(z.string().min(1).max(253).regex(/^[A-Za-z0-9.-]+$/, 'a host name or IPv4 address')),
  /**
   * How many calendar days of request log files (`logs/requests-YYYY-MM-DD*.jsonl`) are kept,
   * today included: 7 keeps today and the six days before it. 0 keeps no files at all (nothing
   * is written, and existing files are deleted).
   */
  log_retention_days: z.number().int().min(0).max(365),
  /**
   * Record the client's request body and the start of the response sent back to it in each
   * monitor entry (request log only; never headers, never auth). Off by default: bodies hold
   * prompts and answers.
   */
  monitor_capture_bodies: z.boolean(),
  /** How much of each body is kept when capturing, in bytes (at most 1 MiB). */
  monitor_body_limit_bytes: z.number().int().min(1).max(MAX_BODY_LIMIT_BYTES),
  /** Largest request body the proxy reads, in MB (larger ones get a 413); applies at the next proxy start. */
  max_body_mb: z.number().int().min(1).max(512),
  /** How the next account is chosen among those ready for the model (see SCHEDULING_MODES). */
  scheduling: SchedulingModeSchema,
  /**
   * An account id tried first whenever it is ready for the model, whatever the scheduling; null =
   * none. Only the id's shape is checked: an id that names no account is simply never ready.
   */
  preferred_account: AccountIdSchema.nullable(),
  /**
   * How many tool calls' signatures the proxy remembers (in memory only, never on disk) to put
   * back when a client drops them from its history (Gemini 3 and Anthropic thinking reject a
   * tool turn without them). 0 remembers none.
   */
  signature_cache_size: z.number().int().min(0).max(1_000_000),
  /**
   * How many Responses API answers the proxy keeps (in memory only, never on disk) so that a
   * follow-up can name one in `previous_response_id`; the oldest go first. 0 keeps none.
   */
  responses_store_size: z.number().int().min(0).max(100_000),
  /** How long a kept Responses answer can be followed up, in seconds from when it was made. */
  responses_store_ttl_seconds: z.number().int().min(60).max(7 * 24 * 3600),
};

/** The proxy's settings, with the reference product's names. Unknown keys are rejected. */
export const ProxyConfigSchema = z
  .strictObject({
    ...proxyConfigFields,
    port: proxyConfigFields.port.default(8045),
    allow_lan_access: proxyConfigFields.allow_lan_access.default(false),
    auth_mode: proxyConfigFields.auth_mode.default('auto'),
    model_mapping: proxyConfigFields.model_mapping.default({}),
    request_timeout_s: proxyConfigFields.request_timeout_s.default(600),
    connect_timeout_s: proxyConfigFields.connect_timeout_s.default(10),
    stream_idle_timeout_s: proxyConfigFields.stream_idle_timeout_s.default(300),
    max_attempts: proxyConfigFields.max_attempts.default(3),
    max_concurrent_requests: proxyConfigFields.max_concurrent_requests.default(256),
    default_max_tokens: proxyConfigFields.default_max_tokens.default({}),
    cors_allowed_origins: proxyConfigFields.cors_allowed_origins.default([]),
    allowed_hosts: proxyConfigFields.allowed_hosts.default([]),
    log_retention_days: proxyConfigFields.log_retention_days.default(7),
    monitor_capture_bodies: proxyConfigFields.monitor_capture_bodies.default(false),
    monitor_body_limit_bytes: proxyConfigFields.monitor_body_limit_bytes.default(64 * 1024),
    max_body_mb: proxyConfigFields.max_body_mb.default(32),
    scheduling: proxyConfigFields.scheduling.default('round_robin'),
    preferred_account: proxyConfigFields.preferred_account.default(null),
    signature_cache_size: proxyConfigFields.signature_cache_size.default(10_000),
    responses_store_size: proxyConfigFields.responses_store_size.default(1000),
    responses_store_ttl_seconds: proxyConfigFields.responses_store_ttl_seconds.default(3600),
  })
  .refine((config) => !config.cors_allowed_origins.includes('*') || effectiveAuthMode(config) !== 'off', {
    path: ['cors_allowed_origins'],
    message: '"*" lets any web page call the proxy: it needs auth on (auth_mode strict or all_except_health)',
  });
export type ProxyConfig = z.infer<typeof ProxyConfigSchema>;
export type ProxyConfigInput = z.input<typeof ProxyConfigSchema>;

/** A partial update as sent by the popup or `config set`; validated again as a whole config. */
export const ProxyConfigPatchSchema = z.strictObject(proxyConfigFields).partial();
export type ProxyConfigPatch = z.infer<typeof ProxyConfigPatchSchema>;

/** The auth mode that applies to one request, given the live config. */
export function effectiveAuthMode(config: { auth_mode: AuthMode; allow_lan_access: boolean }): Exclude<AuthMode, 'auto'> {
  if (config.auth_mode !== 'auto') return config.auth_mode;
  return config.allow_lan_access ? 'all_except_health' : 'off';
}

/** The address the proxy binds for this config. */
export function bindHost(config: { allow_lan_access: boolean }): string {
  return config.allow_lan_access ? '0.0.0.0' : '127.0.0.1';
}
