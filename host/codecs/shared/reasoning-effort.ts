import type { IrReasoningConfig } from '../../ir/ir-request.js';

export type Effort = Exclude<NonNullable<IrReasoningConfig['effort']>, 'none'>;

/**
 * The one table between an OpenAI-style reasoning effort and a thinking token budget, used by
 * every codec that has to cross it (README, "Effort ↔ budget"):
 *
 * | effort  | budget sent | budgets read back as this effort |
 * |---------|-------------|----------------------------------|
 * | none    | thinking off | 0 / `{type: 'disabled'}`        |
 * | minimal | 1024        | ≤ 1024                           |
 * | low     | 2048        | 1025 – 2048                      |
 * | medium  | 8192        | 2049 – 8192                      |
 * | high    | 16384       | 8193 – 16384                     |
 * | xhigh   | 24576       | > 16384                          |
 *
 * - Anthropic `thinking.budget_tokens` takes the budget (≥ 1024, below `max_tokens`);
 * - Gemini 2.5 `thinkingBudget` takes the same budget, clamped to the model's range; Gemini 3 takes
 *   a `thinkingLevel` instead (gemini/encode-request.ts);
 * - an OpenAI upstream gets the effort of a client's budget, between low and high (the efforts
 *   every OpenAI reasoning model accepts).
 * A decoded budget keeps its exact value beside the derived effort, so an encoder that can send a
 * budget never goes through the table; each use of the table in an encoder is a `coerced` warning.
 * @see https://docs.anthropic.com/en/docs/build-with-claude/extended-thinking
 * @see https://ai.google.dev/gemini-api/docs/thinking
 */
export const EFFORT_BUDGET_TOKENS: Readonly<Record<Effort, number>> = {
  minimal: 1024,
  low: 2048,
  medium: 8192,
  high: 16384,
  xhigh: 24576,
};

/** Anthropic's smallest accepted `budget_tokens`. */
export const MIN_BUDGET_TOKENS = 1024;

export function effortForBudget(budgetTokens: number): Effort {
  if (budgetTokens <= EFFORT_BUDGET_TOKENS.minimal) return 'minimal';
  if (budgetTokens <= EFFORT_BUDGET_TOKENS.low) return 'low';
  if (budgetTokens <= EFFORT_BUDGET_TOKENS.medium) return 'medium';
  if (budgetTokens <= EFFORT_BUDGET_TOKENS.high) return 'high';
  return 'xhigh';
}

export function budgetForEffort(effort: Effort): number {
  return EFFORT_BUDGET_TOKENS[effort];
}
