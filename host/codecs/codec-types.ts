import type { IncomingHttpHeaders } from 'node:http';
import type { IrRequest } from '../ir/ir-request.js';
import type { IrResponse } from '../ir/ir-response.js';
import type { IrStreamEvent } from '../ir/ir-stream-event.js';
import type { ProxyError } from '../core/proxy-error.js';

/** The client protocols Localgate speaks. */
export type ClientProtocolId = 'openai-chat' | 'openai-responses' | 'openai-completions' | 'anthropic' | 'gemini';

/** The upstream families an account can belong to (shared/accounts.ts `provider`). */
export type UpstreamFamily = 'openai' | 'anthropic' | 'gemini';

/** What a route knows besides the body. */
export interface DecodeContext {
  /** Gemini puts the model in the path. */
  model?: string;
  /** Gemini decides streaming by the method in the path (`:streamGenerateContent`). */
  stream?: boolean;
  headers: IncomingHttpHeaders;
  /**
   * Responses: what the route did with Localgate's response store. `stored`: this response will be
   * kept for a follow-up; `previousResponseId`: the earlier response whose conversation the route
   * has already put in front of `input`.
   */
  responses?: { stored: boolean; previousResponseId?: string };
}

/**
 * A request the client sent that cannot be translated (missing field, wrong type). The route
 * answers it as a 400 in the client's format; never thrown for upstream problems.
 */
export class CodecError extends Error {
  override name = 'CodecError';
  constructor(message: string, readonly param?: string) {
    super(message);
  }
}

/**
 * IR events → the client's wire format, one call per event, returning the text to write now
 * (often '' while an event only updates state). Synchronous and allocation-light: it runs once
 * per upstream chunk on the hot path.
 */
export interface StreamEncoder {
  push(event: IrStreamEvent): string;
  /**
   * Called once when the upstream stream is over. Returns what closes the client stream
   * properly (e.g. `data: [DONE]`, a final `message_stop`, a closing `]`) — including, when no
   * finish/error event was seen, an error frame so the client never waits on a stream that
   * silently stopped.
   */
  end(): string;
  /**
   * Called after the events of one upstream chunk: what the encoder held back only to gather that
   * chunk's events, due now (Anthropic's `message_start` waits for the input counts that follow
   * `response-start` in the same chunk, not for the first content). Optional: most hold nothing.
   */
  flush?(): string;
  /** Content type of the stream (`text/event-stream`, or `application/json` for Gemini's array form). */
  readonly contentType: string;
}

/** Upstream wire bytes → IR events. Chunks may split anywhere (mid-line, mid-UTF-8 sequence). */
export interface StreamDecoder {
  push(chunk: Buffer): IrStreamEvent[];
  /** The upstream closed the stream: flush and close what is open (a missing finish becomes an `error`). */
  end(): IrStreamEvent[];
}

/** One client protocol: what Localgate needs to serve clients that speak it. */
export interface ClientCodec {
  readonly protocol: ClientProtocolId;
  decodeRequest(body: unknown, context: DecodeContext): IrRequest;
  encodeResponse(response: IrResponse, request: IrRequest): unknown;
  createStreamEncoder(request: IrRequest): StreamEncoder;
  encodeError(error: ProxyError): unknown;
}

/** One upstream family: what Localgate needs to send an IR request to it and read its answers. */
export interface StreamDecoderOptions {
  grounded?: boolean;
}

export interface UpstreamCodec {
  readonly family: UpstreamFamily;
  /**
   * The wire body for the upstream; `model` is the mapped model to send. What it drops or changes
   * goes into `request.warnings`: the pipeline hands each attempt its own view of the shared IR
   * (host/pipeline/serve-generation.ts `attemptView`), never the memoized one.
   */
  encodeRequest(request: IrRequest, model: string): Record<string, unknown>;
  decodeResponse(body: unknown): IrResponse;
  /**
   * `grounded`: the request asked for a server-side web search, so the answer may cite its text
   * (a decoder that must index the answer to place citations keeps it only then).
   */
  createStreamDecoder(options?: StreamDecoderOptions): StreamDecoder;
  /** An upstream's error response → the proxy's error (status kept, message from the body). */
  decodeError(status: number, bodyText: string): ProxyError;
}
