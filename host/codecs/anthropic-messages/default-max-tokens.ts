/**
 * `max_tokens` is required by Anthropic; OpenAI and Gemini clients often omit it. When the IR has
 * no `maxOutputTokens`, the encoder sends a per-model default from this table (first match wins;
 * a substring test, so `us.anthropic.claude-sonnet-4-…` and dated ids match too). Config can
 * pass overrides, which are checked first.
 * @see https://docs.anthropic.com/en/docs/about-claude/models/overview (max output per model)
 */
export const DEFAULT_MAX_TOKENS_TABLE: ReadonlyArray<readonly [pattern: RegExp, maxTokens: number]> = [
  // Claude 3 (Haiku, Sonnet, Opus) accept at most 4096 output tokens.
  [/claude-3-(?:haiku|sonnet|opus)/, 4096],
  // Claude 3.5, 3.7 and the 4+ generations accept 8192 or more.
  [/claude-3-[57]-/, 8192],
  [/claude-(?:opus|sonnet|haiku)-\d/, 8192],
  // Later families with new names (claude-<name>-5…).
  [/claude-[a-z]+-(?:[4-9]|\d{2,})/, 8192],
  [/sonnet|opus/, 8192],
];

export const FALLBACK_MAX_TOKENS = 4096;

export function defaultMaxTokens(model: string, overrides: ReadonlyArray<readonly [RegExp, number]> = []): number {
  for (const [pattern, maxTokens] of overrides) if (pattern.test(model)) return maxTokens;
  for (const [pattern, maxTokens] of DEFAULT_MAX_TOKENS_TABLE) if (pattern.test(model)) return maxTokens;
  return FALLBACK_MAX_TOKENS;
}
