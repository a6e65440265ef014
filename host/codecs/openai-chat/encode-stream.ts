import { randomUUID } from 'node:crypto';
import type { IrRequest } from '../../ir/ir-request.js';
import type { IrUsage } from '../../ir/ir-response.js';
import type { IrStreamEvent } from '../../ir/ir-stream-event.js';
import type { ProxyError } from '../../core/proxy-error.js';
import type { StreamEncoder } from '../codec-types.js';
import { sseFrame } from '../shared/sse-parser.js';
import { encodeOpenAIChatUsage } from './convert-usage.js';
import { INCOMPLETE_STREAM_ERROR, openAIStreamErrorFrame } from './encode-error.js';
import { googleExtraContent } from './google-extra-content.js';
import { encodeOpenAIChatFinishReason } from './map-finish-reason.js';
import { OPENAI_CHAT, type OpenAIChatRequestExtras } from './wire.js';

/**
 * IR events → `chat.completion.chunk` SSE, the sequence OpenAI sends and its SDK's
 * ChatCompletionStream accumulates:
 *
 *   {delta: {role: 'assistant', content: '', refusal: null}}          first, once
 *   {delta: {content}} · {delta: {reasoning_content}}                  as they come
 *   {delta: {tool_calls: [{index, id, type: 'function', function: {name, arguments: ''}}]}}
 *   {delta: {tool_calls: [{index, function: {arguments}}]}}             then the argument pieces
 *   {delta: {}, finish_reason}                                         last choice chunk
 *   {choices: [], usage}                                               only with include_usage
 *   [DONE]
 *
 * IR block ids map to `tool_calls[].index` in order of first sight. Reasoning from any family
 * goes out as `delta.reasoning_content` (the DeepSeek field OpenAI-compatible clients read).
 * An `error` event becomes `data: {"error": {...}}` and ends the stream without `[DONE]`: the
 * OpenAI SDK throws an APIError on that line. A stream that ends with neither is closed the same
 * way with an `upstream` error, so the client never waits on a silent stop.
 * @see https://platform.openai.com/docs/api-reference/chat-streaming/streaming
 * @see https://platform.openai.com/docs/api-reference/chat/create#chat-create-stream_options
 */
export function createOpenAIChatStreamEncoder(request: IrRequest): StreamEncoder {
  return new OpenAIChatStreamEncoder(request);
}

interface ToolCallState {
  index: number;
  sentArguments: boolean;
  /** Legacy `functions` clients get `delta.function_call`; only their first call fits. */
  mode: 'tool_calls' | 'function_call' | 'dropped';
}

class OpenAIChatStreamEncoder implements StreamEncoder {
  readonly contentType = 'text/event-stream';
  readonly #request: IrRequest;
  readonly #includeUsage: boolean;
  readonly #legacyFunctions: boolean;
  /** `{"id":…,"object":"chat.completion.chunk","created":…,"model":…,` shared by every chunk. */
  #prefix: string | undefined;
  #roleSent = false;
  readonly #toolCalls = new Map<string, ToolCallState>();
  #usage: IrUsage = {};
  #over = false;

  constructor(request: IrRequest) {
    this.#request = request;
    this.#includeUsage = request.includeUsage === true;
    this.#legacyFunctions = (request.extras[OPENAI_CHAT] as OpenAIChatRequestExtras | undefined)?.legacyFunctions === true;
  }

  push(event: IrStreamEvent): string {
    if (this.#over) return '';
    switch (event.type) {
      case 'response-start':
        this.#setPrefix(event.id, event.model, event.created);
        return this.#role();
      case 'text-delta':
        return event.delta ? this.#role() + this.#chunk(`{"content":${JSON.stringify(event.delta)}}`) : '';
      case 'reasoning-delta':
        return event.delta ? this.#role() + this.#chunk(`{"reasoning_content":${JSON.stringify(event.delta)}}`) : '';
      case 'tool-input-start':
        return this.#role() + this.#startToolCall(event.id, event.toolCallId, event.toolName);
      case 'tool-input-delta':
        return this.#toolArguments(event.id, event.delta);
      case 'tool-call': {
        // A decoder that never streamed the call (or its arguments) still gets it written whole.
        let text = '';
        if (!this.#toolCalls.has(event.id)) text += this.#role() + this.#startToolCall(event.id, event.toolCallId, event.toolName);
        if (!this.#toolCalls.get(event.id)?.sentArguments) text += this.#toolArguments(event.id, event.argumentsText);
        const call = this.#toolCalls.get(event.id);
        if (event.signature && call?.mode === 'tool_calls') {
          // Where Google's OpenAI-compatible endpoint puts a call's signature (google-extra-content.ts).
          text += this.#chunk(`{"tool_calls":[{"index":${call.index},"extra_content":${JSON.stringify(googleExtraContent(event.signature))}}]}`);
        }
        return text;
      }
      case 'usage':
        this.#usage = mergeUsage(this.#usage, event.usage);
        return '';
      case 'finish': {
        this.#over = true;
        const usage = mergeUsage(this.#usage, event.usage);
        const hasToolCalls = [...this.#toolCalls.values()].some((call) => call.mode !== 'dropped');
        const finishReason = encodeOpenAIChatFinishReason(event.finishReason, { hasToolCalls, legacyFunctions: this.#legacyFunctions });
        let text = this.#role() + this.#chunk('{}', finishReason);
        if (this.#includeUsage) text += sseFrame(`${this.#ensurePrefix()}"choices":[],"usage":${JSON.stringify(encodeOpenAIChatUsage(usage))}}`);
        return text + 'data: [DONE]\n\n';
      }
      case 'error':
        return this.#error(event.error);
      case 'text-start':
      case 'text-end':
      case 'reasoning-start':
      case 'reasoning-signature':
      case 'reasoning-end':
      case 'tool-input-end':
      case 'text-citation':
      case 'web-search-call':
        return '';
      default: {
        const exhaustive: never = event;
        return exhaustive;
      }
    }
  }

  end(): string {
    return this.#over ? '' : this.#error(INCOMPLETE_STREAM_ERROR);
  }

  #error(error: ProxyError): string {
    this.#over = true;
    return openAIStreamErrorFrame(error);
  }

  #startToolCall(blockId: string, toolCallId: string, toolName: string): string {
    if (this.#legacyFunctions) {
      const first = this.#toolCalls.size === 0;
      this.#toolCalls.set(blockId, { index: 0, sentArguments: false, mode: first ? 'function_call' : 'dropped' });
      return first ? this.#chunk(`{"function_call":{"name":${JSON.stringify(toolName)},"arguments":""}}`) : '';
    }
    const index = this.#toolCalls.size;
    this.#toolCalls.set(blockId, { index, sentArguments: false, mode: 'tool_calls' });
    return this.#chunk(
      `{"tool_calls":[{"index":${index},"id":${JSON.stringify(toolCallId)},"type":"function","function":{"name":${JSON.stringify(toolName)},"arguments":""}}]}`,
    );
  }

  #toolArguments(blockId: string, piece: string): string {
    const call = this.#toolCalls.get(blockId);
    if (!call || !piece || call.mode === 'dropped') return '';
    call.sentArguments = true;
    return call.mode === 'function_call'
      ? this.#chunk(`{"function_call":{"arguments":${JSON.stringify(piece)}}}`)
      : this.#chunk(`{"tool_calls":[{"index":${call.index},"function":{"arguments":${JSON.stringify(piece)}}}]}`);
  }

  /** The role chunk, once, before anything else a choice carries. */
  #role(): string {
    if (this.#roleSent) return '';
    this.#roleSent = true;
    return this.#chunk('{"role":"assistant","content":"","refusal":null}');
  }

  #chunk(delta: string, finishReason?: string): string {
    const finish = finishReason === undefined ? 'null' : JSON.stringify(finishReason);
    const usage = this.#includeUsage ? ',"usage":null' : '';
    return sseFrame(`${this.#ensurePrefix()}"choices":[{"index":0,"delta":${delta},"logprobs":null,"finish_reason":${finish}}]${usage}}`);
  }

  #setPrefix(id: string, model: string, created: number): void {
    const chunkId = id || `chatcmpl-${randomUUID().replaceAll('-', '')}`;
    this.#prefix = `{"id":${JSON.stringify(chunkId)},"object":"chat.completion.chunk","created":${Math.floor(created)},"model":${JSON.stringify(model || this.#request.model)},`;
  }

  #ensurePrefix(): string {
    if (this.#prefix === undefined) this.#setPrefix('', '', Date.now() / 1000);
    return this.#prefix as string;
  }
}

/** Later counts win; "not reported" never overwrites a count. */
function mergeUsage(base: IrUsage, next: IrUsage): IrUsage {
  const merged: IrUsage = { ...base };
  for (const [key, value] of Object.entries(next) as Array<[keyof IrUsage, number | undefined]>) {
    if (value !== undefined) merged[key] = value;
  }
  return merged;
}
