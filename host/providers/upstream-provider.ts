import type { IncomingHttpHeaders } from 'node:http';
import type { Account } from '../../shared/accounts.js';
import type { UpstreamFamily } from '../codecs/codec-types.js';

/** How a client asked for a stream: SSE, or Gemini's JSON-array form (`streamGenerateContent` without `alt=sse`). */
export type StreamForm = 'sse' | 'json-array';

/** A same-family client's own request, to pass on. */
export interface PassThroughBody {
  /** The body as it goes on (foreign signatures already removed). */
  body: Record<string, unknown>;
  /** The client's JSON text when `body` is exactly what it sent: passed on byte-exact while the model stays. */
  rawText?: string | undefined;
  /** `rawText` as the client's bytes (sent as they came, no encoding again); only with `rawText`. */
  rawBytes?: Buffer | undefined;
}

/** One page of an upstream's model list. */
export interface ModelListPage {
  models: string[];
  /** Where the next page starts (Anthropic's `last_id` while `has_more`, Gemini's `nextPageToken`); absent on the last page. */
  nextPage?: string;
}

/**
 * How to reach one upstream family: endpoint URLs, auth headers and model-list parsing. Wire
 * formats live in the codecs; this only knows addresses and credentials.
 */
export interface UpstreamProvider {
  readonly family: UpstreamFamily;
  /** `form`: only Gemini has a second stream form; translated requests always ask for SSE. */
  generateUrl(account: Account, model: string, stream: boolean, form?: StreamForm): URL;
  /** A same-family client's request with only the model changed, where the family keeps it (the body, or the URL). */
  passThroughBody(request: PassThroughBody, model: string): string | Buffer;
  /**
   * A same-family stream's first bytes (`head`, held while peeking) with the model name the client
   * asked for put back where the family's clients read it, when mapping changed it. Only where a
   * client acts on it: Claude Code drops the thinking of an answer whose model is not the one it
   * asked for, and its next tool turn is then refused by Anthropic.
   */
  streamHeadWithClientModel?(head: readonly Buffer[], upstreamModel: string, clientModel: string): Buffer[];
  /**
   * The family's embeddings endpoint, if it has one (Anthropic has none). Gemini has two methods,
   * one content or a batch; `geminiMethod` says which.
   */
  embeddingsUrl?(account: Account, model: string, geminiMethod?: 'embedContent' | 'batchEmbedContents'): URL;
  /** The legacy text-completions endpoint (`/completions`), where the family has one. */
  legacyCompletionsUrl?(account: Account): URL;
  /** The family's own token-counting endpoint, if it has one. */
  countTokensUrl?(account: Account, model: string): URL;
  /** The model list's first page, or the page `page` names (a cursor taken from the previous page by `parseModelList`). */
  modelsUrl(account: Account, page?: string): URL;
  /** Auth and content headers; `client` carries the caller's headers for same-family pass-through. */
  headers(account: Account, options: { stream: boolean; client?: IncomingHttpHeaders }): Record<string, string>;
  /** Model names from one page of the family's model list, and the cursor of the next page when there is one. */
  parseModelList(body: unknown): ModelListPage;
}
