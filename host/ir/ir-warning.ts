/** Something a translation dropped or changed; kept in the monitor entry, never silent. */
export interface IrWarning {
  type: 'dropped' | 'coerced' | 'unsupported';
  /** The feature, e.g. `cache_control`, `logprobs`, `n`. */
  feature: string;
  details?: string;
}

/** Codes stay short enough for a header list and a stats table. */
const MAX_CODE_LENGTH = 48;

/**
 * A warning's short, stable code: what happened and to which feature, in kebab case
 * (`dropped-top-k`, `coerced-thinking-budget-tokens`, `dropped-tool-schema-additionalproperties`).
 * Derived from `type` and `feature` (a field, or a part or tool type; the specifics of one request
 * go in `details`), so the same loss always gets the same code. Only `[a-z0-9-]`: safe in a
 * header and as a stats key.
 */
export function warningCode(warning: IrWarning): string {
  const slug = `${warning.type}-${warning.feature}`
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^-+|-+$/g, '');
  return slug.slice(0, MAX_CODE_LENGTH).replace(/-+$/, '');
}
