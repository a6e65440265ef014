import type { IrUsage } from '../../ir/ir-response.js';
import type { OpenAIChatUsage } from './wire.js';

/**
 * OpenAI usage → IR. `prompt_tokens` already includes `cached_tokens` (the IR's input total
 * does too); OpenAI reports no cache writes. Missing fields stay undefined ("not reported").
 * @see https://platform.openai.com/docs/api-reference/chat/object#chat/object-usage
 */
export function convertOpenAIChatUsage(usage: OpenAIChatUsage | null | undefined): IrUsage {
  if (!usage || typeof usage !== 'object') return {};
  const result: IrUsage = {};
  if (typeof usage.prompt_tokens === 'number') result.inputTokens = usage.prompt_tokens;
  const cached = usage.prompt_tokens_details?.cached_tokens;
  if (typeof cached === 'number') result.cacheReadTokens = cached;
  if (typeof usage.completion_tokens === 'number') result.outputTokens = usage.completion_tokens;
  const reasoning = usage.completion_tokens_details?.reasoning_tokens;
  if (typeof reasoning === 'number') result.reasoningTokens = reasoning;
  return result;
}

/**
 * IR → OpenAI usage. OpenAI's fields are required numbers, so "not reported" becomes 0 here.
 * Cache writes (Anthropic) have no OpenAI field; they are part of the input total already.
 * Anthropic-style decoders must report `inputTokens` as the total including cache reads/writes.
 */
export function encodeOpenAIChatUsage(usage: IrUsage): OpenAIChatUsage {
  const promptTokens = usage.inputTokens ?? 0;
  const completionTokens = usage.outputTokens ?? 0;
  return {
    prompt_tokens: promptTokens,
    completion_tokens: completionTokens,
    total_tokens: promptTokens + completionTokens,
    prompt_tokens_details: { cached_tokens: usage.cacheReadTokens ?? 0 },
    completion_tokens_details: { reasoning_tokens: usage.reasoningTokens ?? 0 },
  };
}
