import { describe, expect, it } from 'vitest';
import { ApiKeySchema, generateApiKey, maskSecret } from './api-key.js';
import { ProxyConfigPatchSchema, ProxyConfigSchema, bindHost, effectiveAuthMode } from './config.js';

describe('ProxyConfig', () => {
  it('fills defaults for a fresh install', () => {
    const config = ProxyConfigSchema.parse({ api_key: 'sk-1234567890' });
    expect(config).toEqual({
      port: 8045,
      allow_lan_access: false,
      auth_mode: 'auto',
      api_key: 'sk-1234567890',
      model_mapping: {},
      request_timeout_s: 600,
      connect_timeout_s: 10,
      stream_idle_timeout_s: 300,
      max_attempts: 3,
      max_concurrent_requests: 256,
      default_max_tokens: {},
      cors_allowed_origins: [],
      allowed_hosts: [],
      log_retention_days: 7,
      monitor_capture_bodies: false,
      monitor_body_limit_bytes: 64 * 1024,
      max_body_mb: 32,
      scheduling: 'round_robin',
      preferred_account: null,
      signature_cache_size: 10_000,
      responses_store_size: 1000,
      responses_store_ttl_seconds: 3600,
    });
  });

  it('takes a scheduling mode from the closed set and a preferred account id by its shape only', () => {
    const valid = (patch: Record<string, unknown>) => ProxyConfigSchema.safeParse({ api_key: 'sk-1234567890', ...patch }).success;
    for (const scheduling of ['round_robin', 'sticky', 'fill_first']) expect(valid({ scheduling })).toBe(true);
    for (const scheduling of ['random', 'ROUND_ROBIN', '']) expect(valid({ scheduling })).toBe(false);
    for (const preferred_account of ['acc_0123456789', 'any-shaped_id', null]) expect(valid({ preferred_account })).toBe(true);
    for (const preferred_account of ['', 'has space', 'a/b', 'x'.repeat(65), 7]) expect(valid({ preferred_account })).toBe(false);
    expect(ProxyConfigPatchSchema.parse({ scheduling: 'sticky' })).toEqual({ scheduling: 'sticky' });
  });

  it('bounds the monitor settings: retention 0–365 whole days, body limit 1 B–1 MiB', () => {
    const valid = (patch: Record<string, unknown>) => ProxyConfigSchema.safeParse({ api_key: 'sk-1234567890', ...patch }).success;
    for (const days of [0, 1, 365]) expect(valid({ log_retention_days: days })).toBe(true);
    for (const days of [-1, 366, 1.5, '7']) expect(valid({ log_retention_days: days })).toBe(false);
    for (const bytes of [1, 1024 * 1024]) expect(valid({ monitor_body_limit_bytes: bytes })).toBe(true);
    for (const bytes of [0, 1024 * 1024 + 1]) expect(valid({ monitor_body_limit_bytes: bytes })).toBe(false);
    expect(valid({ monitor_capture_bodies: 'yes' })).toBe(false);
    // A patch naming one monitor setting must not fill in the others' defaults.
    expect(ProxyConfigPatchSchema.parse({ monitor_capture_bodies: true })).toEqual({ monitor_capture_bodies: true });
  });

  it('a patch carries only what it names (a regression: defaults once reset the port)', () => {
    expect(ProxyConfigPatchSchema.parse({ model_mapping: { a: 'b' } })).toEqual({ model_mapping: { a: 'b' } });
  });

  it('rejects unknown keys, naming them', () => {
    const result = ProxyConfigSchema.safeParse({ api_key: 'sk-1234567890', prot: 1 });
    expect(result.success).toBe(false);
    expect(JSON.stringify(result.error?.issues)).toContain('prot');
  });

  it('rejects ports outside 1024–65535', () => {
    for (const port of [80, 1023, 65536, 8045.5]) expect(ProxyConfigSchema.safeParse({ api_key: 'sk-1234567890', port }).success).toBe(false);
    for (const port of [1024, 65535]) expect(ProxyConfigSchema.safeParse({ api_key: 'sk-1234567890', port }).success).toBe(true);
  });

  it('resolves auto auth from the LAN switch and binds loopback unless LAN access is on', () => {
    expect(effectiveAuthMode({ auth_mode: 'auto', allow_lan_access: false })).toBe('off');
    expect(effectiveAuthMode({ auth_mode: 'auto', allow_lan_access: true })).toBe('all_except_health');
    expect(effectiveAuthMode({ auth_mode: 'strict', allow_lan_access: false })).toBe('strict');
    expect(bindHost({ allow_lan_access: false })).toBe('127.0.0.1');
    expect(bindHost({ allow_lan_access: true })).toBe('0.0.0.0');
  });
});

describe('api keys', () => {
  it('validates like the reference UI: sk- prefix, at least 10 characters', () => {
    expect(ApiKeySchema.safeParse('sk-123456').success).toBe(false);
    expect(ApiKeySchema.safeParse('pk-1234567890').success).toBe(false);
    expect(ApiKeySchema.safeParse('sk-1234567').success).toBe(true);
  });

  it('generates distinct sk- keys of 43 characters that pass validation', () => {
    const keys = new Set(Array.from({ length: 50 }, generateApiKey));
    expect(keys.size).toBe(50);
    for (const key of keys) {
      expect(key).toMatch(/^sk-[A-Za-z0-9]{40}$/);
      expect(ApiKeySchema.safeParse(key).success).toBe(true);
    }
  });

  it('masks secrets so they cannot be used', () => {
    const key = 'sk-abcdefghijklmnopqrstuvwxyz';
    expect(maskSecret(key)).toBe('sk-abc…wxyz');
    expect(maskSecret(key)).not.toContain('defghijklmnopqrstuv');
    expect(maskSecret('short')).toBe('sho…');
  });
});
