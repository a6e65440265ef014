import type { IrFinishReason, IrUsage } from '../../ir/ir-response.js';
import type { IrStreamEvent } from '../../ir/ir-stream-event.js';
import { proxyError } from '../../core/proxy-error.js';
import type { StreamDecoder } from '../codec-types.js';
import { SseParser, type SseEvent } from '../shared/sse-parser.js';
import { ToolCallTracker } from '../shared/tool-call-tracker.js';
import { convertOpenAIChatUsage } from './convert-usage.js';
import { decodeOpenAIChatStreamError } from './decode-error.js';
import { isRecord } from './decode-request.js';
import { mapOpenAIChatFinishReason } from './map-finish-reason.js';
import type { OpenAIChatChunk, OpenAIChatChunkDelta, OpenAIChatErrorObject } from './wire.js';

/**
 * `chat.completion.chunk` SSE from an OpenAI-family upstream → IR events, one chunk at a time.
 *
 * - Reasoning arrives as `delta.reasoning_content` (DeepSeek, vLLM) or `delta.reasoning`
 *   (OpenRouter, Ollama); text as `delta.content`; a refusal (`delta.refusal`) is passed on as text.
 * - Tool calls go through the ToolCallTracker: matched by id, index or recency, arguments
 *   forwarded as they come once id and name are known, completed only at the end.
 * - `finish_reason` closes the blocks and completes the calls, but `finish` waits for `[DONE]`
 *   (or the end of the body): usage comes after it in a chunk with `choices: []` (null or missing
 *   on vLLM; inside the finish chunk on llama.cpp).
 * - An `{"error": {...}}` data line after the 200 becomes an `error` event; a body that ends with
 *   no finish_reason and no `[DONE]` becomes an `upstream` error.
 * @see https://platform.openai.com/docs/api-reference/chat-streaming/streaming
 */
export function createOpenAIChatStreamDecoder(): StreamDecoder {
  return new OpenAIChatStreamDecoder();
}

class OpenAIChatStreamDecoder implements StreamDecoder {
  readonly #sse = new SseParser();
  readonly #tools = new ToolCallTracker({ blockIdPrefix: 'tool-' });
  #started = false;
  #textId: string | undefined;
  #reasoningId: string | undefined;
  #blocks = 0;
  #finishReason: IrFinishReason | undefined;
  #completed = false;
  #usage: IrUsage = {};
  #over = false;

  push(chunk: Buffer): IrStreamEvent[] {
    const events = this.#sse.push(chunk);
    if (events.length === 0) return [];
    const out: IrStreamEvent[] = [];
    for (const event of events) this.#onEvent(event, out);
    return out;
  }

  end(): IrStreamEvent[] {
    const out: IrStreamEvent[] = [];
    for (const event of this.#sse.end()) this.#onEvent(event, out);
    if (this.#over) return out;
    if (this.#finishReason) {
      // Some compatible servers never send `[DONE]`: the finish_reason was enough.
      this.#finish(out);
    } else {
      this.#over = true;
      out.push({ type: 'error', error: proxyError('upstream', 'The upstream stream ended before the response was complete') });
    }
    return out;
  }

  #onEvent(event: SseEvent, out: IrStreamEvent[]): void {
    if (this.#over) return;
    const data = event.data;
    if (data === '[DONE]') {
      this.#finish(out);
      return;
    }
    if (data.length === 0) return;
    let chunk: OpenAIChatChunk;
    try {
      chunk = JSON.parse(data) as OpenAIChatChunk;
    } catch {
      this.#fail(out, proxyError('upstream', 'The upstream sent a stream chunk that is not JSON'));
      return;
    }
    if (!isRecord(chunk)) return;
    if (chunk.error !== undefined || event.event === 'error') {
      const error = chunk.error as unknown;
      this.#fail(out, decodeOpenAIChatStreamError(isRecord(error) ? error : typeof error === 'string' ? { message: error } : (chunk as OpenAIChatErrorObject)));
      return;
    }
    if (!this.#started) {
      this.#started = true;
      out.push({
        type: 'response-start',
        id: typeof chunk.id === 'string' ? chunk.id : '',
        model: typeof chunk.model === 'string' ? chunk.model : '',
        created: typeof chunk.created === 'number' ? chunk.created : Math.floor(Date.now() / 1000),
      });
    }
    if (isRecord(chunk.usage)) this.#usage = convertOpenAIChatUsage(chunk.usage);
    const choices = chunk.choices;
    if (!Array.isArray(choices) || choices.length === 0) return;
    // n>1 is never requested; read choice 0 only.
    const choice = choices.length === 1 ? choices[0] : choices.find((candidate) => (candidate?.index ?? 0) === 0);
    if (!choice || this.#completed) return;
    if (isRecord(choice.delta)) this.#onDelta(choice.delta, out);
    if (typeof choice.finish_reason === 'string' && choice.finish_reason) {
      this.#finishReason = mapOpenAIChatFinishReason(choice.finish_reason);
      this.#complete(out);
    }
  }

  #onDelta(delta: OpenAIChatChunkDelta, out: IrStreamEvent[]): void {
    const reasoning = typeof delta.reasoning_content === 'string' ? delta.reasoning_content : delta.reasoning;
    if (typeof reasoning === 'string' && reasoning.length > 0) {
      this.#closeText(out);
      if (this.#reasoningId === undefined) {
        this.#reasoningId = `reasoning-${this.#blocks++}`;
        out.push({ type: 'reasoning-start', id: this.#reasoningId });
      }
      out.push({ type: 'reasoning-delta', id: this.#reasoningId, delta: reasoning });
    }
    for (const text of [delta.content, delta.refusal]) {
      if (typeof text !== 'string' || text.length === 0) continue;
      this.#closeReasoning(out);
      if (this.#textId === undefined) {
        this.#textId = `text-${this.#blocks++}`;
        out.push({ type: 'text-start', id: this.#textId });
      }
      out.push({ type: 'text-delta', id: this.#textId, delta: text });
    }
    if (Array.isArray(delta.tool_calls) && delta.tool_calls.length > 0) {
      // Blocks run one after another where the source allows it: text after the calls opens a new block.
      this.#closeReasoning(out);
      this.#closeText(out);
      for (const call of delta.tool_calls) {
        if (!isRecord(call)) continue;
        const fn = isRecord(call.function) ? call.function : undefined;
        this.#tools.push({ index: call.index, id: call.id, name: fn?.name, arguments: fn?.arguments }, out);
      }
    }
    if (isRecord(delta.function_call)) {
      // Legacy single call: no id on the wire, so one is made up.
      this.#closeReasoning(out);
      this.#closeText(out);
      this.#tools.push({ index: 0, id: 'call_legacy_0', name: delta.function_call.name, arguments: delta.function_call.arguments }, out);
    }
  }

  /** finish_reason (or [DONE]): close what is open and complete the tool calls, once. */
  #complete(out: IrStreamEvent[]): void {
    if (this.#completed) return;
    this.#completed = true;
    this.#closeReasoning(out);
    this.#closeText(out);
    const { droppedNameless } = this.#tools.finish(out);
    if (droppedNameless > 0) this.#fail(out, proxyError('upstream', 'The upstream streamed a tool call without a function name'));
  }

  #finish(out: IrStreamEvent[]): void {
    this.#complete(out);
    if (this.#over) return;
    this.#over = true;
    out.push({ type: 'finish', finishReason: this.#finishReason ?? { unified: 'other', protocol: 'openai-chat' }, usage: this.#usage });
  }

  #fail(out: IrStreamEvent[], error: ReturnType<typeof proxyError>): void {
    this.#over = true;
    out.push({ type: 'error', error });
  }

  #closeText(out: IrStreamEvent[]): void {
    if (this.#textId === undefined) return;
    out.push({ type: 'text-end', id: this.#textId });
    this.#textId = undefined;
  }

  #closeReasoning(out: IrStreamEvent[]): void {
    if (this.#reasoningId === undefined) return;
    out.push({ type: 'reasoning-end', id: this.#reasoningId });
    this.#reasoningId = undefined;
  }
}
