import type { IrUsage } from '../../ir/ir-response.js';
import type { AnthropicUsage } from './wire.js';

/**
 * Anthropic usage → IR usage. Anthropic's `input_tokens` counts only the uncached input, after
 * the last cache breakpoint; the IR's `inputTokens` is the whole prompt (as OpenAI's
 * `prompt_tokens`), so cache reads and writes are added back. Absent counts stay `undefined`.
 * @see https://docs.anthropic.com/en/docs/build-with-claude/prompt-caching#tracking-cache-performance
 */
export function convertAnthropicUsage(usage: AnthropicUsage | null | undefined): IrUsage {
  if (!usage) return {};
  const result: IrUsage = {};
  const input = count(usage.input_tokens);
  const cacheWrite = count(usage.cache_creation_input_tokens);
  const cacheRead = count(usage.cache_read_input_tokens);
  if (input !== undefined || cacheWrite !== undefined || cacheRead !== undefined) {
    result.inputTokens = (input ?? 0) + (cacheWrite ?? 0) + (cacheRead ?? 0);
  }
  if (cacheRead !== undefined) result.cacheReadTokens = cacheRead;
  if (cacheWrite !== undefined) result.cacheWriteTokens = cacheWrite;
  const output = count(usage.output_tokens);
  if (output !== undefined) result.outputTokens = output;
  const thinking = count(usage.output_tokens_details?.thinking_tokens);
  if (thinking !== undefined) result.reasoningTokens = thinking;
  return result;
}

/**
 * IR usage → Anthropic usage: `input_tokens` is the uncached remainder. `input_tokens` and
 * `output_tokens` are required by the SDK types, so they are written as 0 when not reported.
 */
export function toAnthropicUsage(usage: IrUsage): AnthropicUsage & { input_tokens: number; output_tokens: number } {
  const cacheRead = usage.cacheReadTokens;
  const cacheWrite = usage.cacheWriteTokens;
  const result: AnthropicUsage & { input_tokens: number; output_tokens: number } = {
    input_tokens: Math.max(0, (usage.inputTokens ?? 0) - (cacheRead ?? 0) - (cacheWrite ?? 0)),
    output_tokens: usage.outputTokens ?? 0,
  };
  if (cacheWrite !== undefined) result.cache_creation_input_tokens = cacheWrite;
  if (cacheRead !== undefined) result.cache_read_input_tokens = cacheRead;
  if (usage.reasoningTokens !== undefined) result.output_tokens_details = { thinking_tokens: usage.reasoningTokens };
  return result;
}

/** Merge a partial report into what is known (Anthropic sends input first and output last). */
export function mergeUsage(into: IrUsage, next: IrUsage): IrUsage {
  return { ...into, ...stripUndefined(next) };
}

function stripUndefined(usage: IrUsage): IrUsage {
  const result: IrUsage = {};
  for (const [key, value] of Object.entries(usage) as Array<[keyof IrUsage, number | undefined]>) {
    if (value !== undefined) result[key] = value;
  }
  return result;
}

function count(value: unknown): number | undefined {
  return typeof value === 'number' && Number.isFinite(value) ? value : undefined;
}
