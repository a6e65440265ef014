import { z } from 'zod';
import { ApiKeySchema } from './api-key.js';

export const AUTH_MODES = ['off', 'strict', 'all_except_health', 'auto'] as const;
export const AuthModeSchema = z.enum(AUTH_MODES);
export type AuthMode = z.infer<typeof AuthModeSchema>;

export const PortSchema = z.number().int().min(1024).max(65535);

/**
 * Model mapping: pattern → model. A pattern is an exact name or contains `*` wildcards.
 * Resolution: exact beats wildcard; among wildcards the most specific (most literal characters)
 * wins, ties broken by pattern text so the result never depends on insertion order.
 */
export const ModelMappingSchema = z.record(z.string().min(1), z.string().min(1));

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
  /** Whole-request upstream timeout, seconds. */
  request_timeout_s: z.number().int().min(1).max(3600),
};

/** The proxy's settings, with the reference product's names. Unknown keys are rejected. */
export const ProxyConfigSchema = z.strictObject({
  ...proxyConfigFields,
  port: proxyConfigFields.port.default(8045),
  allow_lan_access: proxyConfigFields.allow_lan_access.default(false),
  auth_mode: proxyConfigFields.auth_mode.default('auto'),
  model_mapping: proxyConfigFields.model_mapping.default({}),
  request_timeout_s: proxyConfigFields.request_timeout_s.default(600),
});
export type ProxyConfig = z.infer<typeof ProxyConfigSchema>;
export type ProxyConfigInput = z.input<typeof ProxyConfigSchema>;

/** A partial update as sent by the popup or `config set`; validated again as a whole config. */
export const ProxyConfigPatchSchema = z.strictObject(proxyConfigFields).partial();
export type ProxyConfigPatch = z.infer<typeof ProxyConfigPatchSchema>;

/** The auth mode that applies to one request, given the live config. */
export function effectiveAuthMode(config: Pick<ProxyConfig, 'auth_mode' | 'allow_lan_access'>): Exclude<AuthMode, 'auto'> {
  if (config.auth_mode !== 'auto') return config.auth_mode;
  return config.allow_lan_access ? 'all_except_health' : 'off';
}

/** The address the proxy binds for this config. */
export function bindHost(config: Pick<ProxyConfig, 'allow_lan_access'>): string {
  return config.allow_lan_access ? '0.0.0.0' : '127.0.0.1';
}
