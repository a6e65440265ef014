import type { IrCitation, IrTextPart, IrWebSearchCallPart, IrWebSource } from '../../ir/ir-part.js';
import type { IrWebSearchTool } from '../../ir/ir-request.js';
import type { IrWarning } from '../../ir/ir-warning.js';
import { isRecord, readField } from './wire.js';

/**
 * Grounding with Google Search ↔ IR.
 * Request: the `{googleSearch: {}}` tool. Answer: the candidate's `groundingMetadata` —
 * `webSearchQueries`, `groundingChunks[].web {uri, title}` (the pages) and `groundingSupports[]`
 * (`segment {startIndex, endIndex, text}` in UTF-8 bytes of the answer text, with
 * `groundingChunkIndices` naming the pages that back it).
 * Offsets are taken over the candidate's whole answer text (its non-thought text parts joined),
 * which is what a stream's supports index; the IR counts UTF-16 code units.
 * @see https://ai.google.dev/gemini-api/docs/google-search
 */
export const GOOGLE_SEARCH_TOOL_KEY = 'googleSearch';

/** A client's Google Search tool (`excludeDomains` as Vertex AI takes it). */
export function decodeGoogleSearchTool(entry: unknown): IrWebSearchTool {
  const tool: IrWebSearchTool = { kind: 'web-search' };
  const exclude = isRecord(entry) ? readField(entry, 'excludeDomains') : undefined;
  if (Array.isArray(exclude) && exclude.length > 0 && exclude.every((domain) => typeof domain === 'string')) tool.blockedDomains = exclude as string[];
  return tool;
}

/**
 * The IR tool as Gemini's, or nothing. Gemini refuses Google Search next to function declarations
 * ("Tool use with function calling is unsupported") unless `toolConfig.
 * includeServerSideToolInvocations` (Gemini 3 only) asks for the server's tool calls as content
 * parts, which no other family's client could read: the function tools win (an agent cannot work
 * without them), the search is dropped with a warning. The Gemini API's Google Search takes no use
 * limit, domain filter or user location: those are dropped with a warning.
 */
export function encodeGoogleSearchTool(tool: IrWebSearchTool, withFunctions: boolean, warnings: IrWarning[]): Record<string, unknown> | undefined {
  if (withFunctions) {
    warnings.push({ type: 'dropped', feature: 'web_search', details: 'Gemini takes Google Search or function declarations, not both; the functions were kept' });
    return undefined;
  }
  const dropped = [
    tool.maxUses !== undefined ? 'max uses' : undefined,
    tool.allowedDomains ? 'allowed domains' : undefined,
    tool.userLocation ? 'user location' : undefined,
    // `excludeDomains` exists on Vertex AI only.
    tool.blockedDomains ? 'blocked domains' : undefined,
  ].filter((name) => name !== undefined);
  if (dropped.length > 0) warnings.push({ type: 'dropped', feature: 'web_search options', details: `Google Search takes no ${dropped.join(', ')}` });
  return { [GOOGLE_SEARCH_TOOL_KEY]: {} };
}

export interface DecodedGrounding {
  call: IrWebSearchCallPart | undefined;
  /** Spans over the whole answer text, in UTF-16 code units. */
  citations: IrCitation[];
}

/** A candidate's `groundingMetadata` over its answer text → the IR search and citations. */
export function decodeGroundingMetadata(metadata: unknown, answerText: string, id: string): DecodedGrounding {
  if (!isRecord(metadata)) return { call: undefined, citations: [] };
  const queries = stringArray(readField(metadata, 'webSearchQueries'));
  const chunks = Array.isArray(readField(metadata, 'groundingChunks')) ? (readField(metadata, 'groundingChunks') as unknown[]) : [];
  const sources: Array<IrWebSource | undefined> = chunks.map((chunk) => {
    const web = isRecord(chunk) ? readField(chunk, 'web') : undefined;
    if (!isRecord(web) || typeof web['uri'] !== 'string') return undefined;
    return typeof web['title'] === 'string' ? { url: web['uri'], title: web['title'] } : { url: web['uri'] };
  });
  const citations: IrCitation[] = [];
  const supports = readField(metadata, 'groundingSupports');
  const offsets = new Utf8Offsets(answerText);
  for (const support of Array.isArray(supports) ? supports : []) {
    if (!isRecord(support)) continue;
    const segment = readField(support, 'segment');
    const indices = readField(support, 'groundingChunkIndices');
    if (!isRecord(segment) || !Array.isArray(indices)) continue;
    const startByte = numberOr(readField(segment, 'startIndex'), 0);
    const endByte = numberOr(readField(segment, 'endIndex'), startByte);
    const segmentText = readField(segment, 'text');
    for (const index of indices) {
      const source = typeof index === 'number' ? sources[index] : undefined;
      if (!source) continue;
      const citation: IrCitation = { ...source, startIndex: offsets.toCodeUnits(startByte), endIndex: offsets.toCodeUnits(endByte) };
      if (typeof segmentText === 'string') citation.citedText = segmentText;
      citations.push(citation);
    }
  }
  const found = sources.filter((source) => source !== undefined);
  const call = queries.length > 0 || found.length > 0 ? { type: 'web-search-call' as const, id, queries, sources: found } : undefined;
  return { call, citations };
}

/**
 * Gives each of several text parts the citations that start inside it, their spans made
 * relative to the part (`citations` span the parts' texts joined).
 */
export function attachCitations(parts: IrTextPart[], citations: IrCitation[]): void {
  let offset = 0;
  for (const [index, part] of parts.entries()) {
    const end = offset + part.text.length;
    const last = index === parts.length - 1;
    const own = citations.filter((citation) => (citation.startIndex ?? 0) >= offset && ((citation.startIndex ?? 0) < end || last));
    if (own.length > 0) {
      part.citations = own.map((citation) => ({
        ...citation,
        startIndex: (citation.startIndex ?? 0) - offset,
        endIndex: Math.min((citation.endIndex ?? end) - offset, part.text.length),
      }));
    }
    offset = end;
  }
}

/**
 * Builds a `groundingMetadata` from what another family searched and cited. Text is fed in
 * answer order so spans can be given in UTF-8 bytes of the whole answer; a citation without a
 * span covers its whole text part.
 */
export class GroundingBuilder {
  readonly #queries: string[] = [];
  readonly #chunks: Array<{ web: { uri: string; title: string } }> = [];
  readonly #chunkIndex = new Map<string, number>();
  readonly #supports: Array<{ segment: { startIndex: number; endIndex: number; text?: string }; groundingChunkIndices: number[] }> = [];
  /** UTF-8 bytes of answer text so far. */
  #bytes = 0;

  get empty(): boolean {
    return this.#queries.length === 0 && this.#chunks.length === 0;
  }

  addSearch(call: Pick<IrWebSearchCallPart, 'queries' | 'sources'>): void {
    this.#queries.push(...call.queries.filter((query) => query !== ''));
    for (const source of call.sources) this.#chunk(source);
  }

  /** The byte offset where the next text starts. */
  get textOffset(): number {
    return this.#bytes;
  }

  addText(text: string): void {
    this.#bytes += Buffer.byteLength(text);
  }

  /**
   * A citation of the text that started at byte `blockStart` of the answer (`blockText`: that
   * text, needed to turn a UTF-16 span into bytes; without a span, the text so far is cited).
   */
  addCitation(citation: IrCitation, blockStart: number, blockText: string): void {
    const hasSpan = citation.startIndex !== undefined && citation.endIndex !== undefined;
    const startIndex = blockStart + (hasSpan ? Buffer.byteLength(blockText.slice(0, citation.startIndex)) : 0);
    const endIndex = hasSpan ? blockStart + Buffer.byteLength(blockText.slice(0, citation.endIndex)) : this.#bytes;
    const segment: { startIndex: number; endIndex: number; text?: string } = { startIndex, endIndex };
    const text = hasSpan ? blockText.slice(citation.startIndex, citation.endIndex) : blockText;
    if (text !== '') segment.text = text;
    this.#supports.push({ segment, groundingChunkIndices: [this.#chunk(citation)] });
  }

  build(): Record<string, unknown> {
    return { webSearchQueries: this.#queries, groundingChunks: this.#chunks, groundingSupports: this.#supports };
  }

  #chunk(source: IrWebSource): number {
    const known = this.#chunkIndex.get(source.url);
    if (known !== undefined) return known;
    this.#chunks.push({ web: { uri: source.url, title: source.title ?? '' } });
    this.#chunkIndex.set(source.url, this.#chunks.length - 1);
    return this.#chunks.length - 1;
  }
}

/** UTF-8 byte offsets of a text → UTF-16 code unit offsets. */
class Utf8Offsets {
  readonly #bytes: Buffer;
  constructor(text: string) {
    this.#bytes = Buffer.from(text, 'utf8');
  }
  toCodeUnits(byteOffset: number): number {
    return this.#bytes.subarray(0, Math.max(0, Math.min(byteOffset, this.#bytes.length))).toString('utf8').length;
  }
}

function stringArray(value: unknown): string[] {
  return Array.isArray(value) ? value.filter((entry): entry is string => typeof entry === 'string') : [];
}

function numberOr(value: unknown, fallback: number): number {
  return typeof value === 'number' ? value : fallback;
}
