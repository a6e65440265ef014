import type { IrFinishReason } from '../../ir/ir-response.js';
import type { ResponsesIncompleteDetails } from './wire.js';

export interface OpenAIResponsesOutcome {
  status: 'completed' | 'incomplete';
  incompleteDetails: ResponsesIncompleteDetails | null;
}

/**
 * IR finish reason → the Response's `status` and `incomplete_details`. The Responses API has no
 * finish reason: a response is `completed`, or `incomplete` with a reason (`max_output_tokens` or
 * `content_filter`); tool calls are told apart by the output items, not by the status. A raw value
 * that came from a Responses upstream is written back as it was.
 * @see https://platform.openai.com/docs/api-reference/responses/object#responses/object-incomplete_details
 */
export function mapToOpenAIResponsesOutcome(finishReason: IrFinishReason): OpenAIResponsesOutcome {
  if (finishReason.protocol === 'openai-responses' && (finishReason.raw === 'max_output_tokens' || finishReason.raw === 'content_filter')) {
    return { status: 'incomplete', incompleteDetails: { reason: finishReason.raw } };
  }
  switch (finishReason.unified) {
    case 'length':
      return { status: 'incomplete', incompleteDetails: { reason: 'max_output_tokens' } };
    case 'content-filter':
      return { status: 'incomplete', incompleteDetails: { reason: 'content_filter' } };
    case 'stop':
    case 'tool-calls':
      return { status: 'completed', incompleteDetails: null };
    default:
      // 'error' and 'other' have no Responses status short of `failed`, which needs an error
      // object; the output is whole, so the response is reported as completed.
      return { status: 'completed', incompleteDetails: null };
  }
}
