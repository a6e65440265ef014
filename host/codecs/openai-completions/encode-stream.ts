import { randomUUID } from 'node:crypto';
import type { IrRequest } from '../../ir/ir-request.js';
import type { IrUsage } from '../../ir/ir-response.js';
import type { IrStreamEvent } from '../../ir/ir-stream-event.js';
import type { ProxyError } from '../../core/proxy-error.js';
import type { StreamEncoder } from '../codec-types.js';
import { sseFrame } from '../shared/sse-parser.js';
import { encodeOpenAIChatUsage } from '../openai-chat/convert-usage.js';
import { INCOMPLETE_STREAM_ERROR, openAIStreamErrorFrame } from '../openai-chat/encode-error.js';
import { encodeOpenAIChatFinishReason } from '../openai-chat/map-finish-reason.js';
import { noteDroppedReasoning } from './encode-response.js';

/**
 * IR events → legacy `text_completion` SSE chunks, as OpenAI streams them: each text delta is
 * one chunk `{id, object: 'text_completion', created, choices: [{text, index: 0, logprobs: null,
 * finish_reason: null}], model}` written the moment it is decoded; then a chunk with empty text
 * and the finish reason; with `stream_options.include_usage`, every chunk carries `usage: null`
 * and a last `choices: []` chunk the usage; then `data: [DONE]`. An error is
 * `data: {"error": …}` with no `[DONE]` (the openai SDK throws on it); a stream that stops with
 * neither gets one.
 * @see https://platform.openai.com/docs/api-reference/completions/create#completions-create-stream
 */
export function createOpenAICompletionsStreamEncoder(request: IrRequest): StreamEncoder {
  return new OpenAICompletionsStreamEncoder(request);
}

class OpenAICompletionsStreamEncoder implements StreamEncoder {
  readonly contentType = 'text/event-stream';
  readonly #request: IrRequest;
  readonly #includeUsage: boolean;
  /** `{"id":…,"object":"text_completion","created":…,` shared by every chunk. */
  #prefix: string | undefined;
  #model: string;
  #usage: IrUsage = {};
  #over = false;

  constructor(request: IrRequest) {
    this.#request = request;
    this.#includeUsage = request.includeUsage === true;
    this.#model = request.model;
  }

  push(event: IrStreamEvent): string {
    if (this.#over) return '';
    switch (event.type) {
      case 'response-start':
        this.#start(event.id, event.model, event.created);
        return '';
      case 'text-delta':
        return event.delta ? this.#chunk(event.delta, null) : '';
      case 'reasoning-delta':
        noteDroppedReasoning(this.#request);
        return '';
      case 'usage':
        this.#usage = { ...this.#usage, ...definedOnly(event.usage) };
        return '';
      case 'finish': {
        this.#over = true;
        const usage = { ...this.#usage, ...definedOnly(event.usage) };
        let text = this.#chunk('', encodeOpenAIChatFinishReason(event.finishReason, { hasToolCalls: false, legacyFunctions: false }));
        if (this.#includeUsage) text += sseFrame(`${this.#ensurePrefix()}"model":${JSON.stringify(this.#model)},"usage":${JSON.stringify(encodeOpenAIChatUsage(usage))},"choices":[]}`);
        return text + 'data: [DONE]\n\n';
      }
      case 'error':
        return this.#error(event.error);
      // Nothing else was asked for (no tools) or has a completion form.
      case 'text-start':
      case 'text-end':
      case 'text-citation':
      case 'web-search-call':
      case 'reasoning-start':
      case 'reasoning-signature':
      case 'reasoning-end':
      case 'tool-input-start':
      case 'tool-input-delta':
      case 'tool-input-end':
      case 'tool-call':
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

  #chunk(text: string, finishReason: string | null): string {
    const usage = this.#includeUsage ? ',"usage":null' : '';
    return sseFrame(
      `${this.#ensurePrefix()}"choices":[{"text":${JSON.stringify(text)},"index":0,"logprobs":null,"finish_reason":${JSON.stringify(finishReason)}}],"model":${JSON.stringify(this.#model)}${usage}}`,
    );
  }

  #start(id: string, model: string, created: number): void {
    if (model) this.#model = model;
    this.#prefix = `{"id":${JSON.stringify(id || `cmpl-${randomUUID().replaceAll('-', '')}`)},"object":"text_completion","created":${Math.floor(created)},`;
  }

  #ensurePrefix(): string {
    if (this.#prefix === undefined) this.#start('', '', Date.now() / 1000);
    return this.#prefix as string;
  }
}

/** Later counts win; "not reported" never overwrites a count. */
function definedOnly(usage: IrUsage): IrUsage {
  return Object.fromEntries(Object.entries(usage).filter(([, value]) => value !== undefined)) as IrUsage;
}
