import type { IrUsage } from '../../ir/ir-response.js';
import type { GeminiUsageMetadata } from './wire.js';

/**
 * Gemini `usageMetadata` → IR usage. `promptTokenCount` already includes cached content (as the
 * IR's `inputTokens`); `candidatesTokenCount` excludes thoughts, while the IR's `outputTokens`
 * includes reasoning (as OpenAI's `completion_tokens`), so thoughts are added in. Absent counts
 * stay `undefined`. Gemini repeats cumulative usage on every stream chunk: the last one wins.
 * @see https://ai.google.dev/api/generate-content#UsageMetadata
 */
export function convertGeminiUsage(usage: GeminiUsageMetadata | null | undefined): IrUsage {
  if (!usage) return {};
  const result: IrUsage = {};
  const prompt = count(usage.promptTokenCount ?? usage['prompt_token_count']);
  const candidates = count(usage.candidatesTokenCount ?? usage['candidates_token_count']);
  const thoughts = count(usage.thoughtsTokenCount ?? usage['thoughts_token_count']);
  const cached = count(usage.cachedContentTokenCount ?? usage['cached_content_token_count']);
  if (prompt !== undefined) result.inputTokens = prompt;
  if (cached !== undefined) result.cacheReadTokens = cached;
  if (candidates !== undefined || thoughts !== undefined) result.outputTokens = (candidates ?? 0) + (thoughts ?? 0);
  if (thoughts !== undefined) result.reasoningTokens = thoughts;
  return result;
}

/**
 * IR usage → Gemini `usageMetadata`. Thoughts are split back out of the output; a count that was
 * not reported is left out rather than written as 0, except `totalTokenCount`, which the SDKs read.
 */
export function toGeminiUsage(usage: IrUsage): GeminiUsageMetadata {
  const result: GeminiUsageMetadata = {};
  const reasoning = usage.reasoningTokens;
  if (usage.inputTokens !== undefined) result.promptTokenCount = usage.inputTokens;
  if (usage.outputTokens !== undefined) result.candidatesTokenCount = Math.max(0, usage.outputTokens - (reasoning ?? 0));
  result.totalTokenCount = (usage.inputTokens ?? 0) + (usage.outputTokens ?? 0);
  if (usage.cacheReadTokens !== undefined) result.cachedContentTokenCount = usage.cacheReadTokens;
  if (reasoning !== undefined) result.thoughtsTokenCount = reasoning;
  return result;
}

function count(value: unknown): number | undefined {
  return typeof value === 'number' && Number.isFinite(value) ? value : undefined;
}
