import type { IrFinishReason } from '../../ir/ir-response.js';

/**
 * Anthropic `stop_reason` → IR finish reason. The raw value rides along so that `pause_turn`,
 * `refusal` or `stop_sequence` go back verbatim to an Anthropic client.
 * @see https://docs.anthropic.com/en/api/handling-stop-reasons
 */
export function mapAnthropicStopReason(stopReason: string | null | undefined): IrFinishReason {
  if (stopReason === null || stopReason === undefined) return { unified: 'other', protocol: 'anthropic' };
  return { unified: unifiedStopReason(stopReason), raw: stopReason, protocol: 'anthropic' };
}

function unifiedStopReason(stopReason: string): IrFinishReason['unified'] {
  switch (stopReason) {
    case 'end_turn':
    case 'stop_sequence':
      return 'stop';
    case 'max_tokens':
    case 'model_context_window_exceeded':
      return 'length';
    case 'tool_use':
      return 'tool-calls';
    case 'refusal':
      return 'content-filter';
    case 'pause_turn':
      // A server tool loop paused; the client must send the turn back to continue.
      return 'other';
    default:
      return 'other';
  }
}

/**
 * IR finish reason → Anthropic `stop_reason`. A raw value from Anthropic goes back as is; other
 * protocols' reasons map through the unified value. A tool call in the answer always wins over a
 * plain stop (Gemini reports `STOP` for function calls), because Anthropic clients only run tools
 * on `tool_use`.
 */
export function toAnthropicStopReason(finishReason: IrFinishReason, hasToolCalls: boolean): string {
  if (finishReason.protocol === 'anthropic' && finishReason.raw) return finishReason.raw;
  switch (finishReason.unified) {
    case 'length':
      return 'max_tokens';
    case 'tool-calls':
      return 'tool_use';
    case 'content-filter':
      return 'refusal';
    case 'stop':
    case 'error':
    case 'other':
      return hasToolCalls ? 'tool_use' : 'end_turn';
  }
}
