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
    });
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
