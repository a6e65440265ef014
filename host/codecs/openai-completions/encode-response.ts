import type { IrRequest } from '../../ir/ir-request.js';
import type { IrResponse } from '../../ir/ir-response.js';
import { encodeOpenAIChatUsage } from '../openai-chat/convert-usage.js';
import { encodeOpenAIChatFinishReason } from '../openai-chat/map-finish-reason.js';

/**
 * IrResponse → a `text_completion` object: the answer's text as the one choice's `text`.
 * Reasoning is not part of a completion: it is left out, with a warning.
 * @see https://platform.openai.com/docs/api-reference/completions/object
 */
export function encodeOpenAICompletionsResponse(response: IrResponse, request: IrRequest): object {
  let text = '';
  for (const part of response.content) {
    if (part.type === 'text') text += part.text;
    else if (part.type === 'reasoning') noteDroppedReasoning(request);
  }
  return {
    id: response.id,
    object: 'text_completion',
    created: response.created,
    model: response.model || request.model,
    choices: [{ text, index: 0, logprobs: null, finish_reason: encodeOpenAIChatFinishReason(response.finishReason, { hasToolCalls: false, legacyFunctions: false }) }],
    usage: encodeOpenAIChatUsage(response.usage),
  };
}

/** Once per request. */
export function noteDroppedReasoning(request: IrRequest): void {
  if (request.warnings.some((warning) => warning.feature === 'reasoning')) return;
  request.warnings.push({ type: 'dropped', feature: 'reasoning', details: "the model's reasoning is not part of a text completion" });
}
