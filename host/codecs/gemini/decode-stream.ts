import { randomUUID } from 'node:crypto';
import { StringDecoder } from 'node:string_decoder';
import type { IrUsage } from '../../ir/ir-response.js';
import type { IrStreamEvent } from '../../ir/ir-stream-event.js';
import { proxyError, type ProxyError } from '../../core/proxy-error.js';
import type { StreamDecoder, StreamDecoderOptions } from '../codec-types.js';
import { SseParser } from '../shared/sse-parser.js';
import { convertGeminiUsage } from './convert-usage.js';
import { decodeGeminiErrorObject } from './decode-error.js';
import { toolCallPrefix } from './decode-response.js';
import { mapGeminiFinishReason } from './map-finish-reason.js';
import { decodeGroundingMetadata } from './grounding.js';
import { isRecord, readField, type GeminiUsageMetadata } from './wire.js';

/**
 * Gemini `streamGenerateContent` bytes → IR events. Reads `?alt=sse` streams (`data: {chunk}`
 * frames, CRLF) and, detected by a leading `[`, the default JSON-array form. Each chunk is a whole
 * GenerateContentResponse:
 * - text parts → text deltas; `thought: true` parts → reasoning deltas; a signature on a thought
 *   part closes the reasoning block with a `reasoning-signature`; a signature on a plain text part
 *   (Gemini 3 puts one on a last, often empty, text part) becomes a signature-only reasoning block;
 * - a `functionCall` arrives whole (no argument deltas): tool-input-start/delta/end and `tool-call`
 *   are emitted at once, with the part's signature; ids as in decode-response.ts;
 * - `finishReason` comes on the last chunk together with cumulative `usageMetadata`; if usage were
 *   to come in a later chunk, the finish waits for it (or for the end of the stream);
 * - `groundingMetadata` (Google Search, on the last chunk) → a `web-search-call` and
 *   `text-citation`s on the open text block, just before the finish;
 * - `{"error": {...}}` in the stream → an IR `error`; a stream that ends without a finishReason →
 *   an `error` of kind upstream.
 * Parts with no IR stream form (generated images, code execution) are skipped.
 * @see https://ai.google.dev/api/generate-content#method:-models.streamgeneratecontent
 */
export function createGeminiStreamDecoder(options: StreamDecoderOptions = {}): StreamDecoder {
  return new GeminiStreamDecoder(options.grounded === true);
}

class GeminiStreamDecoder implements StreamDecoder {
  #mode: 'unknown' | 'sse' | 'array' = 'unknown';
  readonly #sse = new SseParser();
  readonly #array = new JsonArraySplitter();
  #started = false;
  #done = false;
  #blocks = 0;
  #calls = 0;
  #textId: string | undefined;
  #reasoningId: string | undefined;
  #hasToolCalls = false;
  #finishRaw: string | undefined;
  #blocked = false;
  #usage: IrUsage = {};
  #callPrefix = '';
  #responseId = '';
  /**
   * The answer's text so far (thoughts excluded): grounding spans index it, in UTF-8 bytes. Kept
   * only when the request asked for a search (a stream holds nothing it was not asked for).
   */
  readonly #keepText: boolean;
  #answerText = '';
  /** Where the open text block starts in #answerText. */
  #textStart = 0;
  /** The latest `groundingMetadata` (it comes on the last chunk), read when the answer ends. */
  #grounding: unknown;

  constructor(keepText: boolean) {
    this.#keepText = keepText;
  }

  push(chunk: Buffer): IrStreamEvent[] {
    if (this.#done) return [];
    if (this.#mode === 'unknown') {
      const first = chunk.findIndex((byte) => byte !== 0x20 && byte !== 0x09 && byte !== 0x0a && byte !== 0x0d);
      if (first === -1) return [];
      this.#mode = chunk[first] === 0x5b /* [ */ ? 'array' : 'sse';
    }
    const events: IrStreamEvent[] = [];
    this.#handleAll(this.#mode === 'array' ? this.#array.push(chunk) : this.#sse.push(chunk).map((event) => event.data), events);
    return events;
  }

  end(): IrStreamEvent[] {
    const events: IrStreamEvent[] = [];
    if (this.#done) return events;
    this.#handleAll(this.#mode === 'array' ? this.#array.end() : this.#mode === 'sse' ? this.#sse.end().map((event) => event.data) : [], events);
    if (this.#done) return events;
    this.#done = true;
    if (this.#finishRaw !== undefined) {
      this.#finish(events);
      return events;
    }
    if (!this.#started) this.#start(events, {});
    events.push({ type: 'error', error: proxyError('upstream', 'The Gemini stream ended before a finishReason.') });
    return events;
  }

  #handleAll(payloads: string[], events: IrStreamEvent[]): void {
    for (const data of payloads) {
      if (this.#done) return;
      if (data === '' || data === '[DONE]') continue;
      let chunk: unknown;
      try {
        chunk = JSON.parse(data);
      } catch {
        this.#fail(events, proxyError('upstream', 'The Gemini stream sent a chunk that is not JSON.'));
        return;
      }
      this.#handleChunk(chunk, events);
    }
  }

  #handleChunk(chunk: unknown, events: IrStreamEvent[]): void {
    if (!isRecord(chunk)) return;
    if (isRecord(chunk['error'])) {
      this.#fail(events, decodeGeminiErrorObject(chunk));
      return;
    }
    if (!this.#started) this.#start(events, chunk);
    const candidates = Array.isArray(chunk['candidates']) ? chunk['candidates'] : [];
    const candidate = candidates.find((entry) => isRecord(entry) && (entry['index'] ?? 0) === 0);
    if (isRecord(candidate)) {
      // Read before the parts: on the last chunk, a signed empty text part (Gemini 3) closes the
      // text block, and the grounding's citations must land before that.
      const reason = readField(candidate, 'finishReason');
      if (typeof reason === 'string') this.#finishRaw = reason;
      const grounding = readField(candidate, 'groundingMetadata');
      if (grounding !== undefined) this.#grounding = grounding;
      const content = candidate['content'];
      if (isRecord(content) && Array.isArray(content['parts'])) for (const part of content['parts']) if (isRecord(part)) this.#handlePart(part, events);
    }
    const feedback = readField(chunk, 'promptFeedback');
    const blockReason = isRecord(feedback) ? readField(feedback, 'blockReason') : undefined;
    if (typeof blockReason === 'string' && this.#finishRaw === undefined) {
      this.#finishRaw = blockReason;
      this.#blocked = true;
    }
    const usage = readField(chunk, 'usageMetadata');
    if (isRecord(usage)) this.#usage = convertGeminiUsage(usage as GeminiUsageMetadata);
    if (this.#finishRaw !== undefined && isRecord(usage)) {
      this.#done = true;
      this.#finish(events);
    }
  }

  #handlePart(part: Record<string, unknown>, events: IrStreamEvent[]): void {
    const rawSignature = readField(part, 'thoughtSignature');
    const signature = typeof rawSignature === 'string' && rawSignature !== '' ? { family: 'gemini' as const, value: rawSignature } : undefined;
    const functionCall = readField(part, 'functionCall');
    if (isRecord(functionCall) && typeof functionCall['name'] === 'string') {
      this.#closeText(events);
      this.#closeReasoning(events);
      const index = this.#calls++;
      const toolCallId = typeof functionCall['id'] === 'string' && functionCall['id'] !== '' ? functionCall['id'] : `${this.#callPrefix}${index}`;
      const id = `tool-${this.#blocks++}`;
      const argumentsText = JSON.stringify(isRecord(functionCall['args']) ? functionCall['args'] : {});
      const toolName = functionCall['name'];
      events.push(
        { type: 'tool-input-start', id, toolCallId, toolName },
        { type: 'tool-input-delta', id, delta: argumentsText },
        { type: 'tool-input-end', id },
        signature ? { type: 'tool-call', id, toolCallId, toolName, argumentsText, signature } : { type: 'tool-call', id, toolCallId, toolName, argumentsText },
      );
      this.#hasToolCalls = true;
      return;
    }
    const text = typeof part['text'] === 'string' ? part['text'] : undefined;
    if (part['thought'] === true) {
      this.#closeText(events);
      const id = this.#openReasoning(events);
      if (text) events.push({ type: 'reasoning-delta', id, delta: text });
      if (signature) {
        events.push({ type: 'reasoning-signature', id, signature });
        this.#closeReasoning(events);
      }
      return;
    }
    if (text === undefined) return;
    this.#closeReasoning(events);
    if (text !== '') {
      if (this.#textId === undefined) {
        this.#textId = `text-${this.#blocks++}`;
        this.#textStart = this.#answerText.length;
        events.push({ type: 'text-start', id: this.#textId });
      }
      if (this.#keepText) this.#answerText += text;
      events.push({ type: 'text-delta', id: this.#textId, delta: text });
    }
    if (signature) {
      this.#closeText(events);
      const id = this.#openReasoning(events);
      events.push({ type: 'reasoning-signature', id, signature });
      this.#closeReasoning(events);
    }
  }

  #start(events: IrStreamEvent[], chunk: Record<string, unknown>): void {
    this.#started = true;
    const responseId = readField(chunk, 'responseId');
    const model = readField(chunk, 'modelVersion');
    this.#callPrefix = toolCallPrefix(typeof responseId === 'string' ? responseId : undefined);
    this.#responseId = typeof responseId === 'string' ? responseId : `gemini-${randomUUID()}`;
    events.push({
      type: 'response-start',
      id: this.#responseId,
      model: typeof model === 'string' ? model : '',
      created: Math.floor(Date.now() / 1000),
    });
  }

  #openReasoning(events: IrStreamEvent[]): string {
    if (this.#reasoningId === undefined) {
      this.#reasoningId = `reasoning-${this.#blocks++}`;
      events.push({ type: 'reasoning-start', id: this.#reasoningId });
    }
    return this.#reasoningId;
  }

  #closeText(events: IrStreamEvent[]): void {
    if (this.#textId === undefined) return;
    // The answer is over (its last chunk came): the grounding's citations go on this block now.
    if (this.#finishRaw !== undefined && this.#grounding !== undefined) this.#emitGrounding(events);
    events.push({ type: 'text-end', id: this.#textId });
    this.#textId = undefined;
  }

  #closeReasoning(events: IrStreamEvent[]): void {
    if (this.#reasoningId === undefined) return;
    events.push({ type: 'reasoning-end', id: this.#reasoningId });
    this.#reasoningId = undefined;
  }

  #finish(events: IrStreamEvent[]): void {
    if (this.#grounding !== undefined) this.#emitGrounding(events);
    this.#closeText(events);
    this.#closeReasoning(events);
    const finishReason = this.#blocked
      ? { unified: 'content-filter' as const, raw: this.#finishRaw!, protocol: 'gemini' as const }
      : mapGeminiFinishReason(this.#finishRaw, this.#hasToolCalls);
    events.push({ type: 'finish', finishReason, usage: this.#usage });
  }

  /**
   * The search, then the citations of the text block still open (the answer's last text, where
   * Gemini's supports point); a citation of earlier text has no open block left to go to.
   */
  #emitGrounding(events: IrStreamEvent[]): void {
    const { call, citations } = decodeGroundingMetadata(this.#grounding, this.#answerText, `ws_${this.#responseId}`);
    this.#grounding = undefined;
    if (call) events.push({ type: 'web-search-call', id: call.id, queries: call.queries, sources: call.sources });
    const textId = this.#textId;
    // Without the text (no search was asked for), the spans cannot be placed: the sources stay.
    if (textId === undefined || !this.#keepText) return;
    for (const citation of citations) {
      if ((citation.startIndex ?? 0) < this.#textStart) continue;
      events.push({
        type: 'text-citation',
        id: textId,
        citation: { ...citation, startIndex: (citation.startIndex ?? 0) - this.#textStart, endIndex: (citation.endIndex ?? this.#answerText.length) - this.#textStart },
      });
    }
  }

  #fail(events: IrStreamEvent[], error: ProxyError): void {
    this.#done = true;
    if (!this.#started) this.#start(events, {});
    events.push({ type: 'error', error });
  }
}

/**
 * Splits Gemini's default (non-SSE) stream, one JSON array written incrementally
 * (`[{…}\n,\r\n{…}\n]`), into its top-level objects. One pass per character, with string and
 * escape tracking; an unfinished object is carried over to the next chunk.
 */
export class JsonArraySplitter {
  readonly #decoder = new StringDecoder('utf8');
  #depth = 0;
  #inString = false;
  #escape = false;
  #buffer = '';

  push(chunk: Buffer): string[] {
    return this.#scan(this.#decoder.write(chunk));
  }

  end(): string[] {
    return this.#scan(this.#decoder.end());
  }

  #scan(text: string): string[] {
    const objects: string[] = [];
    let start = this.#depth > 0 ? 0 : -1;
    for (let index = 0; index < text.length; index++) {
      const code = text.charCodeAt(index);
      if (this.#inString) {
        if (this.#escape) this.#escape = false;
        else if (code === 0x5c /* \ */) this.#escape = true;
        else if (code === 0x22 /* " */) this.#inString = false;
        continue;
      }
      if (this.#depth === 0) {
        if (code === 0x7b /* { */) {
          this.#depth = 1;
          start = index;
        }
        continue;
      }
      if (code === 0x22) this.#inString = true;
      else if (code === 0x7b || code === 0x5b) this.#depth++;
      else if (code === 0x7d || code === 0x5d) {
        this.#depth--;
        if (this.#depth === 0) {
          objects.push(this.#buffer + text.slice(start, index + 1));
          this.#buffer = '';
          start = -1;
        }
      }
    }
    if (this.#depth > 0) this.#buffer += text.slice(start === -1 ? 0 : start);
    return objects;
  }
}
