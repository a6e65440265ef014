import type { IrResponse } from '../../ir/ir-response.js';
import type { IrRequest } from '../../ir/ir-request.js';
import { toAnthropicUsage } from './convert-usage.js';
import { parseToolInput } from './encode-request.js';
import { toAnthropicStopReason } from './map-finish-reason.js';
import { wrapOpaque } from '../shared/opaque-signature.js';
import type { AnthropicResponseBody } from './wire.js';
import { encodeAnthropicCitation, webSearchBlockPairs } from './web-search.js';

/**
 * IR response → an Anthropic `message` object for an Anthropic client. The model is the one
 * the client asked for. Tool-call arguments are parsed back into `input` (not a JSON object →
 * `{"_raw": text}` with a warning on the response). Reasoning signatures from other families are
 * wrapped (shared/opaque-signature.ts) so they come back to the right family; unsigned reasoning
 * gets `""`. A tool call's own signature (Gemini signs `functionCall` parts) goes in an empty
 * thinking block right after the tool_use: the SDK and Claude Code hand content blocks back
 * unchanged and in order, and the decoder puts it back on that call.
 * @see https://docs.anthropic.com/en/api/messages#response
 */
export function encodeAnthropicResponse(response: IrResponse, request: IrRequest): AnthropicResponseBody {
  const content: AnthropicResponseBody['content'] = [];
  let hasToolCalls = false;
  for (const part of response.content) {
    switch (part.type) {
      case 'text':
        content.push(part.citations ? { type: 'text', text: part.text, citations: part.citations.map(encodeAnthropicCitation) } : { type: 'text', text: part.text });
        break;
      case 'web-search-call':
        for (const pair of webSearchBlockPairs(part)) {
          content.push({ type: 'server_tool_use', id: pair.id, name: 'web_search', input: { query: pair.query } }, pair.result);
        }
        break;
      case 'reasoning':
        if (part.redacted && part.signature) content.push({ type: 'redacted_thinking', data: wrapOpaque(part.signature, 'reasoning', 'anthropic') });
        else content.push({ type: 'thinking', thinking: part.text, signature: part.signature ? wrapOpaque(part.signature, 'reasoning', 'anthropic') : '' });
        break;
      case 'tool-call':
        hasToolCalls = true;
        content.push({ type: 'tool_use', id: part.toolCallId, name: part.toolName, input: parseToolInput(part.argumentsText, response.warnings) });
        // A Gemini function-call signature rides in an empty thinking block right after its call.
        if (part.signature) content.push({ type: 'thinking', thinking: '', signature: wrapOpaque(part.signature, 'call', 'anthropic') });
        break;
    }
  }
  return {
    id: messageId(response.id),
    type: 'message',
    role: 'assistant',
    model: request.model || response.model,
    content,
    stop_reason: toAnthropicStopReason(response.finishReason, hasToolCalls),
    stop_sequence: null,
    usage: toAnthropicUsage(response.usage),
  };
}

/** Anthropic message ids start with `msg_`; other families' ids are prefixed so clients see the usual shape. */
export function messageId(id: string): string {
  if (id.startsWith('msg_')) return id;
  return `msg_${id || Math.random().toString(36).slice(2)}`;
}
