/**
 * Parts of a message in the internal representation (IR). The IR is a superset of the client
 * protocols: what one protocol says and another cannot is mapped with a warning, or kept under
 * `extras` keyed by the protocol that produced it.
 */

/** Anthropic-style prompt-cache breakpoint; families without breakpoints drop it with a warning. */
export interface IrCacheControl {
  type: 'ephemeral';
  /** e.g. '5m' or '1h'; undefined = the provider's default. */
  ttl?: string;
}

/** A signature or encrypted blob only the family that made it can read. */
export interface IrOpaque {
  family: 'openai' | 'anthropic' | 'gemini';
  value: string;
}

export interface IrTextPart {
  type: 'text';
  text: string;
  cacheControl?: IrCacheControl;
  /** Web sources a server-side search found for this text (answers only). */
  citations?: IrCitation[];
}

/**
 * A web source cited by an answer's text. The span is in UTF-16 code units of the text part it
 * belongs to; without one (Anthropic cites whole text blocks) the citation covers the whole part.
 */
export interface IrCitation {
  url: string;
  title?: string;
  /** The source's words the text relies on (Anthropic `cited_text`, Gemini `segment.text`). */
  citedText?: string;
  startIndex?: number;
  endIndex?: number;
}

/** A web page a server-side search returned. */
export interface IrWebSource {
  url: string;
  title?: string;
}

/**
 * A search the upstream ran itself (Anthropic `server_tool_use` + `web_search_tool_result`,
 * Gemini `groundingMetadata.webSearchQueries`/`groundingChunks`): already done, nothing for the
 * client to run. Only in answers.
 */
export interface IrWebSearchCallPart {
  type: 'web-search-call';
  id: string;
  /** The queries searched (Anthropic: one per call; Gemini: every query of the turn). */
  queries: string[];
  sources: IrWebSource[];
}

/** Image or document bytes. Never a local path: the proxy never reads files for a client. */
export type IrFileSource =
  | { kind: 'base64'; data: string }
  | { kind: 'url'; url: string }
  | { kind: 'file-id'; id: string };

export interface IrFilePart {
  type: 'file';
  /** e.g. image/png; may be undefined for URLs whose type is unknown. */
  mediaType?: string;
  source: IrFileSource;
  cacheControl?: IrCacheControl;
}

export interface IrReasoningPart {
  type: 'reasoning';
  text: string;
  signature?: IrOpaque;
  /** Anthropic redacted_thinking: `text` is empty and `signature` holds the data. */
  redacted?: boolean;
}

export interface IrToolCallPart {
  type: 'tool-call';
  toolCallId: string;
  toolName: string;
  /** The arguments JSON exactly as received (never re-serialised, never defaulted to `{}`). */
  argumentsText: string;
  /** Gemini thought signature attached to a function call. */
  signature?: IrOpaque;
}

export interface IrToolResultPart {
  type: 'tool-result';
  toolCallId: string;
  /** Filled from the matching call when the protocol omits it (Gemini needs it; OpenAI omits it). */
  toolName: string;
  content: Array<IrTextPart | IrFilePart>;
  isError?: boolean;
  cacheControl?: IrCacheControl;
}

export type IrPart = IrTextPart | IrFilePart | IrReasoningPart | IrToolCallPart | IrToolResultPart;
export type IrAssistantPart = IrTextPart | IrReasoningPart | IrToolCallPart | IrWebSearchCallPart;
