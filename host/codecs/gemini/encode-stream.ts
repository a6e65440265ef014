import type { IrRequest } from '../../ir/ir-request.js';
import type { IrUsage } from '../../ir/ir-response.js';
import type { IrStreamEvent } from '../../ir/ir-stream-event.js';
import { proxyError, type ProxyError } from '../../core/proxy-error.js';
import type { StreamEncoder } from '../codec-types.js';
import { toGeminiUsage } from './convert-usage.js';
import { encodeGeminiError } from './encode-error.js';
import { parseArguments } from './encode-parts.js';
import { toGeminiFinishReason } from './map-finish-reason.js';
import { wrapOpaque, wrapThinking } from '../shared/opaque-signature.js';
import type { GeminiPart } from './wire.js';
import { GroundingBuilder } from './grounding.js';
import type { IrCitation } from '../../ir/ir-part.js';

/**
 * IR events → Gemini `streamGenerateContent` output for a Gemini client, in either framing:
 * - `sse: true` (the client asked `?alt=sse`, as @google/genai always does): one
 *   `data: {GenerateContentResponse}\r\n\r\n` frame per chunk, as Google sends them. Both SDK
 *   parsers split on a blank line (`\n\n`, `\r\r` or `\r\n\r\n`) and read one-line `data:`
 *   payloads.
 * - `sse: false` (no `alt`): one JSON array written incrementally, `[{…}\n,\r\n{…}\n]`, with
 *   `Content-Type: application/json`, as the REST API streams it by default.
 *
 * Each text or reasoning delta is a chunk with one part (`thought: true` for reasoning). Gemini
 * sends function calls whole, so a call's argument deltas are not written: the `tool-call` event
 * (which carries the complete arguments) becomes one chunk with the `functionCall` part, its id
 * and its signature. Arguments that are not a JSON object go as `{"_raw": text}` with a warning on
 * the request, never as `{}`. The last chunk carries `finishReason` and `usageMetadata`, and an
 * (empty) text part because @google/genai's chat discards a streamed turn from its history if any
 * chunk has no parts. When the client asked for web search, the searches and citations another
 * family streamed go on that last chunk as `groundingMetadata`. An `error` event becomes Google's `{"error": {...}}` object in the stream,
 * which both SDKs raise as an error.
 * @see https://ai.google.dev/api/generate-content#method:-models.streamgeneratecontent
 */
export function createGeminiStreamEncoder(request: IrRequest, options: { sse: boolean } = { sse: true }): StreamEncoder {
  return new GeminiStreamEncoder(request, options.sse);
}

class GeminiStreamEncoder implements StreamEncoder {
  readonly contentType: string;
  readonly #request: IrRequest;
  readonly #sse: boolean;
  #responseId: string | undefined;
  #model: string | undefined;
  #wroteElement = false;
  #closed = false;
  #usage: IrUsage = {};
  /** Reasoning block id → its text so far, and whether it is redacted. */
  readonly #reasoning = new Map<string, { text: string; redacted: boolean }>();
  /** Another family's signed thinking, to ride on the next function call too (wrapThinking). */
  #thinkingForCall: string | undefined;
  /**
   * Only when the client asked for web search: searches and citations, written as
   * `groundingMetadata` on the last chunk (where Gemini puts it).
   */
  readonly #grounding: GroundingBuilder | undefined;
  /** Open text blocks' start offset, text and citations (resolved at text-end, when spans are known). */
  readonly #citedText = new Map<string, { start: number; text: string; citations: IrCitation[] }>();

  constructor(request: IrRequest, sse: boolean) {
    this.#request = request;
    this.#sse = sse;
    this.contentType = sse ? 'text/event-stream' : 'application/json';
    if (request.serverTools?.length) this.#grounding = new GroundingBuilder();
  }

  push(event: IrStreamEvent): string {
    if (this.#closed) return '';
    switch (event.type) {
      case 'response-start':
        this.#responseId = event.id;
        this.#model = event.model;
        return '';
      case 'text-delta':
        if (event.delta === '') return '';
        if (this.#grounding) {
          this.#grounding.addText(event.delta);
          const block = this.#citedText.get(event.id);
          if (block) block.text += event.delta;
        }
        return this.#chunk([{ text: event.delta }]);
      case 'text-start':
        if (this.#grounding) this.#citedText.set(event.id, { start: this.#grounding.textOffset, text: '', citations: [] });
        return '';
      case 'text-citation':
        this.#citedText.get(event.id)?.citations.push(event.citation);
        return '';
      case 'text-end':
        this.#resolveCitations(event.id);
        return '';
      case 'web-search-call':
        this.#grounding?.addSearch(event);
        return '';
      case 'reasoning-start':
        this.#reasoning.set(event.id, { text: '', redacted: event.redacted === true });
        return '';
      case 'reasoning-delta': {
        const state = this.#reasoning.get(event.id);
        if (state) state.text += event.delta;
        return event.delta === '' ? '' : this.#chunk([{ text: event.delta, thought: true }]);
      }
      case 'reasoning-signature': {
        const state = this.#reasoning.get(event.id);
        const redacted = state?.redacted ?? false;
        const part: GeminiPart = { text: '' };
        // A signature that came on a plain text part (decode-stream.ts) goes back the same way.
        if (state?.text || redacted || event.signature.family !== 'gemini') part.thought = true;
        part.thoughtSignature = wrapOpaque(event.signature, redacted ? 'redacted' : 'reasoning', 'gemini');
        if (event.signature.family !== 'gemini' && !redacted) this.#thinkingForCall = wrapThinking(state?.text ?? '', event.signature);
        return this.#chunk([part]);
      }
      case 'reasoning-end':
        this.#reasoning.delete(event.id);
        return '';
      case 'tool-call': {
        const part: GeminiPart = {
          functionCall: { id: event.toolCallId, name: event.toolName, args: parseArguments(event.argumentsText, event.toolName, this.#request.warnings) },
        };
        if (event.signature) part.thoughtSignature = wrapOpaque(event.signature, 'reasoning', 'gemini');
        else if (this.#thinkingForCall) part.thoughtSignature = this.#thinkingForCall;
        this.#thinkingForCall = undefined;
        return this.#chunk([part]);
      }
      case 'usage':
        this.#usage = { ...this.#usage, ...definedOnly(event.usage) };
        return '';
      case 'finish': {
        this.#usage = { ...this.#usage, ...definedOnly(event.usage) };
        this.#closed = true;
        for (const id of [...this.#citedText.keys()]) this.#resolveCitations(id);
        return this.#chunk([{ text: '' }], toGeminiFinishReason(event.finishReason));
      }
      case 'error':
        this.#closed = true;
        return this.#error(event.error);
      case 'tool-input-start':
      case 'tool-input-delta':
      case 'tool-input-end':
        return '';
      default: {
        const exhaustive: never = event;
        return exhaustive;
      }
    }
  }

  end(): string {
    let text = '';
    if (!this.#closed) {
      this.#closed = true;
      text += this.#error(proxyError('upstream', 'The upstream stream ended before the answer was complete.'));
    }
    if (!this.#sse) text += this.#wroteElement ? '\n]' : '[]';
    return text;
  }

  #chunk(parts: GeminiPart[], finishReason?: string): string {
    const candidate: Record<string, unknown> = { content: { parts, role: 'model' } };
    if (finishReason !== undefined) candidate['finishReason'] = finishReason;
    candidate['index'] = 0;
    if (finishReason !== undefined && this.#grounding && !this.#grounding.empty) candidate['groundingMetadata'] = this.#grounding.build();
    const chunk: Record<string, unknown> = { candidates: [candidate] };
    if (finishReason !== undefined) chunk['usageMetadata'] = toGeminiUsage(this.#usage);
    if (this.#model !== undefined) chunk['modelVersion'] = this.#model;
    if (this.#responseId !== undefined) chunk['responseId'] = this.#responseId;
    return this.#frame(JSON.stringify(chunk));
  }

  #resolveCitations(id: string): void {
    const block = this.#citedText.get(id);
    if (!block) return;
    this.#citedText.delete(id);
    for (const citation of block.citations) this.#grounding?.addCitation(citation, block.start, block.text);
  }

  #error(error: ProxyError): string {
    return this.#frame(JSON.stringify(encodeGeminiError(error)));
  }

  #frame(json: string): string {
    if (this.#sse) return `data: ${json}\r\n\r\n`;
    const prefix = this.#wroteElement ? '\n,\r\n' : '[';
    this.#wroteElement = true;
    return prefix + json;
  }
}

function definedOnly(usage: IrUsage): IrUsage {
  const result: IrUsage = {};
  for (const [key, value] of Object.entries(usage) as Array<[keyof IrUsage, number | undefined]>) if (value !== undefined) result[key] = value;
  return result;
}
