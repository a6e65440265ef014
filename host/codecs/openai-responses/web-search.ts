import type { IrCitation, IrWebSearchCallPart } from '../../ir/ir-part.js';
import type { IrWebSearchTool } from '../../ir/ir-request.js';
import { decodeDomainList, decodeSearchUserLocation } from '../shared/web-search-options.js';
import type { ResponsesOutputItem } from './wire.js';

/**
 * Responses web search ↔ IR. The tool (`web_search`, `web_search_preview` and their dated
 * versions) becomes an IR web-search server tool; what the upstream searched comes back as a
 * `web_search_call` item and `url_citation` annotations on `output_text`.
 * @see https://platform.openai.com/docs/guides/tools-web-search
 */
export function isResponsesWebSearchTool(type: unknown): boolean {
  return typeof type === 'string' && /^web_search(_preview)?(_\d{4}_\d{2}_\d{2})?$/.test(type);
}

export function decodeResponsesWebSearchTool(tool: Record<string, unknown>): IrWebSearchTool {
  const decoded: IrWebSearchTool = { kind: 'web-search' };
  const allowed = decodeDomainList(isRecord(tool.filters) ? tool.filters.allowed_domains : undefined);
  if (allowed) decoded.allowedDomains = allowed;
  const location = decodeSearchUserLocation(tool.user_location);
  if (location) decoded.userLocation = location;
  return decoded;
}

/** The tool as a Response object echoes it. */
export function echoResponsesWebSearchTool(tool: IrWebSearchTool): Record<string, unknown> {
  return {
    type: 'web_search',
    filters: tool.allowedDomains ? { allowed_domains: tool.allowedDomains } : null,
    search_context_size: 'medium',
    user_location: tool.userLocation ? { type: 'approximate', city: null, country: null, region: null, timezone: null, ...tool.userLocation } : null,
  };
}

/** A finished search as a `web_search_call` item (the first query in `action.query`, all of them in `action.queries`). */
export function webSearchCallItem(part: Pick<IrWebSearchCallPart, 'queries' | 'sources'>, id: string, status: 'in_progress' | 'completed'): ResponsesOutputItem {
  if (status === 'in_progress') return { type: 'web_search_call', id, status };
  const action: Record<string, unknown> = { type: 'search', query: part.queries[0] ?? '' };
  if (part.queries.length > 1) action.queries = part.queries;
  if (part.sources.length > 0) action.sources = part.sources.map((source) => ({ type: 'url', url: source.url }));
  return { type: 'web_search_call', id, status, action };
}

export interface UrlCitation {
  type: 'url_citation';
  url: string;
  title: string;
  start_index: number;
  end_index: number;
}

/** An IR citation on a text of `textLength` code units; without a span it covers the whole text. */
export function urlCitation(citation: IrCitation, textLength: number): UrlCitation {
  return {
    type: 'url_citation',
    url: citation.url,
    title: citation.title ?? '',
    start_index: citation.startIndex ?? 0,
    end_index: citation.endIndex ?? textLength,
  };
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
