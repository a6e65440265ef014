import type { IrFinishReason, IrUnifiedFinishReason } from '../../ir/ir-response.js';

/**
 * OpenAI `finish_reason` → IR. `function_call` is the legacy form of `tool_calls`.
 * @see https://platform.openai.com/docs/api-reference/chat/object#chat/object-choices
 */
export function mapOpenAIChatFinishReason(finishReason: string | null | undefined): IrFinishReason {
  return { unified: unifyOpenAIChatFinishReason(finishReason), raw: finishReason ?? undefined, protocol: 'openai-chat' };
}

function unifyOpenAIChatFinishReason(finishReason: string | null | undefined): IrUnifiedFinishReason {
  switch (finishReason) {
    case 'stop':
      return 'stop';
    case 'length':
      return 'length';
    case 'content_filter':
      return 'content-filter';
    case 'tool_calls':
    case 'function_call':
      return 'tool-calls';
    default:
      return 'other';
  }
}

/**
 * IR → OpenAI `finish_reason`. A raw value from this protocol goes back as it was; others are
 * mapped from the unified reason. `hasToolCalls` turns a plain stop into `tool_calls`, because
 * OpenAI clients loop on that value and Gemini, for one, reports STOP for calls. `error` and
 * `other` have no OpenAI value: `stop` is the closest an SDK accepts.
 */
export function encodeOpenAIChatFinishReason(finishReason: IrFinishReason, options: { hasToolCalls: boolean; legacyFunctions?: boolean }): string {
  if (finishReason.protocol === 'openai-chat' && finishReason.raw) return finishReason.raw;
  const toolCalls = options.legacyFunctions ? 'function_call' : 'tool_calls';
  switch (finishReason.unified) {
    case 'length':
      return 'length';
    case 'content-filter':
      return 'content_filter';
    case 'tool-calls':
      return toolCalls;
    case 'stop':
    case 'error':
    case 'other':
    default:
      return options.hasToolCalls ? toolCalls : 'stop';
  }
}
