import { LocalgateError } from '../../shared/errors.js';

/** Keys whose values are numbers and booleans; everything else stays a string for zod to judge. */
const NUMBER_KEYS: ReadonlySet<string> = new Set(['port', 'request_timeout_s', 'log_retention_days', 'monitor_body_limit_bytes', 'max_body_mb', 'connect_timeout_s', 'stream_idle_timeout_s', 'max_attempts', 'max_concurrent_requests', 'signature_cache_size', 'responses_store_size', 'responses_store_ttl_seconds']);
const BOOLEAN_KEYS: ReadonlySet<string> = new Set(['allow_lan_access', 'monitor_capture_bodies']);
/** Keys that may be cleared: an empty value (`preferred_account=`) becomes null. */
const NULLABLE_KEYS: ReadonlySet<string> = new Set(['preferred_account']);
/** Keys whose values are lists, written comma-separated (`cors_allowed_origins=https://a,https://b`; empty = none). */
const LIST_KEYS: ReadonlySet<string> = new Set(['cors_allowed_origins', 'allowed_hosts']);
/**
 * Keys whose values are records edited one entry per pair (`KEY.PATTERN=VALUE`), with how an
 * entry's value is read. A patch replaces a record as a whole, so pairs edit a copy of the
 * current one.
 */
const RECORD_KEYS = {
  model_mapping: { example: 'model_mapping.PATTERN=MODEL', read: (value: string): unknown => value },
  default_max_tokens: { example: 'default_max_tokens.PATTERN=TOKENS', read: (value: string): unknown => (/^\d+$/.test(value) ? Number(value) : value) },
} as const;
type RecordKey = keyof typeof RECORD_KEYS;
export type CurrentRecords = Partial<Record<RecordKey, Readonly<Record<string, unknown>>>>;

/**
 * Turns `config set` arguments into one config patch. A pair splits at its first `=`, so a
 * pattern keeps its dots (`model_mapping.gpt-4.1*=gpt-4o` maps `gpt-4.1*`); a pattern cannot
 * contain `=`. `model_mapping.P=` (nothing after `=`) deletes the entry for P; the same goes for
 * `default_max_tokens.P=`.
 *
 * Only the syntax is checked here; values are converted by key type and left for the config
 * schema to validate, so "port=abc" is reported by the same rules as any other bad value. The
 * caller applies the patch in one step: one bad pair rejects the whole call.
 */
export function configPatchFromPairs(pairs: readonly string[], current: CurrentRecords): Record<string, unknown> {
  const patch: Record<string, unknown> = {};
  const records = new Map<RecordKey, Record<string, unknown>>();
  const problems: string[] = [];

  for (const pair of pairs) {
    const equals = pair.indexOf('=');
    if (equals <= 0) {
      problems.push(`"${pair}" is not key=value`);
      continue;
    }
    const key = pair.slice(0, equals);
    const value = pair.slice(equals + 1);
    const dot = key.indexOf('.');
    const recordKey = (dot === -1 ? key : key.slice(0, dot)) as RecordKey;
    if (!Object.hasOwn(RECORD_KEYS, recordKey)) {
      patch[key] = convertValue(key, value);
      continue;
    }
    const pattern = dot === -1 ? '' : key.slice(dot + 1);
    if (pattern === '') {
      problems.push(`"${pair}" names no pattern: use ${RECORD_KEYS[recordKey].example}`);
      continue;
    }
    const record = records.get(recordKey) ?? { ...(current[recordKey] ?? {}) };
    records.set(recordKey, record);
    if (value === '') delete record[pattern];
    else record[pattern] = RECORD_KEYS[recordKey].read(value);
  }

  if (problems.length > 0) throw new LocalgateError('INVALID_CONFIG', `Invalid configuration: ${problems.join('; ')}`);
  for (const [key, record] of records) patch[key] = record;
  return patch;
}

function convertValue(key: string, value: string): unknown {
  if (NULLABLE_KEYS.has(key) && value === '') return null;
  if (NUMBER_KEYS.has(key) && /^-?\d+(\.\d+)?$/.test(value)) return Number(value);
  if (BOOLEAN_KEYS.has(key) && (value === 'true' || value === 'false')) return value === 'true';
  if (LIST_KEYS.has(key)) return value === '' ? [] : value.split(',').map((item) => item.trim());
  return value;
}
