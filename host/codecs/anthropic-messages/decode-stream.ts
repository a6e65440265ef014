import type { IrStreamEvent } from '../../ir/ir-stream-event.js';
import type { IrFinishReason } from '../../ir/ir-response.js';
import { proxyError } from '../../core/proxy-error.js';
import type { StreamDecoder } from '../codec-types.js';
import { SseParser, type SseEvent } from '../shared/sse-parser.js';
import { convertAnthropicUsage } from './convert-usage.js';
import { decodeAnthropicStreamError } from './decode-error.js';
import { mapAnthropicStopReason } from './map-finish-reason.js';
import type { AnthropicUsage } from './wire.js';
import { decodeAnthropicCitation, webSearchQuery, webSearchSources } from './web-search.js';

type Block =
  | { kind: 'text'; id: string }
  | { kind: 'reasoning'; id: string }
  | { kind: 'tool'; id: string; toolCallId: string; toolName: string; argumentsText: string }
  /** A web search's `server_tool_use`: its input (the query) is gathered until its result comes. */
  | { kind: 'web-search'; toolUseId: string; inputText: string }
  /** Other server-tool blocks (code execution, web fetch…): no IR form, their events are skipped. */
  | { kind: 'ignored' };

type Json = Record<string, unknown>;

/**
 * Anthropic SSE → IR events, one chunk at a time.
 *
 * message_start → `response-start` (+ `usage` with the input counts); content_block_start/
 * delta/stop → text, reasoning (thinking_delta, signature_delta → `reasoning-signature`;
 * redacted_thinking → a redacted block whose signature is its data) and tool input
 * (input_json_delta pieces forwarded as they come, the whole `tool-call` only at
 * content_block_stop, an empty buffer being `{}`); a web search (`server_tool_use` whose input
 * streams the query, then `web_search_tool_result` with the pages) → one `web-search-call` when
 * the result comes; web search citations (in the text block's start or `citations_delta`) →
 * `text-citation`; message_delta → `usage`; message_stop →
 * `finish`; `event: error` → `error`; ping is ignored. Block ids are `b<index>`.
 * A stream that ends before message_stop (and before a message_delta with a stop_reason)
 * ends with an `error` of kind `upstream`.
 * @see https://docs.anthropic.com/en/docs/build-with-claude/streaming
 */
export function createAnthropicStreamDecoder(): StreamDecoder {
  return new AnthropicStreamDecoder();
}

class AnthropicStreamDecoder implements StreamDecoder {
  readonly #parser = new SseParser();
  readonly #blocks = new Map<number, Block>();
  /** Web search queries by server_tool_use id, waiting for their web_search_tool_result. */
  readonly #searchQueries = new Map<string, string>();
  /** Usage as Anthropic reports it, merged field by field (input first, output last). */
  #usage: AnthropicUsage = {};
  #finishReason: IrFinishReason | undefined;
  #started = false;
  #done = false;

  push(chunk: Buffer): IrStreamEvent[] {
    const sseEvents = this.#parser.push(chunk);
    if (sseEvents.length === 0) return [];
    const out: IrStreamEvent[] = [];
    for (const sseEvent of sseEvents) this.#handle(sseEvent, out);
    return out;
  }

  end(): IrStreamEvent[] {
    const out: IrStreamEvent[] = [];
    for (const sseEvent of this.#parser.end()) this.#handle(sseEvent, out);
    if (this.#done) return out;
    if (this.#finishReason) {
      // message_delta said how it ended; only message_stop went missing.
      this.#finish(out);
      return out;
    }
    this.#done = true;
    out.push({ type: 'error', error: proxyError('upstream', 'The Anthropic stream ended before message_stop.') });
    return out;
  }

  #handle(sseEvent: SseEvent, out: IrStreamEvent[]): void {
    if (this.#done) return;
    let data: Json;
    try {
      const parsed: unknown = JSON.parse(sseEvent.data);
      if (typeof parsed !== 'object' || parsed === null) throw new Error('not an object');
      data = parsed as Json;
    } catch {
      if (sseEvent.event === 'ping' || sseEvent.data === '') return;
      this.#fail(out, `The Anthropic stream sent an unreadable ${sseEvent.event ?? 'data'} event.`);
      return;
    }
    const type = typeof data.type === 'string' ? data.type : sseEvent.event;
    switch (type) {
      case 'message_start':
        this.#messageStart(data, out);
        return;
      case 'content_block_start':
        this.#ensureStarted(out);
        this.#blockStart(data, out);
        return;
      case 'content_block_delta':
        this.#blockDelta(data, out);
        return;
      case 'content_block_stop':
        this.#blockStop(data, out);
        return;
      case 'message_delta': {
        this.#ensureStarted(out);
        const delta = isObject(data.delta) ? data.delta : {};
        if (typeof delta.stop_reason === 'string') this.#finishReason = mapAnthropicStopReason(delta.stop_reason);
        if (isObject(data.usage)) this.#addUsage(data.usage, out);
        return;
      }
      case 'message_stop':
        this.#ensureStarted(out);
        this.#finish(out);
        return;
      case 'error':
        this.#done = true;
        out.push({ type: 'error', error: decodeAnthropicStreamError(isObject(data.error) ? data.error : undefined) });
        return;
      default:
        // ping and event types added later carry nothing the IR needs.
        return;
    }
  }

  #messageStart(data: Json, out: IrStreamEvent[]): void {
    if (this.#started) return;
    this.#started = true;
    const message = isObject(data.message) ? data.message : {};
    out.push({
      type: 'response-start',
      id: typeof message.id === 'string' ? message.id : '',
      model: typeof message.model === 'string' ? message.model : '',
      created: Math.floor(Date.now() / 1000),
    });
    if (isObject(message.usage)) this.#addUsage(message.usage, out);
  }

  #ensureStarted(out: IrStreamEvent[]): void {
    if (this.#started) return;
    this.#started = true;
    out.push({ type: 'response-start', id: '', model: '', created: Math.floor(Date.now() / 1000) });
  }

  #addUsage(usage: Json, out: IrStreamEvent[]): void {
    // Counts in message_delta are cumulative totals: overwrite when present, never add.
    const merged: AnthropicUsage = { ...this.#usage };
    for (const key of ['input_tokens', 'output_tokens', 'cache_creation_input_tokens', 'cache_read_input_tokens'] as const) {
      const value = usage[key];
      if (typeof value === 'number') merged[key] = value;
    }
    if (isObject(usage.output_tokens_details)) merged.output_tokens_details = usage.output_tokens_details as AnthropicUsage['output_tokens_details'];
    this.#usage = merged;
    out.push({ type: 'usage', usage: convertAnthropicUsage(merged) });
  }

  #blockStart(data: Json, out: IrStreamEvent[]): void {
    const index = data.index;
    const block = isObject(data.content_block) ? data.content_block : undefined;
    if (typeof index !== 'number' || !block) return;
    const id = `b${index}`;
    switch (block.type) {
      case 'text': {
        this.#blocks.set(index, { kind: 'text', id });
        out.push({ type: 'text-start', id });
        if (Array.isArray(block.citations)) for (const citation of block.citations) pushCitation(id, citation, out);
        if (typeof block.text === 'string' && block.text !== '') out.push({ type: 'text-delta', id, delta: block.text });
        return;
      }
      case 'server_tool_use': {
        const query = webSearchQuery(block);
        if (query === undefined || typeof block.id !== 'string') this.#blocks.set(index, { kind: 'ignored' });
        else this.#blocks.set(index, { kind: 'web-search', toolUseId: block.id, inputText: query === '' ? '' : JSON.stringify({ query }) });
        return;
      }
      case 'web_search_tool_result': {
        // The results come whole in the block's start.
        const toolUseId = String(block.tool_use_id ?? '');
        const query = this.#searchQueries.get(toolUseId);
        this.#searchQueries.delete(toolUseId);
        out.push({ type: 'web-search-call', id: toolUseId, queries: query === undefined ? [] : [query], sources: webSearchSources(block) });
        this.#blocks.set(index, { kind: 'ignored' });
        return;
      }
      case 'thinking': {
        this.#blocks.set(index, { kind: 'reasoning', id });
        out.push({ type: 'reasoning-start', id });
        if (typeof block.thinking === 'string' && block.thinking !== '') out.push({ type: 'reasoning-delta', id, delta: block.thinking });
        if (typeof block.signature === 'string' && block.signature !== '') {
          out.push({ type: 'reasoning-signature', id, signature: { family: 'anthropic', value: block.signature } });
        }
        return;
      }
      case 'redacted_thinking': {
        this.#blocks.set(index, { kind: 'reasoning', id });
        out.push({ type: 'reasoning-start', id, redacted: true });
        if (typeof block.data === 'string') out.push({ type: 'reasoning-signature', id, signature: { family: 'anthropic', value: block.data } });
        return;
      }
      case 'tool_use': {
        const toolCallId = typeof block.id === 'string' ? block.id : id;
        const toolName = typeof block.name === 'string' ? block.name : '';
        // The protocol starts with `input: {}`; an input that already has keys (some
        // compatible servers send it whole) counts as the first piece of the arguments.
        const initial = isObject(block.input) && Object.keys(block.input).length > 0 ? JSON.stringify(block.input) : '';
        this.#blocks.set(index, { kind: 'tool', id, toolCallId, toolName, argumentsText: initial });
        out.push({ type: 'tool-input-start', id, toolCallId, toolName });
        if (initial !== '') out.push({ type: 'tool-input-delta', id, delta: initial });
        return;
      }
      default:
        this.#blocks.set(index, { kind: 'ignored' });
    }
  }

  #blockDelta(data: Json, out: IrStreamEvent[]): void {
    const block = typeof data.index === 'number' ? this.#blocks.get(data.index) : undefined;
    const delta = isObject(data.delta) ? data.delta : undefined;
    if (!block || !delta || block.kind === 'ignored') return;
    switch (delta.type) {
      case 'text_delta':
        if (block.kind === 'text' && typeof delta.text === 'string' && delta.text !== '') out.push({ type: 'text-delta', id: block.id, delta: delta.text });
        return;
      case 'thinking_delta':
        if (block.kind === 'reasoning' && typeof delta.thinking === 'string' && delta.thinking !== '') out.push({ type: 'reasoning-delta', id: block.id, delta: delta.thinking });
        return;
      case 'signature_delta':
        if (block.kind === 'reasoning' && typeof delta.signature === 'string') {
          out.push({ type: 'reasoning-signature', id: block.id, signature: { family: 'anthropic', value: delta.signature } });
        }
        return;
      case 'citations_delta':
        if (block.kind === 'text') pushCitation(block.id, delta.citation, out);
        return;
      case 'input_json_delta':
        if (block.kind === 'web-search' && typeof delta.partial_json === 'string') block.inputText += delta.partial_json;
        if (block.kind === 'tool' && typeof delta.partial_json === 'string' && delta.partial_json !== '') {
          block.argumentsText += delta.partial_json;
          out.push({ type: 'tool-input-delta', id: block.id, delta: delta.partial_json });
        }
        return;
      default:
        // Later delta types: nothing in the IR.
        return;
    }
  }

  #blockStop(data: Json, out: IrStreamEvent[]): void {
    if (typeof data.index !== 'number') return;
    const block = this.#blocks.get(data.index);
    if (!block) return;
    this.#blocks.delete(data.index);
    this.#close(block, out);
  }

  #close(block: Block, out: IrStreamEvent[]): void {
    switch (block.kind) {
      case 'text':
        out.push({ type: 'text-end', id: block.id });
        return;
      case 'reasoning':
        out.push({ type: 'reasoning-end', id: block.id });
        return;
      case 'tool':
        out.push({ type: 'tool-input-end', id: block.id });
        out.push({
          type: 'tool-call',
          id: block.id,
          toolCallId: block.toolCallId,
          toolName: block.toolName,
          // Anthropic tool input is always an object: no pieces means `{}`.
          argumentsText: block.argumentsText === '' ? '{}' : block.argumentsText,
        });
        return;
      case 'web-search':
        this.#searchQueries.set(block.toolUseId, searchQuery(block.inputText));
        return;
      case 'ignored':
        return;
    }
  }

  #finish(out: IrStreamEvent[]): void {
    // Blocks left open by a sloppy upstream are closed in index order before the finish.
    for (const index of [...this.#blocks.keys()].sort((a, b) => a - b)) this.#close(this.#blocks.get(index)!, out);
    this.#blocks.clear();
    this.#done = true;
    out.push({ type: 'finish', finishReason: this.#finishReason ?? { unified: 'other', protocol: 'anthropic' }, usage: convertAnthropicUsage(this.#usage) });
  }

  #fail(out: IrStreamEvent[], message: string): void {
    this.#done = true;
    out.push({ type: 'error', error: proxyError('upstream', message) });
  }
}

function pushCitation(id: string, wire: unknown, out: IrStreamEvent[]): void {
  const citation = decodeAnthropicCitation(wire);
  if (citation) out.push({ type: 'text-citation', id, citation });
}

/** The query from a server_tool_use's streamed input (`{"query": "…"}`); '' when unreadable. */
function searchQuery(inputText: string): string {
  try {
    const input: unknown = JSON.parse(inputText);
    return isObject(input) && typeof input.query === 'string' ? input.query : '';
  } catch {
    return '';
  }
}

function isObject(value: unknown): value is Json {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
