import type { IrWarning } from './ir-warning.js';

/**
 * An embeddings request between protocols: texts in, one vector per text out. OpenAI's
 * `/v1/embeddings` and Gemini's `embedContent` / `batchEmbedContents` both fit; what one side
 * has and the other cannot say is dropped with a warning.
 */
export interface IrEmbeddingRequest {
  /** The model as the client asked for it (mapping happens in the pipeline). */
  model: string;
  /** One vector comes back per input, in this order. */
  inputs: string[];
  /** OpenAI `dimensions`, Gemini `outputDimensionality`. */
  dimensions?: number;
  /** Gemini `taskType` (RETRIEVAL_QUERY, …): OpenAI has none. */
  taskType?: string;
  /** Gemini `title` (for RETRIEVAL_DOCUMENT): OpenAI has none. */
  title?: string;
  /** OpenAI `user`. */
  user?: string;
  /** How an OpenAI client wants its vectors: `base64` is what the openai SDK asks by default. */
  encodingFormat?: 'float' | 'base64';
  warnings: IrWarning[];
}

export interface IrEmbeddingResponse {
  /** The model the upstream names (may be empty: Gemini does not echo it). */
  model: string;
  /** One vector per input, in input order. */
  vectors: number[][];
  /** Input tokens, when the upstream reports them. */
  inputTokens?: number;
  warnings: IrWarning[];
}
