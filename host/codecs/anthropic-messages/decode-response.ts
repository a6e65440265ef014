import type { IrAssistantPart, IrCitation, IrTextPart } from '../../ir/ir-part.js';
import type { IrResponse } from '../../ir/ir-response.js';
import type { IrWarning } from '../../ir/ir-warning.js';
import { convertAnthropicUsage } from './convert-usage.js';
import { mapAnthropicStopReason } from './map-finish-reason.js';
import { addWarning } from './warnings.js';
import { decodeAnthropicCitation, webSearchQuery, webSearchSources } from './web-search.js';

type Json = Record<string, unknown>;

/**
 * A non-streaming Anthropic answer (`type: 'message'`) → IR response. `tool_use.input` becomes
 * `argumentsText = JSON.stringify(input)`; a thinking signature becomes an `anthropic` IrOpaque;
 * `redacted_thinking` keeps its data as the signature. A web search (`server_tool_use` +
 * `web_search_tool_result`) becomes a web-search-call part, web search citations stay on their
 * text; other server-tool blocks and citations have no IR form and are dropped with a warning.
 * @see https://docs.anthropic.com/en/api/messages#response
 */
export function decodeAnthropicResponse(body: unknown): IrResponse {
  const message = isObject(body) ? body : {};
  const warnings: IrWarning[] = [];
  const content: IrAssistantPart[] = [];
  /** Web search queries by server_tool_use id, waiting for their result block. */
  const searches = new Map<string, string>();
  for (const block of Array.isArray(message.content) ? message.content : []) {
    if (!isObject(block)) continue;
    switch (block.type) {
      case 'text': {
        const part: IrTextPart = { type: 'text', text: String(block.text ?? '') };
        const citations = decodeCitations(block.citations, warnings);
        if (citations.length > 0) part.citations = citations;
        content.push(part);
        break;
      }
      case 'server_tool_use': {
        const query = webSearchQuery(block);
        if (query !== undefined && typeof block.id === 'string') searches.set(block.id, query);
        else addWarning(warnings, { type: 'dropped', feature: 'content block server_tool_use', details: `Anthropic server tool ${String(block.name)} has no IR form` });
        break;
      }
      case 'web_search_tool_result': {
        const id = String(block.tool_use_id ?? '');
        const query = searches.get(id);
        searches.delete(id);
        content.push({ type: 'web-search-call', id, queries: query === undefined ? [] : [query], sources: webSearchSources(block) });
        break;
      }
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
  // A search still waiting for its results: the turn paused (`pause_turn`) before they came.
  if (searches.size > 0) addWarning(warnings, { type: 'dropped', feature: 'content block server_tool_use', details: 'a web search whose results had not come yet' });
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

function decodeCitations(citations: unknown, warnings: IrWarning[]): IrCitation[] {
  if (!Array.isArray(citations)) return [];
  const decoded: IrCitation[] = [];
  for (const citation of citations) {
    const ir = decodeAnthropicCitation(citation);
    if (ir) decoded.push(ir);
    else addWarning(warnings, { type: 'dropped', feature: 'citations', details: 'only web search citations have an IR form' });
  }
  return decoded;
}

function isObject(value: unknown): value is Json {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
