import type { IrCitation, IrWebSearchCallPart, IrWebSource } from '../../ir/ir-part.js';
import type { IrWebSearchTool } from '../../ir/ir-request.js';
import { decodeDomainList, decodeSearchUserLocation } from '../shared/web-search-options.js';

type Json = Record<string, unknown>;

/**
 * Anthropic's web search server tool ↔ IR.
 * Request: `{type: 'web_search_20250305', name: 'web_search', max_uses, allowed_domains,
 * blocked_domains, user_location}`. Answer: a `server_tool_use` block (`input.query`), then a
 * `web_search_tool_result` block (`content`: `web_search_result` items with url and title, or an
 * error object), and `text` blocks whose `citations` are `web_search_result_location`s (url,
 * title, cited_text; no span: a citation backs its whole text block).
 * @see https://docs.anthropic.com/en/docs/agents-and-tools/tool-use/web-search-tool
 */
export const ANTHROPIC_WEB_SEARCH_TOOL_TYPE = 'web_search_20250305';

export function isAnthropicWebSearchTool(type: unknown): boolean {
  return typeof type === 'string' && /^web_search_\d{8}$/.test(type);
}

export function decodeAnthropicWebSearchTool(tool: Json): IrWebSearchTool {
  const decoded: IrWebSearchTool = { kind: 'web-search' };
  if (typeof tool.max_uses === 'number') decoded.maxUses = tool.max_uses;
  const allowed = decodeDomainList(tool.allowed_domains);
  if (allowed) decoded.allowedDomains = allowed;
  const blocked = decodeDomainList(tool.blocked_domains);
  if (blocked) decoded.blockedDomains = blocked;
  const location = decodeSearchUserLocation(tool.user_location);
  if (location) decoded.userLocation = location;
  return decoded;
}

export function encodeAnthropicWebSearchTool(tool: IrWebSearchTool): Json {
  const wire: Json = { type: ANTHROPIC_WEB_SEARCH_TOOL_TYPE, name: 'web_search' };
  if (tool.maxUses !== undefined) wire.max_uses = tool.maxUses;
  if (tool.allowedDomains) wire.allowed_domains = tool.allowedDomains;
  if (tool.blockedDomains) wire.blocked_domains = tool.blockedDomains;
  if (tool.userLocation) wire.user_location = { type: 'approximate', ...tool.userLocation };
  return wire;
}

/** A `server_tool_use` block's query, when the block is a web search. */
export function webSearchQuery(block: Json): string | undefined {
  if (block.name !== 'web_search') return undefined;
  const input = isObject(block.input) ? block.input : {};
  return typeof input.query === 'string' ? input.query : '';
}

/** A `web_search_tool_result` block's pages (none when the search failed). */
export function webSearchSources(block: Json): IrWebSource[] {
  if (!Array.isArray(block.content)) return [];
  const sources: IrWebSource[] = [];
  for (const result of block.content) {
    if (!isObject(result) || typeof result.url !== 'string') continue;
    sources.push(typeof result.title === 'string' ? { url: result.url, title: result.title } : { url: result.url });
  }
  return sources;
}

export function decodeAnthropicCitation(citation: unknown): IrCitation | undefined {
  if (!isObject(citation) || citation.type !== 'web_search_result_location' || typeof citation.url !== 'string') return undefined;
  const decoded: IrCitation = { url: citation.url };
  if (typeof citation.title === 'string') decoded.title = citation.title;
  if (typeof citation.cited_text === 'string') decoded.citedText = citation.cited_text;
  return decoded;
}

/**
 * An IR citation as Anthropic writes it. `encrypted_index` (Anthropic's key to re-cite the page
 * in a later turn) cannot be made up for another family's source: it is empty.
 */
export function encodeAnthropicCitation(citation: IrCitation): Json {
  return { type: 'web_search_result_location', url: citation.url, title: citation.title ?? null, cited_text: citation.citedText ?? '', encrypted_index: '' };
}

/**
 * A search another family ran, as the block pairs an Anthropic answer holds: one
 * `server_tool_use` + `web_search_tool_result` per query (Gemini reports several queries per
 * turn), the pages with the first. `encrypted_content` is empty for the same reason as above.
 */
export function webSearchBlockPairs(call: Pick<IrWebSearchCallPart, 'id' | 'queries' | 'sources'>): Array<{ id: string; query: string; result: { type: string } & Json }> {
  const queries = call.queries.length > 0 ? call.queries : [''];
  return queries.map((query, index) => {
    const id = anthropicServerToolId(index === 0 ? call.id : `${call.id}_${index}`);
    const content = index === 0 ? call.sources.map((source) => ({ type: 'web_search_result', url: source.url, title: source.title ?? '', encrypted_content: '', page_age: null })) : [];
    return { id, query, result: { type: 'web_search_tool_result', tool_use_id: id, content } };
  });
}

/** Anthropic server tool ids start with `srvtoolu_`. */
function anthropicServerToolId(id: string): string {
  return id.startsWith('srvtoolu_') ? id : `srvtoolu_${id}`;
}

function isObject(value: unknown): value is Json {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
