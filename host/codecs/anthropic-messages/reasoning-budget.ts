import type { IrReasoningConfig } from '../../ir/ir-request.js';

type Effort = NonNullable<IrReasoningConfig['effort']>;

/**
 * OpenAI-style effort ↔ Anthropic `thinking.budget_tokens`. Anthropic takes a token budget
 * (≥ 1024 and below `max_tokens`); OpenAI and Gemini clients send an effort. The table:
 *
 * | effort  | budget_tokens sent | budgets read back as this effort |
 * |---------|--------------------|----------------------------------|
 * | none    | thinking disabled  | `{type: 'disabled'}`             |
 * | minimal | 1024               | ≤ 1024                           |
 * | low     | 2048               | 1025 – 2048                      |
 * | medium  | 8192               | 2049 – 8192                      |
 * | high    | 16384              | 8193 – 16384                     |
 * | xhigh   | 24576              | > 16384                          |
 *
 * A decoded budget keeps its exact value in `budgetTokens` beside the derived effort, so an
 * encoder that can send a budget never goes through the table. Every use of the table in the
 * encoder is reported as a `coerced` warning.
 * @see https://docs.anthropic.com/en/docs/build-with-claude/extended-thinking
 */
export const EFFORT_BUDGET_TOKENS: Readonly<Record<Exclude<Effort, 'none'>, number>> = {
  minimal: 1024,
  low: 2048,
  medium: 8192,
  high: 16384,
  xhigh: 24576,
};

/** Anthropic's smallest accepted `budget_tokens`. */
export const MIN_BUDGET_TOKENS = 1024;

export function effortForBudget(budgetTokens: number): Exclude<Effort, 'none'> {
  if (budgetTokens <= EFFORT_BUDGET_TOKENS.minimal) return 'minimal';
  if (budgetTokens <= EFFORT_BUDGET_TOKENS.low) return 'low';
  if (budgetTokens <= EFFORT_BUDGET_TOKENS.medium) return 'medium';
  if (budgetTokens <= EFFORT_BUDGET_TOKENS.high) return 'high';
  return 'xhigh';
}

export function budgetForEffort(effort: Exclude<Effort, 'none'>): number {
  return EFFORT_BUDGET_TOKENS[effort];
}
