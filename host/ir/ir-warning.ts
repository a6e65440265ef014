/** Something a translation dropped or changed; kept in the monitor entry, never silent. */
export interface IrWarning {
  type: 'dropped' | 'coerced' | 'unsupported';
  /** The feature, e.g. `cache_control`, `logprobs`, `n`. */
  feature: string;
  details?: string;
}
