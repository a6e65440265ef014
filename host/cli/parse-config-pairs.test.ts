import { describe, expect, it } from 'vitest';
import { ProxyConfigSchema } from '../../shared/config.js';
import { LocalgateError } from '../../shared/errors.js';
import { applyConfigPatch } from '../service/edits.js';
import { configPatchFromPairs } from './parse-config-pairs.js';

const config = ProxyConfigSchema.parse({ api_key: 'sk-test-key-123456', model_mapping: { 'gpt-4o': 'gpt-4o-mini' } });

describe('configPatchFromPairs', () => {
  it('edits default_max_tokens entry by entry, as numbers', () => {
    expect(configPatchFromPairs(['default_max_tokens.claude-*=4096', 'default_max_tokens.old='], { default_max_tokens: { old: 1, keep: 2 } })).toEqual({
      default_max_tokens: { keep: 2, 'claude-*': 4096 },
    });
  });

  it('converts values by key type and keeps other values as strings', () => {
    expect(configPatchFromPairs(['port=9000', 'allow_lan_access=true', 'auth_mode=strict', 'request_timeout_s=30'], {})).toEqual({
      port: 9000,
      allow_lan_access: true,
      auth_mode: 'strict',
      request_timeout_s: 30,
    });
  });

  it('converts the monitor settings: retention and body limit as numbers, capture as a boolean', () => {
    expect(configPatchFromPairs(['log_retention_days=0', 'monitor_body_limit_bytes=1024', 'monitor_capture_bodies=true'], {})).toEqual({
      log_retention_days: 0,
      monitor_body_limit_bytes: 1024,
      monitor_capture_bodies: true,
    });
    expect(applyConfigPatch(config, configPatchFromPairs(['log_retention_days=30'], {})).log_retention_days).toBe(30);
  });

  it('takes signature_cache_size as a number in its range', () => {
    expect(configPatchFromPairs(['signature_cache_size=500'], {})).toEqual({ signature_cache_size: 500 });
    expect(applyConfigPatch(config, configPatchFromPairs(['signature_cache_size=0'], {})).signature_cache_size).toBe(0);
    expect(() => applyConfigPatch(config, configPatchFromPairs(['signature_cache_size=-1'], {}))).toThrow(LocalgateError);
  });

  it('takes scheduling as a string and clears preferred_account with an empty value', () => {
    expect(configPatchFromPairs(['scheduling=sticky', 'preferred_account=acc_0123456789'], {})).toEqual({ scheduling: 'sticky', preferred_account: 'acc_0123456789' });
    const preferred = applyConfigPatch(config, configPatchFromPairs(['scheduling=fill_first', 'preferred_account=acc_1'], {}));
    expect(preferred).toMatchObject({ scheduling: 'fill_first', preferred_account: 'acc_1' });
    expect(configPatchFromPairs(['preferred_account='], {})).toEqual({ preferred_account: null });
    expect(applyConfigPatch(preferred, configPatchFromPairs(['preferred_account='], {})).preferred_account).toBeNull();
    expect(() => applyConfigPatch(config, configPatchFromPairs(['scheduling=random'], {}))).toThrow(LocalgateError);
  });

  it('takes the pattern up to the first "=" after the prefix, dots and wildcards included', () => {
    const patch = configPatchFromPairs(['model_mapping.gpt-4.1*=gpt-4o', 'model_mapping.claude-*=gpt-4o-mini'], {});
    expect(patch).toEqual({ model_mapping: { 'gpt-4.1*': 'gpt-4o', 'claude-*': 'gpt-4o-mini' } });
  });

  it('keeps "=" after the first one in the value', () => {
    expect(configPatchFromPairs(['model_mapping.a=b=c'], {})).toEqual({ model_mapping: { a: 'b=c' } });
  });

  it('edits a copy of the current mapping, and an empty model deletes a pattern', () => {
    const current = { keep: 'x', drop: 'y' };
    const patch = configPatchFromPairs(['model_mapping.drop=', 'model_mapping.new=z'], { model_mapping: current });
    expect(patch).toEqual({ model_mapping: { keep: 'x', new: 'z' } });
    expect(current).toEqual({ keep: 'x', drop: 'y' });
  });

  it('leaves model_mapping out of the patch when no pair names it', () => {
    expect(configPatchFromPairs(['port=9000'], { model_mapping: { a: 'b' } })).not.toHaveProperty('model_mapping');
  });

  it.each([['port'], ['=9000'], ['model_mapping=gpt-4o'], ['model_mapping.=gpt-4o']])('rejects the malformed pair %s', (pair) => {
    expect(() => configPatchFromPairs(['port=9000', pair], {})).toThrow(LocalgateError);
  });

  it('reports every malformed pair at once', () => {
    expect(() => configPatchFromPairs(['a', 'b'], {})).toThrow(/"a" is not key=value; "b" is not key=value/);
  });

  it('leaves bad values to the schema, so one bad pair rejects the whole patch', () => {
    const patch = configPatchFromPairs(['auth_mode=strict', 'port=abc'], config);
    expect(patch.port).toBe('abc');
    expect(() => applyConfigPatch(config, patch)).toThrow(/port/);
    expect(() => applyConfigPatch(config, configPatchFromPairs(['allow_lan_access=yes'], {}))).toThrow(/allow_lan_access/);
    expect(() => applyConfigPatch(config, configPatchFromPairs(['no_such_key=1'], {}))).toThrow(/no_such_key/);
  });

  it('produces a patch the shared schema accepts', () => {
    const next = applyConfigPatch(config, configPatchFromPairs(['port=9000', 'auth_mode=strict', 'model_mapping.claude-*=gpt-4o-mini'], config));
    expect(next).toMatchObject({ port: 9000, auth_mode: 'strict', model_mapping: { 'gpt-4o': 'gpt-4o-mini', 'claude-*': 'gpt-4o-mini' } });
  });
});
