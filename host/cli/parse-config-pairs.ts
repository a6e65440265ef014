import { LocalgateError } from '../../shared/errors.js';

/** Keys whose values are numbers and booleans; everything else stays a string for zod to judge. */
const NUMBER_KEYS: ReadonlySet<string> = new Set(['port', 'request_timeout_s', 'log_retention_days', 'monitor_body_limit_bytes']);
const BOOLEAN_KEYS: ReadonlySet<string> = new Set(['allow_lan_access', 'monitor_capture_bodies']);
/** Keys whose values are lists, written comma-separated (`cors_allowed_origins=https://a,https://b`; empty = none). */
const LIST_KEYS: ReadonlySet<string> = new Set(['cors_allowed_origins', 'allowed_hosts']);
const MAPPING_PREFIX = 'model_mapping.';

/**
 * Turns `config set` arguments into one config patch. A pair splits at its first `=`, so a
 * mapping pattern keeps its dots (`model_mapping.gpt-4.1*=gpt-4o` maps `gpt-4.1*`); a pattern
 * cannot contain `=`. `model_mapping.P=` (nothing after `=`) deletes the mapping for P. Mapping
 * pairs edit a copy of `currentMapping`, since a patch replaces `model_mapping` as a whole.
 *
 * Only the syntax is checked here; values are converted by key type and left for the config
 * schema to validate, so "port=abc" is reported by the same rules as any other bad value. The
 * caller applies the patch in one step: one bad pair rejects the whole call.
 */
export function configPatchFromPairs(pairs: readonly string[], currentMapping: Readonly<Record<string, string>>): Record<string, unknown> {
  const patch: Record<string, unknown> = {};
  const mapping = { ...currentMapping };
  let mappingTouched = false;
  const problems: string[] = [];

  for (const pair of pairs) {
    const equals = pair.indexOf('=');
    if (equals <= 0) {
      problems.push(`"${pair}" is not key=value`);
      continue;
    }
    const key = pair.slice(0, equals);
    const value = pair.slice(equals + 1);
    if (key === 'model_mapping') {
      problems.push('model_mapping takes one mapping per pair: model_mapping.PATTERN=MODEL');
    } else if (key.startsWith(MAPPING_PREFIX)) {
      const pattern = key.slice(MAPPING_PREFIX.length);
      if (pattern === '') {
        problems.push(`"${pair}" names no pattern: use model_mapping.PATTERN=MODEL`);
        continue;
      }
      if (value === '') delete mapping[pattern];
      else mapping[pattern] = value;
      mappingTouched = true;
    } else {
      patch[key] = convertValue(key, value);
    }
  }

  if (problems.length > 0) throw new LocalgateError('INVALID_CONFIG', `Invalid configuration: ${problems.join('; ')}`);
  if (mappingTouched) patch.model_mapping = mapping;
  return patch;
}

function convertValue(key: string, value: string): unknown {
  if (NUMBER_KEYS.has(key) && /^-?\d+(\.\d+)?$/.test(value)) return Number(value);
  if (BOOLEAN_KEYS.has(key) && (value === 'true' || value === 'false')) return value === 'true';
  if (LIST_KEYS.has(key)) return value === '' ? [] : value.split(',').map((item) => item.trim());
  return value;
}
