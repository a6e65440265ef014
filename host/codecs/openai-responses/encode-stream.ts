import type { IrCitation, IrOpaque } from '../../ir/ir-part.js';
import type { IrRequest } from '../../ir/ir-request.js';
import type { IrUsage } from '../../ir/ir-response.js';
import type { IrStreamEvent } from '../../ir/ir-stream-event.js';
import { proxyError, type ProxyError } from '../../core/proxy-error.js';
import type { StreamEncoder } from '../codec-types.js';
import { sseFrame } from '../shared/sse-parser.js';
import { convertToOpenAIResponsesUsage, mergeUsage } from './convert-usage.js';
import { wrapOpaque } from '../shared/opaque-signature.js';
import { freeformInput, isFreeformTool } from './freeform-tools.js';
import { encodeOpenAIResponsesErrorEvent, encodeOpenAIResponsesFailure } from './encode-error.js';
import { mapToOpenAIResponsesOutcome } from './map-finish-reason.js';
import { buildResponseEcho, buildResponseObject, outputItemId, toResponseId, type ResponseEcho } from './response-object.js';
import { urlCitation, webSearchCallItem, type UrlCitation } from './web-search.js';
import type {
  ResponsesErrorObject,
  ResponsesIncompleteDetails,
  ResponsesItemStatus,
  ResponsesOutputItem,
  ResponsesResponseObject,
  ResponsesStatus,
} from './wire.js';

/**
 * IR stream events → Responses server-sent events, each `event: <type>\ndata: {"type": <type>,
 * "sequence_number": n, …}` with n counting from 0 by one.
 *
 * Sequence (what openai-node's `ResponseStream`/`accumulateResponse` and Codex parse):
 *   response.created, response.in_progress, then per output item
 *   - message:   output_item.added → content_part.added → output_text.delta* → output_text.done
 *                → content_part.done → output_item.done
 *   - function:  output_item.added (arguments '') → function_call_arguments.delta*
 *                → function_call_arguments.done → output_item.done
 *   - custom:    output_item.added (input '') → custom_tool_call_input.delta (the whole input,
 *                cut out of the upstream's JSON arguments when the call completes)
 *                → custom_tool_call_input.done → output_item.done
 *                (output_text.annotation.added for each cited source, before output_text.done)
 *   - web search: output_item.added → web_search_call.in_progress → .searching → .completed
 *                → output_item.done, all at once (the upstream's search is already over)
 *   - reasoning: output_item.added → [reasoning_summary_part.added → reasoning_summary_text.delta*
 *                → reasoning_summary_text.done → reasoning_summary_part.done] → output_item.done
 *   and last response.completed, or response.incomplete (max_output_tokens / content_filter).
 *
 * Each IR block is one output item. Its `output_index` is assigned when the block starts, in
 * start order — the SDK appends an item to `response.output` on `output_item.added` and then
 * indexes it by `output_index`, so the two must agree even when blocks interleave. A function call
 * is done only on the IR `tool-call` event (never on a buffer that happens to parse).
 *
 * Errors: an `error` frame (with a top-level `error` key, so the SDKs throw) followed by
 * `response.failed` carrying `response.error` (what Codex reads). Items still open are not closed
 * with `done` events — a half-streamed function call must not look runnable — and appear in the
 * failed response with status `incomplete`.
 * @see https://platform.openai.com/docs/api-reference/responses-streaming
 */
export class OpenAIResponsesStreamEncoder implements StreamEncoder {
  readonly contentType = 'text/event-stream';
  readonly #request: IrRequest;
  readonly #echo: ResponseEcho;
  #sequenceNumber = 0;
  #phase: 'idle' | 'streaming' | 'done' = 'idle';
  #responseId = '';
  #model = '';
  #createdAt = 0;
  /** Items by output_index; a slot stays undefined while its block is open. */
  readonly #output: Array<ResponsesOutputItem | undefined> = [];
  readonly #open = new Map<string, OpenItem>();
  #usage: IrUsage = {};
  readonly #onFinished: ((response: ResponsesResponseObject) => void) | undefined;

  /** `onFinished`: told the final response (completed or incomplete) before its event is written. */
  constructor(request: IrRequest, onFinished?: (response: ResponsesResponseObject) => void) {
    this.#request = request;
    this.#echo = buildResponseEcho(request);
    this.#onFinished = onFinished;
  }

  push(event: IrStreamEvent): string {
    if (this.#phase === 'done') return '';
    if (event.type === 'response-start') {
      if (this.#phase !== 'idle') return '';
      return this.#start(event.id, event.model, event.created);
    }
    let out = this.#phase === 'idle' ? this.#start(undefined, undefined, undefined) : '';
    switch (event.type) {
      case 'text-start':
        out += this.#openMessage(event.id);
        break;
      case 'text-delta': {
        const item = this.#open.get(event.id);
        if (item?.kind !== 'message' || event.delta === '') break;
        item.text += event.delta;
        out += this.#frame('response.output_text.delta', {
          item_id: item.itemId,
          output_index: item.outputIndex,
          content_index: 0,
          delta: event.delta,
          logprobs: [],
        });
        break;
      }
      case 'text-citation': {
        const item = this.#open.get(event.id);
        if (item?.kind !== 'message') break;
        // A citation without a span covers the whole text block, which is known only at its end.
        if (event.citation.startIndex === undefined || event.citation.endIndex === undefined) item.wholeTextCitations.push(event.citation);
        else out += this.#annotate(item, urlCitation(event.citation, item.text.length));
        break;
      }
      case 'text-end': {
        const item = this.#open.get(event.id);
        if (item?.kind === 'message') out += this.#closeMessage(event.id, item);
        break;
      }
      case 'web-search-call':
        out += this.#webSearchCall(event);
        break;
      case 'reasoning-start':
        out += this.#openReasoning(event.id, event.redacted === true);
        break;
      case 'reasoning-delta': {
        const item = this.#open.get(event.id);
        if (item?.kind !== 'reasoning' || event.delta === '') break;
        if (!item.summaryOpen) {
          item.summaryOpen = true;
          out += this.#frame('response.reasoning_summary_part.added', {
            item_id: item.itemId,
            output_index: item.outputIndex,
            summary_index: 0,
            part: { type: 'summary_text', text: '' },
          });
        }
        item.text += event.delta;
        out += this.#frame('response.reasoning_summary_text.delta', {
          item_id: item.itemId,
          output_index: item.outputIndex,
          summary_index: 0,
          delta: event.delta,
        });
        break;
      }
      case 'reasoning-signature': {
        const item = this.#open.get(event.id);
        if (item?.kind === 'reasoning') item.signature = event.signature;
        break;
      }
      case 'reasoning-end': {
        const item = this.#open.get(event.id);
        if (item?.kind === 'reasoning') out += this.#closeReasoning(event.id, item);
        break;
      }
      case 'tool-input-start':
        out += this.#openFunctionCall(event.id, event.toolCallId, event.toolName);
        break;
      case 'tool-input-delta': {
        const item = this.#open.get(event.id);
        if (item?.kind !== 'function_call' || event.delta === '') break;
        item.arguments += event.delta;
        // A custom tool's raw input is inside the JSON arguments: it can only be cut out whole.
        if (item.freeform) break;
        out += this.#frame('response.function_call_arguments.delta', { item_id: item.itemId, output_index: item.outputIndex, delta: event.delta });
        break;
      }
      case 'tool-input-end':
        // The call completes on `tool-call`, which carries the final arguments.
        break;
      case 'tool-call': {
        const item = this.#open.get(event.id);
        if (item?.kind === 'function_call') {
          item.callId = event.toolCallId || item.callId;
          item.name = event.toolName || item.name;
          out += this.#closeFunctionCall(event.id, item, event.argumentsText);
        }
        if (event.signature) out += this.#callSignatureCarrier(`${event.id}/signature`, event.signature);
        break;
      }
      case 'usage':
        this.#usage = mergeUsage(this.#usage, event.usage);
        break;
      case 'finish': {
        out += this.#closeAll();
        this.#usage = mergeUsage(this.#usage, event.usage);
        const outcome = mapToOpenAIResponsesOutcome(event.finishReason);
        this.#phase = 'done';
        const response = this.#response(outcome.status, { incompleteDetails: outcome.incompleteDetails });
        this.#onFinished?.(response);
        out += this.#frame(outcome.status === 'completed' ? 'response.completed' : 'response.incomplete', { response });
        break;
      }
      case 'error':
        out += this.#fail(event.error);
        break;
      default: {
        const exhaustive: never = event;
        return exhaustive;
      }
    }
    return out;
  }

  end(): string {
    if (this.#phase === 'done') return '';
    const prelude = this.#phase === 'idle' ? this.#start(undefined, undefined, undefined) : '';
    return prelude + this.#fail(proxyError('upstream', 'The upstream stream ended before the response was complete.'));
  }

  // --- lifecycle -------------------------------------------------------------------------------

  #start(id: string | undefined, model: string | undefined, created: number | undefined): string {
    this.#phase = 'streaming';
    this.#responseId = toResponseId(id);
    this.#model = model || this.#request.model;
    this.#createdAt = created ?? Math.floor(Date.now() / 1000);
    const response = this.#response('in_progress', {});
    return this.#frame('response.created', { response }) + this.#frame('response.in_progress', { response });
  }

  #fail(error: ProxyError): string {
    this.#phase = 'done';
    return (
      this.#frame('error', encodeOpenAIResponsesErrorEvent(error)) +
      this.#frame('response.failed', { response: this.#response('failed', { error: encodeOpenAIResponsesFailure(error) }) })
    );
  }

  #response(status: ResponsesStatus, details: { incompleteDetails?: ResponsesIncompleteDetails | null; error?: ResponsesErrorObject }): ResponsesResponseObject {
    const output: ResponsesOutputItem[] = [];
    if (this.#output.length > 0) {
      const open = new Map<number, OpenItem>();
      for (const item of this.#open.values()) open.set(item.outputIndex, item);
      this.#output.forEach((item, index) => {
        const pending = open.get(index);
        if (item !== undefined) output.push(item);
        else if (pending !== undefined) output.push(itemSnapshot(pending, 'incomplete'));
      });
    }
    return buildResponseObject(
      {
        id: this.#responseId,
        model: this.#model,
        createdAt: this.#createdAt,
        status,
        output,
        usage: status === 'in_progress' ? null : convertToOpenAIResponsesUsage(this.#usage),
        incompleteDetails: details.incompleteDetails ?? null,
        error: details.error ?? null,
      },
      this.#echo,
    );
  }

  // --- items -----------------------------------------------------------------------------------

  #add(blockId: string, item: OpenItem): string {
    this.#open.set(blockId, item);
    this.#output.push(undefined);
    return this.#frame('response.output_item.added', { output_index: item.outputIndex, item: itemSnapshot(item, 'in_progress') });
  }

  #done(blockId: string, item: OpenItem, done: ResponsesOutputItem): string {
    this.#open.delete(blockId);
    this.#output[item.outputIndex] = done;
    return this.#frame('response.output_item.done', { output_index: item.outputIndex, item: done });
  }

  #openMessage(blockId: string): string {
    if (this.#open.has(blockId)) return '';
    const outputIndex = this.#output.length;
    const item: OpenItem = { kind: 'message', outputIndex, itemId: outputItemId('msg', this.#responseId, outputIndex), text: '', annotations: [], wholeTextCitations: [] };
    return (
      this.#add(blockId, item) +
      this.#frame('response.content_part.added', {
        item_id: item.itemId,
        output_index: outputIndex,
        content_index: 0,
        part: { type: 'output_text', annotations: [], text: '' },
      })
    );
  }

  #closeMessage(blockId: string, item: MessageItem): string {
    let out = '';
    for (const citation of item.wholeTextCitations) out += this.#annotate(item, urlCitation(citation, item.text.length));
    item.wholeTextCitations = [];
    const part = { type: 'output_text' as const, annotations: item.annotations, text: item.text };
    return (
      out +
      this.#frame('response.output_text.done', { item_id: item.itemId, output_index: item.outputIndex, content_index: 0, text: item.text, logprobs: [] }) +
      this.#frame('response.content_part.done', { item_id: item.itemId, output_index: item.outputIndex, content_index: 0, part }) +
      this.#done(blockId, item, itemSnapshot(item, 'completed'))
    );
  }

  #annotate(item: MessageItem, annotation: UrlCitation): string {
    item.annotations.push(annotation);
    return this.#frame('response.output_text.annotation.added', {
      item_id: item.itemId,
      output_index: item.outputIndex,
      content_index: 0,
      annotation_index: item.annotations.length - 1,
      annotation,
    });
  }

  /** A search the upstream already ran: its whole item lifecycle at once, as OpenAI streams it. */
  #webSearchCall(call: Extract<IrStreamEvent, { type: 'web-search-call' }>): string {
    const outputIndex = this.#output.length;
    const itemId = outputItemId('ws', this.#responseId, outputIndex);
    const done = webSearchCallItem(call, itemId, 'completed');
    this.#output.push(done);
    const where = { output_index: outputIndex, item_id: itemId };
    return (
      this.#frame('response.output_item.added', { output_index: outputIndex, item: webSearchCallItem(call, itemId, 'in_progress') }) +
      this.#frame('response.web_search_call.in_progress', where) +
      this.#frame('response.web_search_call.searching', where) +
      this.#frame('response.web_search_call.completed', where) +
      this.#frame('response.output_item.done', { output_index: outputIndex, item: done })
    );
  }

  #openReasoning(blockId: string, redacted: boolean): string {
    if (this.#open.has(blockId)) return '';
    const outputIndex = this.#output.length;
    return this.#add(blockId, {
      kind: 'reasoning',
      outputIndex,
      itemId: outputItemId('rs', this.#responseId, outputIndex),
      text: '',
      summaryOpen: false,
      redacted,
    });
  }

  #closeReasoning(blockId: string, item: ReasoningItem): string {
    let out = '';
    if (item.summaryOpen) {
      out +=
        this.#frame('response.reasoning_summary_text.done', { item_id: item.itemId, output_index: item.outputIndex, summary_index: 0, text: item.text }) +
        this.#frame('response.reasoning_summary_part.done', {
          item_id: item.itemId,
          output_index: item.outputIndex,
          summary_index: 0,
          part: { type: 'summary_text', text: item.text },
        });
    }
    return out + this.#done(blockId, item, itemSnapshot(item, 'completed'));
  }

  /**
   * A Gemini function-call signature rides in a reasoning item right after its function_call:
   * Codex and SDK users send reasoning items back with their `encrypted_content`, while many
   * drop unknown fields of a function_call.
   */
  #callSignatureCarrier(blockId: string, signature: IrOpaque): string {
    const out = this.#openReasoning(blockId, false);
    const item = this.#open.get(blockId) as ReasoningItem;
    item.signature = signature;
    item.role = 'call';
    return out + this.#closeReasoning(blockId, item);
  }

  #openFunctionCall(blockId: string, callId: string, name: string): string {
    if (this.#open.has(blockId)) return '';
    const outputIndex = this.#output.length;
    const freeform = isFreeformTool(this.#request, name);
    const itemId = outputItemId(freeform ? 'ctc' : 'fc', this.#responseId, outputIndex);
    return this.#add(blockId, { kind: 'function_call', outputIndex, itemId, callId, name, arguments: '', freeform });
  }

  #closeFunctionCall(blockId: string, item: FunctionCallItem, argumentsText: string): string {
    if (item.freeform) return this.#closeCustomToolCall(blockId, item, argumentsText);
    let out = '';
    // A decoder that could not stream the arguments sends them whole on `tool-call`: stream the
    // missing tail so delta readers and done readers agree.
    if (argumentsText !== item.arguments && argumentsText.startsWith(item.arguments)) {
      out += this.#frame('response.function_call_arguments.delta', {
        item_id: item.itemId,
        output_index: item.outputIndex,
        delta: argumentsText.slice(item.arguments.length),
      });
    }
    item.arguments = argumentsText;
    return (
      out +
      this.#frame('response.function_call_arguments.done', { item_id: item.itemId, output_index: item.outputIndex, name: item.name, arguments: argumentsText }) +
      this.#done(blockId, item, itemSnapshot(item, 'completed'))
    );
  }

  /** A custom tool call ends with its raw input in one delta (it was buffered as JSON arguments). */
  #closeCustomToolCall(blockId: string, item: FunctionCallItem, argumentsText: string): string {
    item.arguments = argumentsText;
    const input = freeformInput(argumentsText);
    const where = { item_id: item.itemId, output_index: item.outputIndex };
    return (
      (input === '' ? '' : this.#frame('response.custom_tool_call_input.delta', { ...where, delta: input })) +
      this.#frame('response.custom_tool_call_input.done', { ...where, input }) +
      this.#done(blockId, item, itemSnapshot(item, 'completed'))
    );
  }

  /** `finish` with blocks still open (never from a decoder that passes assertEventOrder). */
  #closeAll(): string {
    let out = '';
    for (const [blockId, item] of [...this.#open]) {
      if (item.kind === 'message') out += this.#closeMessage(blockId, item);
      else if (item.kind === 'reasoning') out += this.#closeReasoning(blockId, item);
      else out += this.#closeFunctionCall(blockId, item, item.arguments);
    }
    return out;
  }

  #frame(type: string, payload: object): string {
    return sseFrame(JSON.stringify({ type, sequence_number: this.#sequenceNumber++, ...payload }), type);
  }
}

export function createOpenAIResponsesStreamEncoder(request: IrRequest): StreamEncoder {
  return new OpenAIResponsesStreamEncoder(request);
}

interface MessageItem {
  kind: 'message';
  outputIndex: number;
  itemId: string;
  text: string;
  annotations: UrlCitation[];
  /** Citations without a span, annotated over the whole text when the block ends. */
  wholeTextCitations: IrCitation[];
}

interface ReasoningItem {
  kind: 'reasoning';
  outputIndex: number;
  itemId: string;
  text: string;
  summaryOpen: boolean;
  redacted: boolean;
  signature?: IrOpaque;
  /** `call`: the item only carries the signature of the function call before it. */
  role?: 'call';
}

interface FunctionCallItem {
  kind: 'function_call';
  outputIndex: number;
  itemId: string;
  callId: string;
  name: string;
  arguments: string;
  /** The client declared the tool as custom: the item is a `custom_tool_call` with raw input. */
  freeform: boolean;
}

type OpenItem = MessageItem | ReasoningItem | FunctionCallItem;

function itemSnapshot(item: OpenItem, status: ResponsesItemStatus): ResponsesOutputItem {
  switch (item.kind) {
    case 'message':
      return {
        type: 'message',
        id: item.itemId,
        status,
        role: 'assistant',
        content: status === 'in_progress' ? [] : [{ type: 'output_text', text: item.text, annotations: item.annotations }],
      };
    case 'function_call':
      if (item.freeform) {
        const input = status === 'in_progress' ? '' : freeformInput(item.arguments);
        return { type: 'custom_tool_call', id: item.itemId, call_id: item.callId, name: item.name, input, status };
      }
      return { type: 'function_call', id: item.itemId, call_id: item.callId, name: item.name, arguments: item.arguments, status };
    case 'reasoning': {
      const reasoning: ResponsesOutputItem = {
        type: 'reasoning',
        id: item.itemId,
        summary: item.summaryOpen && status !== 'in_progress' ? [{ type: 'summary_text', text: item.text }] : [],
      };
      if (status !== 'completed') reasoning.status = status;
      if (item.signature !== undefined && status !== 'in_progress') reasoning.encrypted_content = wrapOpaque(item.signature, item.role ?? (item.redacted ? 'redacted' : 'reasoning'), 'openai');
      return reasoning;
    }
  }
}
