import type { IrRequest } from '../../ir/ir-request.js';
import type { IrUsage } from '../../ir/ir-response.js';
import type { IrStreamEvent } from '../../ir/ir-stream-event.js';
import { proxyError, type ProxyError } from '../../core/proxy-error.js';
import type { StreamEncoder } from '../codec-types.js';
import { sseFrame } from '../shared/sse-parser.js';
import { mergeUsage, toAnthropicUsage } from './convert-usage.js';
import { encodeAnthropicError } from './encode-error.js';
import { messageId } from './encode-response.js';
import { toAnthropicStopReason } from './map-finish-reason.js';
import { wrapOpaque } from '../shared/opaque-signature.js';
import { encodeAnthropicCitation, webSearchBlockPairs } from './web-search.js';

interface Block {
  /** `server-tool-use` and `search-result`: a web search another family ran, written whole. */
  kind: 'text' | 'thinking' | 'redacted' | 'tool' | 'server-tool-use' | 'search-result';
  /** Assigned when content_block_start is written. */
  index: number | undefined;
  /** Deltas that arrived while another block was being written (text, thinking or arguments). */
  buffered: string;
  /** Thinking signature or redacted data, held until the block is written. */
  signature: string | undefined;
  toolCallId: string;
  toolName: string;
  /** Argument characters already written as input_json_delta. */
  sentLength: number;
  /** The IR closed the block (text-end, reasoning-end, or the whole tool-call). */
  ended: boolean;
  /** Text: web search citations that arrived while another block was being written. */
  citations?: object[];
  /** search-result: the whole content_block. */
  contentBlock?: object;
}

/**
 * IR events → Anthropic SSE, exactly the sequence the @anthropic-ai/sdk parses:
 *
 *   message_start {message: {id, type, role, model, content: [], stop_reason: null, …, usage}}
 *   content_block_start {index, content_block} → content_block_delta* → content_block_stop
 *   message_delta {delta: {stop_reason, stop_sequence}, usage} → message_stop
 *
 * Every frame is named (`event: <type>`): the SDK skips unnamed ones. Blocks are written one at
 * a time with indexes 0, 1, 2… as Anthropic does (clients push each started block onto
 * `content`): when the IR interleaves blocks (an OpenAI upstream's parallel tool calls, text
 * still open when a call starts), the later block's deltas are gathered and written when the
 * earlier one ends, so nothing is lost and no client sees interleaving. message_start is held
 * back until the end of the upstream chunk that started the response (`flush`) or the first
 * non-usage event, so that input counts sent right after `response-start` land in it. A tool
 * call starts with `input: {}` (the protocol) and its arguments follow as input_json_delta
 * pieces; content_block_stop waits for the `tool-call`, whose arguments fill in anything the
 * deltas did not carry. A search another family ran becomes a `server_tool_use`
 * (its query as one input_json_delta) and a whole `web_search_tool_result` block; citations
 * become `citations_delta`s. An `error` becomes `event: error`; a stream that ends
 * without finish or error gets one.
 * @see https://docs.anthropic.com/en/docs/build-with-claude/streaming
 */
export function createAnthropicStreamEncoder(request: IrRequest): StreamEncoder {
  return new AnthropicStreamEncoder(request);
}

class AnthropicStreamEncoder implements StreamEncoder {
  readonly contentType = 'text/event-stream; charset=utf-8';
  readonly #model: string;
  readonly #blocks = new Map<string, Block>();
  /** Blocks not yet stopped, in start order; only the head is written live. */
  #queue: Block[] = [];
  #nextIndex = 0;
  #usage: IrUsage = {};
  #responseId: string | undefined;
  #started = false;
  #done = false;
  #hasToolCalls = false;

  constructor(request: IrRequest) {
    this.#model = request.model;
  }

  push(event: IrStreamEvent): string {
    if (this.#done) return '';
    switch (event.type) {
      case 'response-start':
        this.#responseId = event.id;
        return '';
      case 'usage':
        this.#usage = mergeUsage(this.#usage, event.usage);
        return '';
      case 'text-start':
        return this.#start() + this.#add(event.id, 'text');
      case 'reasoning-start':
        return this.#start() + this.#add(event.id, event.redacted ? 'redacted' : 'thinking');
      case 'tool-input-start':
        this.#hasToolCalls = true;
        return this.#start() + this.#add(event.id, 'tool', event.toolCallId, event.toolName);
      case 'text-delta':
      case 'reasoning-delta':
      case 'tool-input-delta': {
        const block = this.#blocks.get(event.id);
        if (!block || block.kind === 'redacted' || event.delta === '') return '';
        if (block.index === undefined) {
          block.buffered += event.delta;
          return '';
        }
        if (block.kind === 'tool') block.sentLength += event.delta.length;
        return deltaFrame(block, event.delta);
      }
      case 'reasoning-signature': {
        const block = this.#blocks.get(event.id);
        if (!block || (block.kind !== 'thinking' && block.kind !== 'redacted')) return '';
        const value = wrapOpaque(event.signature, 'reasoning', 'anthropic');
        if (block.kind === 'thinking' && block.index !== undefined) {
          return frame('content_block_delta', { type: 'content_block_delta', index: block.index, delta: { type: 'signature_delta', signature: value } });
        }
        block.signature = value;
        // A redacted block at the head waited only for its data.
        return this.#queue[0] === block && block.index === undefined ? this.#open(block) : '';
      }
      case 'text-citation': {
        const block = this.#blocks.get(event.id);
        if (block?.kind !== 'text') return '';
        const citation = encodeAnthropicCitation(event.citation);
        if (block.index !== undefined) return citationFrame(block.index, citation);
        (block.citations ??= []).push(citation);
        return '';
      }
      case 'web-search-call': {
        let out = this.#start();
        for (const pair of webSearchBlockPairs(event)) {
          out += this.#whole(newBlock('server-tool-use', { toolCallId: pair.id, buffered: JSON.stringify({ query: pair.query }) }));
          out += this.#whole(newBlock('search-result', { contentBlock: pair.result }));
        }
        return out;
      }
      case 'text-end':
      case 'reasoning-end': {
        const block = this.#blocks.get(event.id);
        return block ? this.#end(event.id, block) : '';
      }
      case 'tool-input-end':
        return '';
      case 'tool-call': {
        let out = '';
        let block = this.#blocks.get(event.id);
        if (block?.kind !== 'tool') {
          // A call with no streamed input: it starts here.
          this.#hasToolCalls = true;
          out += this.#start() + this.#add(event.id, 'tool', event.toolCallId, event.toolName);
          block = this.#blocks.get(event.id)!;
        }
        // The final arguments fill in whatever the deltas did not carry (all of them, or a tail).
        if (block.index === undefined) {
          if (event.argumentsText.length > block.buffered.length) block.buffered = event.argumentsText;
        } else if (event.argumentsText.length > block.sentLength) {
          out += deltaFrame(block, event.argumentsText.slice(block.sentLength));
          block.sentLength = event.argumentsText.length;
        }
        out += this.#end(event.id, block);
        // A Gemini function-call signature rides in an empty thinking block right after its call.
        if (event.signature) out += this.#carrier(wrapOpaque(event.signature, 'call', 'anthropic'));
        return out;
      }
      case 'finish': {
        this.#usage = mergeUsage(this.#usage, event.usage);
        let out = this.#start();
        for (const block of this.#queue) {
          if (block.index === undefined) out += this.#open(block);
          if (block.index !== undefined) out += stopFrame(block.index);
        }
        this.#queue = [];
        this.#blocks.clear();
        out += frame('message_delta', {
          type: 'message_delta',
          delta: { stop_reason: toAnthropicStopReason(event.finishReason, this.#hasToolCalls), stop_sequence: null },
          usage: toAnthropicUsage(this.#usage),
        });
        out += frame('message_stop', { type: 'message_stop' });
        this.#done = true;
        return out;
      }
      case 'error':
        return this.#error(event.error);
    }
  }

  flush(): string {
    // The response started: its client must see that at once (time to first byte), not when content comes.
    return this.#responseId !== undefined && !this.#done ? this.#start() : '';
  }

  end(): string {
    if (this.#done) return '';
    return this.#error(proxyError('upstream', 'The upstream stream ended before the answer was complete.'));
  }

  #add(id: string, kind: Block['kind'], toolCallId = '', toolName = ''): string {
    const block = newBlock(kind, { toolCallId, toolName, ended: false });
    this.#blocks.set(id, block);
    this.#queue.push(block);
    return this.#queue.length === 1 ? this.#open(block) : '';
  }

  /** A whole thinking block that only carries a signature: written now, or when its turn in the queue comes. */
  #carrier(signature: string): string {
    return this.#whole(newBlock('thinking', { signature }));
  }

  /** A block the IR gave whole: written now, or when its turn in the queue comes. */
  #whole(block: Block): string {
    this.#queue.push(block);
    if (this.#queue.length > 1) return '';
    this.#queue.shift();
    return this.#open(block) + stopFrame(block.index!);
  }

  /** Writes a block's start and what it gathered while it waited. */
  #open(block: Block): string {
    if (block.kind === 'redacted' && block.signature === undefined) return '';
    const index = this.#nextIndex++;
    block.index = index;
    switch (block.kind) {
      case 'text': {
        // Anthropic streams a block's citations before its text.
        let out = frame('content_block_start', { type: 'content_block_start', index, content_block: { type: 'text', text: '' } });
        for (const citation of block.citations ?? []) out += citationFrame(index, citation);
        block.citations = undefined;
        return out + this.#flushBuffered(block);
      }
      case 'server-tool-use':
        return frame('content_block_start', { type: 'content_block_start', index, content_block: { type: 'server_tool_use', id: block.toolCallId, name: 'web_search', input: {} } }) + this.#flushBuffered(block);
      case 'search-result':
        return frame('content_block_start', { type: 'content_block_start', index, content_block: block.contentBlock });
      case 'thinking': {
        let out = frame('content_block_start', { type: 'content_block_start', index, content_block: { type: 'thinking', thinking: '', signature: '' } }) + this.#flushBuffered(block);
        if (block.signature !== undefined) out += frame('content_block_delta', { type: 'content_block_delta', index, delta: { type: 'signature_delta', signature: block.signature } });
        return out;
      }
      case 'redacted':
        return frame('content_block_start', { type: 'content_block_start', index, content_block: { type: 'redacted_thinking', data: block.signature } });
      case 'tool':
        return frame('content_block_start', { type: 'content_block_start', index, content_block: { type: 'tool_use', id: block.toolCallId, name: block.toolName, input: {} } }) + this.#flushBuffered(block);
    }
  }

  #flushBuffered(block: Block): string {
    if (block.buffered === '') return '';
    const text = block.buffered;
    block.buffered = '';
    if (block.kind === 'tool') block.sentLength = text.length;
    return deltaFrame(block, text);
  }

  /** The IR closed a block: stop it if it is the one being written, then write those that waited. */
  #end(id: string, block: Block): string {
    block.ended = true;
    this.#blocks.delete(id);
    if (this.#queue[0] !== block) return '';
    let out = '';
    while (this.#queue.length > 0) {
      const head = this.#queue[0]!;
      if (head.index === undefined) out += this.#open(head);
      if (!head.ended) {
        if (head.index !== undefined || head.kind === 'redacted') break;
      }
      if (head.index !== undefined) out += stopFrame(head.index);
      this.#queue.shift();
    }
    return out;
  }

  #error(error: ProxyError): string {
    this.#done = true;
    // The SDK throws on `event: error` wherever it comes, even before message_start.
    return frame('error', encodeAnthropicError(error));
  }

  #start(): string {
    if (this.#started) return '';
    this.#started = true;
    const usage = toAnthropicUsage(this.#usage);
    return frame('message_start', {
      type: 'message_start',
      message: {
        id: messageId(this.#responseId ?? ''),
        type: 'message',
        role: 'assistant',
        model: this.#model,
        content: [],
        stop_reason: null,
        stop_sequence: null,
        usage,
      },
    });
  }
}

function newBlock(kind: Block['kind'], fields: Partial<Block>): Block {
  return { kind, index: undefined, buffered: '', signature: undefined, toolCallId: '', toolName: '', sentLength: 0, ended: true, ...fields };
}

function citationFrame(index: number, citation: object): string {
  return frame('content_block_delta', { type: 'content_block_delta', index, delta: { type: 'citations_delta', citation } });
}

function deltaFrame(block: Block, text: string): string {
  const delta =
    block.kind === 'text' ? { type: 'text_delta', text } : block.kind === 'thinking' ? { type: 'thinking_delta', thinking: text } : { type: 'input_json_delta', partial_json: text };
  return frame('content_block_delta', { type: 'content_block_delta', index: block.index, delta });
}

function stopFrame(index: number): string {
  return frame('content_block_stop', { type: 'content_block_stop', index });
}

function frame(event: string, data: object): string {
  return sseFrame(JSON.stringify(data), event);
}

