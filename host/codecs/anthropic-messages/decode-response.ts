import type { IrAssistantPart } from '../../ir/ir-part.js';
import type { IrResponse } from '../../ir/ir-response.js';
import type { IrWarning } from '../../ir/ir-warning.js';
import { convertAnthropicUsage } from './convert-usage.js';
import { mapAnthropicStopReason } from './map-finish-reason.js';
import { addWarning } from './warnings.js';

type Json = Record<string, unknown>;

/**
 * A non-streaming Anthropic answer (`type: 'message'`) → IR response. `tool_use.input` becomes
 * `argumentsText = JSON.stringify(input)`; a thinking signature becomes an `anthropic` IrOpaque;
 * `redacted_thinking` keeps its data as the signature. Server-tool blocks and citations have no
 * IR form and are dropped with a warning.
 * @see https://docs.anthropic.com/en/api/messages#response
 */
export function decodeAnthropicResponse(body: unknown): IrResponse {
  const message = isObject(body) ? body : {};
  const warnings: IrWarning[] = [];
  const content: IrAssistantPart[] = [];
  for (const block of Array.isArray(message.content) ? message.content : []) {
    if (!isObject(block)) continue;
    switch (block.type) {
      case 'text':
        if (Array.isArray(block.citations) && block.citations.length > 0) addWarning(warnings, { type: 'dropped', feature: 'citations' });
        content.push({ type: 'text', text: String(block.text ?? '') });
        break;
      case 'thinking': {
        const signature = typeof block.signature === 'string' && block.signature !== '' ? block.signature : undefined;
        content.push(signature === undefined
          ? { type: 'reasoning', text: String(block.thinking ?? '') }
          : { type: 'reasoning', text: String(block.thinking ?? ''), signature: { family: 'anthropic', value: signature } });
        break;
      }
      case 'redacted_thinking':
        content.push({ type: 'reasoning', text: '', redacted: true, signature: { family: 'anthropic', value: String(block.data ?? '') } });
        break;
      case 'tool_use':
        content.push({ type: 'tool-call', toolCallId: String(block.id ?? ''), toolName: String(block.name ?? ''), argumentsText: JSON.stringify(block.input ?? {}) });
        break;
      default:
        addWarning(warnings, { type: 'dropped', feature: `content block ${String(block.type)}`, details: 'Anthropic server-side block with no IR form' });
    }
  }
  return {
    id: typeof message.id === 'string' ? message.id : '',
    model: typeof message.model === 'string' ? message.model : '',
    created: Math.floor(Date.now() / 1000),
    content,
    finishReason: mapAnthropicStopReason(typeof message.stop_reason === 'string' ? message.stop_reason : null),
    usage: convertAnthropicUsage(isObject(message.usage) ? message.usage : undefined),
    warnings,
  };
}

function isObject(value: unknown): value is Json {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
