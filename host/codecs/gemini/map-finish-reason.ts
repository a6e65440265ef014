import type { IrFinishReason, IrUnifiedFinishReason } from '../../ir/ir-response.js';

/**
 * Gemini `finishReason` → IR finish reason. Gemini has no "tool calls" reason: a turn that ends
 * with function calls says `STOP`, so `hasToolCalls` turns that into `tool-calls`. The raw value
 * rides along so a Gemini client gets `RECITATION` or `MALFORMED_FUNCTION_CALL` back verbatim.
 * @see https://ai.google.dev/api/generate-content#FinishReason
 */
export function mapGeminiFinishReason(finishReason: string | null | undefined, hasToolCalls: boolean): IrFinishReason {
  if (finishReason === null || finishReason === undefined) {
    return { unified: hasToolCalls ? 'tool-calls' : 'other', protocol: 'gemini' };
  }
  return { unified: unifiedFinishReason(finishReason, hasToolCalls), raw: finishReason, protocol: 'gemini' };
}

function unifiedFinishReason(finishReason: string, hasToolCalls: boolean): IrUnifiedFinishReason {
  switch (finishReason) {
    case 'STOP':
      return hasToolCalls ? 'tool-calls' : 'stop';
    case 'MAX_TOKENS':
      return 'length';
    case 'SAFETY':
    case 'RECITATION':
    case 'BLOCKLIST':
    case 'PROHIBITED_CONTENT':
    case 'SPII':
    case 'IMAGE_SAFETY':
    case 'IMAGE_PROHIBITED_CONTENT':
    case 'IMAGE_RECITATION':
    // Prompt-level block reasons (promptFeedback.blockReason) arrive through here too.
    case 'MODEL_ARMOR':
      return 'content-filter';
    case 'MALFORMED_FUNCTION_CALL':
    case 'UNEXPECTED_TOOL_CALL':
    case 'TOO_MANY_TOOL_CALLS':
      return 'error';
    case 'LANGUAGE':
    case 'NO_IMAGE':
    case 'OTHER':
    case 'FINISH_REASON_UNSPECIFIED':
    default:
      return 'other';
  }
}

/**
 * IR finish reason → Gemini `finishReason`. A raw Gemini value goes back as is; other protocols'
 * reasons map through the unified value, and `tool-calls` becomes `STOP` (what Gemini itself
 * reports when a turn ends with function calls).
 */
export function toGeminiFinishReason(finishReason: IrFinishReason): string {
  if (finishReason.protocol === 'gemini' && finishReason.raw) return finishReason.raw;
  switch (finishReason.unified) {
    case 'stop':
    case 'tool-calls':
      return 'STOP';
    case 'length':
      return 'MAX_TOKENS';
    case 'content-filter':
      return 'SAFETY';
    case 'error':
    case 'other':
      return 'OTHER';
  }
}
