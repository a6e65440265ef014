import type { IrUsage } from '../../ir/ir-response.js';
import type { ResponsesUsage } from './wire.js';

/**
 * IR usage → the Responses `usage` object. `input_tokens` is the whole prompt (cached tokens
 * included, as OpenAI counts it) and `output_tokens` includes reasoning tokens. The wire requires
 * numbers, so what the upstream did not report is written as 0; `cache_write_tokens` is only
 * written when reported (Anthropic-style cache writes).
 * @see https://platform.openai.com/docs/api-reference/responses/object#responses/object-usage
 */
export function convertToOpenAIResponsesUsage(usage: IrUsage): ResponsesUsage {
  const input = usage.inputTokens ?? 0;
  const output = usage.outputTokens ?? 0;
  const inputDetails: ResponsesUsage['input_tokens_details'] = { cached_tokens: usage.cacheReadTokens ?? 0 };
  if (usage.cacheWriteTokens !== undefined) inputDetails.cache_write_tokens = usage.cacheWriteTokens;
  return {
    input_tokens: input,
    input_tokens_details: inputDetails,
    output_tokens: output,
    output_tokens_details: { reasoning_tokens: usage.reasoningTokens ?? 0 },
    total_tokens: input + output,
  };
}

/** Later reports win field by field (Anthropic sends input first and output last). */
export function mergeUsage(into: IrUsage, from: IrUsage): IrUsage {
  const merged: IrUsage = { ...into };
  if (from.inputTokens !== undefined) merged.inputTokens = from.inputTokens;
  if (from.cacheReadTokens !== undefined) merged.cacheReadTokens = from.cacheReadTokens;
  if (from.cacheWriteTokens !== undefined) merged.cacheWriteTokens = from.cacheWriteTokens;
  if (from.outputTokens !== undefined) merged.outputTokens = from.outputTokens;
  if (from.reasoningTokens !== undefined) merged.reasoningTokens = from.reasoningTokens;
  return merged;
}
